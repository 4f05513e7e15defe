// The request pipeline: route -> authenticate -> load bucket -> authorize -> run -> respond (STYLE.md §1).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_PREFIX, handleAdmin, type ServerStatus } from '../admin/http-endpoint.ts';
import { bucketFacts, identityFacts, objectFacts } from '../api/common/facts.ts';
import { loadAddressedVersion } from '../api/common/version.ts';
import { OPERATION_HANDLERS } from '../api/index.ts';
import type { OperationFacts, RequestContext } from '../api/operation.ts';
import type { PolicyCache } from '../api/common/policy-cache.ts';
import { conditionKeys } from './conditions.ts';
import type { Readable } from 'node:stream';
import { authenticate, type Authenticated } from '../auth/authenticate.ts';
import type { SingleUseLedger } from '../auth/cosv4/single-use.ts';
import { isAwsChunked, type BodyWrap } from '../auth/payload.ts';
import type { Keyring } from '../auth/keyring.ts';
import { ACTION_OF } from '../authz/actions.ts';
import { decide, type Decision, type IdentityFacts } from '../authz/decide.ts';
import type { Bucket } from '../domain/bucket.ts';
import { actualCorsHeaders } from '../domain/cors.ts';
import { ANONYMOUS, principalId, type Principal } from '../domain/identity.ts';
import type { ApiDialect } from '../domain/api-dialect.ts';
import { servedBucket } from '../domain/region.ts';
import { CosError, cosError } from '../errors/cos-error.ts';
import { errorReply } from '../errors/render.ts';
import { resolveRoute, signedPaths, type Route } from '../routing/resolve.ts';
import type { BlobKeeper } from '../storage/blob-keeper.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import { newRequestId, newTraceId } from './ids.ts';
import { logFailure, type Logger } from './log.ts';
import { parseQuery } from './query.ts';
import { dialectOf, operationHeaders, withS3Namespace } from './s3-headers.ts';
import { checkExpectedOwner } from './expected-owner.ts';
import { emptyReply, sendReply, type Reply } from './respond.ts';

export interface HandlerDeps {
  meta: MetadataStore;
  blobs: BlobKeeper;
  keyring: Keyring;
  region: string;
  domains: readonly string[];
  log: Logger;
  /** Epoch milliseconds; injected for tests. */
  clock: () => number;
  policies: PolicyCache;
  /** Refuse what COS's S3 endpoint refuses (config `strictCosS3`). */
  strictCosS3: boolean;
  /** Accept signatures that do not bind the bucket, each with a warning (config `allowUnboundSignatures`). */
  allowUnboundSignatures: boolean;
  /** The single-use legacy V4 signatures already accepted, each refused thereafter. */
  singleUse: SingleUseLedger;
  /** Logs running out of file descriptors, throttled (log.ts `throttled`); true when the error was that. */
  outOfDescriptors: (error: unknown) => boolean;
  /** For health probes. */
  status: () => ServerStatus;
}

function singleValued(headers: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** `http://host:port` of an absolute-form request target. */
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * A server must accept the absolute form (`GET http://host/path`, RFC 9112 §3.2.2), which clients send
 * through a proxy (rclone's TencentCOS provider always addresses buckets virtual-hosted, so tests reach
 * `<bucket>.localhost` that way); what was signed is its path and query, the Host header its host.
 */
function originForm(target: string): string {
  const authority = ABSOLUTE_FORM.exec(target);
  if (!authority) return target;
  const rest = target.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

export const UNBOUND_WARNING = 'accepted a signature that does not name the bucket and would work on any other (--allow-unbound-signatures)';

export function createHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(deps, req, res);
  };
}

async function handle(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const now = deps.clock();
  const ids = { requestId: newRequestId(now), traceId: newTraceId() };
  const rawUrl = originForm(req.url ?? '/');
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const host = req.headers.host ?? '';
  const isHead = req.method === 'HEAD';
  let route: Route | undefined;
  let principal: Principal = ANONYMOUS;
  // Known once the caller is: an error before that answers in COS's shape.
  let dialect: ApiDialect = 'cos';
  const rawHeaders = singleValued(req.headers);
  // Operations read S3's x-amz-* twins under their x-cos-* names; signatures cover the raw headers.
  const headers = operationHeaders(rawHeaders, isAwsChunked(rawHeaders));
  // Undefined until loaded; null once looked up and absent.
  let bucket: Bucket | null | undefined;
  try {
    const query = parseQuery(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
    if (rawPath.startsWith(ADMIN_PREFIX)) {
      goAhead(req, res);
      const reply = await handleAdmin(deps, { req, body: req, rawPath, query, headers: rawHeaders, now, requestId: ids.requestId });
      await sendReply(res, reply, ids, isHead);
      deps.log.access({ reqId: ids.requestId, msg: 'admin request', path: rawPath, status: reply.status });
      return;
    }
    route = resolveRoute({ method: req.method ?? 'GET', host, rawPath, query, headers }, deps);
    const operation = OPERATION_HANDLERS[route.id];
    const caller: Authenticated =
      operation.authenticate === 'self'
        ? { principal: ANONYMOUS, scheme: 'anonymous', wrapBody: undefined }
        : await authenticate(
            {
              method: req.method ?? 'GET',
              ...signedPaths(route),
              query,
              headers: rawHeaders,
              now: Math.floor(now / 1000),
              target: { route, rawPath },
            },
            deps.keyring,
            { strictCosS3: deps.strictCosS3, allowUnboundSignatures: deps.allowUnboundSignatures, singleUse: deps.singleUse },
          );
    principal = caller.principal;
    dialect = dialectOf(caller.scheme);
    if (caller.unbound) {
      deps.log.warn({ reqId: ids.requestId, msg: UNBOUND_WARNING, op: route.id, bucket: route.bucket, principal: principalId(principal) });
    }
    const identity = await identityFacts(deps.meta, caller, deps.policies);
    const ctx = makeContext(deps, { req, res, wrapBody: caller.wrapBody, route, principal, dialect, identity, headers, query, now, requestId: ids.requestId });
    bucket = route.bucket === undefined ? null : (servedBucket(await deps.meta.getBucket(route.bucket), route.region) ?? null);
    checkExpectedOwner(rawHeaders, bucket ?? undefined);
    // The addressed version (the current one without versionId): its ACL is the one that applies (spec/acl.md §9).
    const object =
      bucket && operation.loadObject ? await loadAddressedVersion(deps.meta, bucket.name, route.key ?? '', ctx.params.get('versionId')) : undefined;
    if (operation.authorize === 'route') {
      const decision = ctx.decide({
        action: ACTION_OF[route.id],
        bucket: ctx.bucketFacts(route.bucket ?? '', bucket ?? undefined),
        ...(route.key !== undefined && { key: route.key }),
        ...objectFacts(object),
      });
      if (decision.effect !== 'allow') throw operation.whenDenied?.(ctx, bucket ?? undefined, object) ?? cosError('AccessDenied');
    }
    let reply: Reply;
    if (operation.needsBucket) {
      if (!bucket) throw cosError('NoSuchBucket');
      reply = await operation.run(ctx, bucket, object);
    } else {
      reply = await operation.run(ctx, bucket ?? undefined);
    }
    const cors = corsHeaders(route, req, headers, bucket ?? undefined);
    if (cors) reply = { ...reply, headers: { ...reply.headers, ...cors } };
    if (dialect === 's3' && typeof reply.body === 'string') reply = { ...reply, body: withS3Namespace(reply.body) };
    await sendReply(res, reply, ids, isHead, dialect);
    deps.log.access({ reqId: ids.requestId, msg: 'request', op: route.id, status: reply.status, principal: principalId(principal) });
  } catch (error) {
    const cors = route && (await corsHeadersOnError(deps, route, req, headers, bucket));
    await sendError(deps, res, error, { ids, host, rawPath, isHead, route, principal, dialect, ...(cors && { cors }) });
  }
}

/**
 * CORS headers for an actual (non-preflight) request whose Origin a bucket rule allows with this
 * method; OPTIONS answers for itself (api/options-object.ts).
 */
function corsHeaders(route: Route, req: IncomingMessage, headers: Record<string, string | undefined>, bucket: Bucket | undefined): Record<string, string> | undefined {
  const origin = headers['origin'];
  if (origin === undefined || !bucket?.cors || route.id === 'OptionsObject') return undefined;
  return actualCorsHeaders(bucket.cors, origin, (req.method ?? 'GET').toUpperCase());
}

/**
 * Errors get them too, so that a page can read why it failed (the JS SDK's clock-skew retry reads
 * ServerTime from a 403). A failure before the bucket was loaded (a bad signature) loads it here:
 * the rules are no secret, as any preflight shows them.
 */
async function corsHeadersOnError(
  deps: HandlerDeps,
  route: Route,
  req: IncomingMessage,
  headers: Record<string, string | undefined>,
  bucket: Bucket | null | undefined,
): Promise<Record<string, string> | undefined> {
  if (headers['origin'] === undefined || route.bucket === undefined) return undefined;
  try {
    const loaded = bucket === undefined ? await deps.meta.getBucket(route.bucket) : (bucket ?? undefined);
    return corsHeaders(route, req, headers, loaded);
  } catch {
    return undefined;
  }
}

interface RequestState {
  req: IncomingMessage;
  res: ServerResponse;
  wrapBody: BodyWrap | undefined;
  route: Route;
  principal: Principal;
  dialect: ApiDialect;
  identity: IdentityFacts | undefined;
  headers: Record<string, string | undefined>;
  query: ReadonlyArray<readonly [string, string]>;
  now: number;
  requestId: string;
}

/**
 * A client that sent `Expect: 100-continue` holds its body back until told to go on (app.ts leaves that
 * to us): it is told when an operation first reads the body, so a request refused before that (403,
 * 404 ...) is answered at once and its body never sent, as S3 does (s3-tests test_100_continue).
 */
function goAhead(req: IncomingMessage, res: ServerResponse): void {
  if (/^100-continue$/i.test(req.headers.expect ?? '')) res.writeContinue();
}

function makeContext(deps: HandlerDeps, state: RequestState): RequestContext {
  const { req, res, wrapBody, route, principal, dialect, identity, headers, query, now, requestId } = state;
  // Wrapped on first use: ctx.blobBody() may take the raw body with a check instead.
  let body: Readable | undefined;
  const bodyStream = (): Readable => {
    if (body === undefined) goAhead(req, res);
    return (body ??= wrapBody ? wrapBody(req) : req);
  };
  const params = new Map<string, string>();
  for (const [name, value] of query) if (!params.has(name)) params.set(name, value);
  const conditions = conditionKeys(req, headers, params);
  const prefix = params.get('prefix');
  const decideAndLog = (facts: OperationFacts): Decision => {
    // An operation that authenticates itself names its caller (and that caller's identity facts), and
    // adds condition keys the request's headers could not carry (POST Object's form fields).
    const { principal: caller = principal, conditions: extra, identity: ownIdentity, ...rest } = facts;
    const who = facts.principal ? ownIdentity : identity;
    const keys = extra ? new Map([...conditions, ...extra]) : conditions;
    const decision = decide({ principal: caller, conditions: keys, now, ...(prefix !== undefined && { prefix }), ...(who && { identity: who }), ...rest });
    if (decision.effect === 'deny') {
      // The caller gets a bare AccessDenied; the reason goes to the log under the request id only.
      deps.log.info({
        reqId: requestId,
        msg: 'access denied',
        op: route.id,
        action: facts.action,
        bucket: facts.bucket?.name,
        key: facts.key,
        principal: principalId(caller),
        decision,
      });
    }
    return decision;
  };
  return {
    requestId,
    req,
    get body() {
      return bodyStream();
    },
    blobBody() {
      // Node's HTTP parser allocates each body chunk, and a BodyWrap passes on only those or views of
      // them, so the chunks are the store's to move.
      if (body === undefined && wrapBody?.check) {
        goAhead(req, res);
        body = req;
        return { body: req, check: wrapBody.check(), ownedChunks: true };
      }
      return { body: bodyStream(), ownedChunks: true };
    },
    route,
    principal,
    dialect,
    headers,
    params,
    meta: deps.meta,
    blobs: deps.blobs,
    keyring: deps.keyring,
    identityOf: (found) => identityFacts(deps.meta, found, deps.policies),
    region: deps.region,
    domains: deps.domains,
    now,
    bucketFacts: (name, bucket) => bucketFacts(name, bucket, deps.policies),
    decide: decideAndLog,
    authorize(facts) {
      const decision = decideAndLog(facts);
      if (decision.effect !== 'allow') throw cosError('AccessDenied');
      return decision;
    },
  };
}

interface ErrorContext {
  ids: { requestId: string; traceId: string };
  host: string;
  rawPath: string;
  isHead: boolean;
  route: Route | undefined;
  principal: Principal;
  dialect: ApiDialect;
  cors?: Record<string, string>;
}

async function sendError(deps: HandlerDeps, res: ServerResponse, error: unknown, c: ErrorContext): Promise<void> {
  const cos = error instanceof CosError ? error : undefined;
  logFailure(deps.log, error, { reqId: c.ids.requestId, op: c.route?.id }, res.req.socket.destroyed, deps.outOfDescriptors);
  if (res.headersSent) {
    // Mid-body failure: the only honest signal left is to cut the connection.
    res.destroy();
    return;
  }
  const failure = cos ?? cosError('InternalError');
  const plain: Reply =
    failure.status === 304 || c.isHead
      ? emptyReply(failure.status, { ...failure.headers })
      : errorReply(failure, `${c.host}${c.rawPath}`, c.ids.requestId, c.ids.traceId);
  const reply: Reply = c.cors ? { ...plain, headers: { ...plain.headers, ...c.cors } } : plain;
  try {
    await sendReply(res, reply, c.ids, c.isHead, c.dialect);
  } catch {
    res.destroy();
  }
}
