// What every COS operation gets (RequestContext) and how one is defined: load facts, then run.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Caller } from '../auth/authenticate.ts';
import type { Keyring } from '../auth/keyring.ts';
import type { BucketFacts, Decision, IdentityFacts, RequestFacts } from '../authz/decide.ts';
import type { Bucket } from '../domain/bucket.ts';
import type { ObjectVersion } from '../domain/object.ts';
import type { ApiDialect } from '../domain/api-dialect.ts';
import type { Principal } from '../domain/identity.ts';
import type { CosError } from '../errors/cos-error.ts';
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
  decide(facts: OperationFacts): Decision;
  /** decide(), throwing AccessDenied on deny. */
  authorize(facts: OperationFacts): Decision;
}

interface OperationBase {
  id: OperationId;
  /**
   * `route`: the pipeline loads the bucket and authorizes the route's action before run().
   * `self`: run() authorizes itself (GET Service; multi-delete, which is decided per key).
   */
  authorize: 'route' | 'self';
  /**
   * `self`: the pipeline reads no Authorization header or presigned query; run() finds the caller
   * itself (POST Object signs inside the form; OPTIONS preflights carry no credentials at all).
   */
  authenticate?: 'self';
  /**
   * Load the route's object version (versionId, else the current one, possibly a delete marker) before
   * authorizing: its ACL is part of the decision, and run() gets it (undefined when it does not exist)
   * instead of reading it again.
   */
  loadObject?: boolean;
  /**
   * The error for a caller the route's action is denied to, when it is not simply AccessDenied
   * (GET/HEAD Object: a missing key is 404 to a caller who may list the bucket).
   */
  whenDenied?(ctx: RequestContext, bucket: Bucket | undefined, object: ObjectVersion | undefined): CosError;
}

/** Most operations need their bucket to exist (NoSuchBucket otherwise, once authorized); PUT Bucket does not. */
export type Operation = OperationBase &
  (
    | { needsBucket: true; loadObject?: boolean; run(ctx: RequestContext, bucket: Bucket, object: ObjectVersion | undefined): Promise<Reply> }
    | { needsBucket: false; loadObject?: never; run(ctx: RequestContext, bucket: Bucket | undefined): Promise<Reply> }
  );

export function defineOperation(op: Operation): Operation {
  return op;
}
