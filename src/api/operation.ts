// What every COS operation gets (RequestContext) and how one is declared: what it needs loaded, who authorizes it, run().
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Caller } from '../auth/authenticate.ts';
import type { Keyring } from '../auth/keyring.ts';
import type { BucketFacts, Decision, IdentityFacts, RequestFacts } from '../authz/decide.ts';
import type { Bucket } from '../domain/bucket.ts';
import type { ObjectVersion } from '../domain/object.ts';
import type { ApiDialect } from '../domain/api-dialect.ts';
import type { Principal } from '../domain/identity.ts';
import { cosError, type CosError } from '../errors/cos-error.ts';
import type { Reply } from '../http/respond.ts';
import type { Route } from '../routing/resolve.ts';
import type { OperationId } from '../routing/operations.ts';
import type { BlobKeeper } from '../storage/blob-keeper.ts';
import type { BlobExpectation } from '../storage/blobs.ts';
import type { MetadataStore } from '../storage/metadata.ts';

/**
 * What an operation says about an access; the context adds who is asking, the condition keys and the
 * time. An operation that authenticates itself (POST Object: the signature is in the form) names
 * the principal and condition keys it found.
 */
export type OperationFacts = Omit<RequestFacts, 'principal' | 'conditions' | 'now' | 'identity'> &
  Partial<Pick<RequestFacts, 'principal' | 'conditions' | 'identity'>>;

declare const decided: unique symbol;

/**
 * An allow that only the request context's decide() and authorize() hand out (the brand exists for the
 * type checker alone), so an operation that authorizes itself can show it did (AuthorizedReply).
 */
export type Allowed = Extract<Decision, { effect: 'allow' }> & { readonly [decided]: true };

/** A decision as the request context hands it out: an Allowed, or a deny. */
export type Verdict = Allowed | Exclude<Decision, { effect: 'allow' }>;

export interface RequestContext {
  readonly requestId: string;
  readonly req: IncomingMessage;
  /**
   * The request body to read: the raw request, or a Transform over it that decodes aws-chunked and
   * verifies signatures and checksums as bytes flow. Never read ctx.req directly.
   */
  readonly body: Readable;
  /**
   * The body for ctx.blobs.write, read instead of ctx.body: a plain body whose hash or checksum must be
   * verified comes raw with a check for the store to feed (one stream stage fewer), anything else as ctx.body.
   */
  blobBody(): { body: Readable } & Pick<BlobExpectation, 'check' | 'ownedChunks'>;
  readonly route: Route;
  readonly principal: Principal;
  /** `s3` for an S3-signed request (SigV4, SigV2): the API the caller speaks decides the names it reads (storage classes). */
  readonly dialect: ApiDialect;
  /** Lower-cased header name -> value (repeated headers joined by Node). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Form-decoded query parameters; the first value of each name. */
  readonly params: ReadonlyMap<string, string>;
  readonly meta: MetadataStore;
  readonly blobs: BlobKeeper;
  /** The key SSE-COS objects are encrypted with (storage/crypto/server-key.ts). */
  readonly serverKey: Buffer;
  /** For operations that authenticate themselves (POST Object's form signature). */
  readonly keyring: Keyring;
  /** The identity-based facts (user policies, session policy) of a caller such an operation found. */
  identityOf(caller: Caller): Promise<IdentityFacts | undefined>;
  readonly region: string;
  readonly domains: readonly string[];
  /** Epoch milliseconds, from the injected clock. */
  readonly now: number;
  /** The decision facts of a bucket (its compiled policy included). */
  bucketFacts(name: string, bucket: Bucket | undefined): BucketFacts;
  /** Decides for the caller (principal, condition keys and time filled in) and logs the reason under the request id. */
  decide(facts: OperationFacts): Verdict;
  /** decide(), throwing AccessDenied on deny. */
  authorize(facts: OperationFacts): Allowed;
}

/** What the pipeline loads before authorizing an operation, and so what its run() is given. */
export interface Needs {
  /**
   * `required`: the route's bucket must exist; a missing one is NoSuchBucket, answered only once the
   * caller is authorized, so a denied caller cannot tell. `optional`: run() gets undefined instead (PUT
   * Bucket creates it; an operation that authorizes itself decides first and answers for it).
   */
  bucket: 'required' | 'optional';
  /**
   * The route's object version (versionId's, else the current one, possibly a delete marker), loaded
   * before authorizing: its ACL is part of the decision, and run() gets it (undefined when it does not
   * exist) instead of reading it again.
   */
  object?: true;
}

/** What run() is given, as declared in `needs`. */
export interface Loaded<N extends Needs> {
  bucket: N['bucket'] extends 'required' ? Bucket : Bucket | undefined;
  object: N extends { object: true } ? ObjectVersion | undefined : undefined;
}

/** What the pipeline loaded, before it is known to match an operation's needs. */
export interface Found {
  bucket: Bucket | undefined;
  object: ObjectVersion | undefined;
}

/**
 * `route`: the pipeline authenticates the request and decides the route's action (authz/actions.ts)
 * before run(). `self`: run() decides (GET Service; multi-delete, per key; POST Object, once its form
 * is read) and returns the allow it got (AuthorizedReply), so it cannot forget to. `none`: neither - a
 * CORS preflight carries no credentials, and the bucket's CORS rules are the permission.
 */
export type Authorize = 'route' | 'self' | 'none';

/** An operation's reply once it has authorized itself: the allow that let the request through comes with it. */
export type AuthorizedReply = Reply & { readonly allowedBy: Allowed };

/** One COS operation, declared: how it is authorized, what it needs loaded, and what it does. */
export interface Declaration<N extends Needs, A extends Authorize> {
  id: OperationId;
  authorize: A;
  /** An operation that decides itself gets its bucket whatever it is: NoSuchBucket must wait for the decision. */
  needs: A extends 'route' ? N : N & { bucket: 'optional'; object?: never };
  /**
   * The pipeline reads no Authorization header or presigned query: run() finds the caller itself (POST
   * Object signs inside the form).
   */
  authenticate?: A extends 'self' ? 'self' : never;
  /**
   * The error for a caller the route's action is denied to, when it is not simply AccessDenied
   * (GET/HEAD Object: a missing key is 404 to a caller who may list the bucket).
   */
  whenDenied?: A extends 'route' ? (ctx: RequestContext, found: Found) => CosError : never;
  run(ctx: RequestContext, found: Loaded<N>): Promise<A extends 'self' ? AuthorizedReply : Reply>;
}

/** An operation as the pipeline calls it, whatever it declared. */
export interface Operation {
  readonly id: OperationId;
  readonly needs: Needs;
  readonly authorize: Authorize;
  /** `request`: the pipeline authenticates the request; `self`: run() does; `none`: nobody (Authorize `none`). */
  readonly authenticate: 'request' | 'self' | 'none';
  readonly whenDenied: ((ctx: RequestContext, found: Found) => CosError) | undefined;
  /** Called once the route's action is allowed (Authorize `route`); answers NoSuchBucket for a required bucket that is missing. */
  run(ctx: RequestContext, found: Found): Promise<Reply>;
}

export function defineOperation<const N extends Needs, const A extends Authorize>(declared: Declaration<N, A>): Operation {
  const { id, needs, authorize } = declared;
  return {
    id,
    needs,
    authorize,
    authenticate: authorize === 'none' ? 'none' : (declared.authenticate ?? 'request'),
    whenDenied: declared.whenDenied,
    async run(ctx, found) {
      if (needs.bucket === 'required' && !found.bucket) throw cosError('NoSuchBucket');
      // The pipeline loads the object exactly when needs.object asks, and the bucket was checked just
      // above: found is Loaded<N>, which TypeScript cannot follow through the conditional types.
      return declared.run(ctx, found as Loaded<N>);
    },
  };
}
