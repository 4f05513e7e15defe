// The request pipeline (STYLE.md §1): route -> authenticate -> identity -> load bucket and object -> authorize -> run -> respond.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_PREFIX, handleAdmin } from '../admin/http-endpoint.ts';
import { deniedError } from '../api/common/denied.ts';
import { identityFacts, objectFacts } from '../api/common/facts.ts';
import { loadAddressedVersion } from '../api/common/version.ts';
import { OPERATION_HANDLERS } from '../api/index.ts';
import type { Operation, RequestContext } from '../api/operation.ts';
import { authenticate, dialectOf, type Authenticated } from '../auth/authenticate.ts';
import { isAwsChunked } from '../auth/payload.ts';
import { ACTION_OF } from '../authz/actions.ts';
import type { RefererFacts } from '../authz/decide.ts';
import type { ApiDialect } from '../domain/api-dialect.ts';
import type { Bucket } from '../domain/bucket.ts';
import { ANONYMOUS, principalId } from '../domain/identity.ts';
import { servedBucket } from '../domain/region.ts';
import { CosError } from '../errors/cos-error.ts';
import { newRequestId, newTraceId } from '../http/ids.ts';
import { parseQuery } from '../http/query.ts';
import { goAhead, requestTarget, singleValued } from '../http/request.ts';
import { sendReply, type Reply, type ResponseIds } from '../http/respond.ts';
import { operationHeaders, withS3Namespace } from '../http/s3-headers.ts';
import { hostTarget, resolveRoute, signedPaths, type Route } from '../routing/resolve.ts';
import { accessLogFacts } from './access-log.ts';
import { corsHeaders, corsHeadersOnError } from './cors.ts';
import type { HandlerDeps } from './deps.ts';
import { makeContext } from './context.ts';
import { sendError } from './errors.ts';
import { checkExpectedOwner } from './expected-owner.ts';
import { injectFault } from './faults.ts';
import { observeRequest } from './observe.ts';

export const UNBOUND_WARNING = 'accepted a signature that does not name the bucket and would work on any other (--allow-unbound-signatures)';

export function createHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(deps, req, res);
  };
}

/** The caller of an operation the pipeline does not authenticate (it finds its caller itself, or has none). */
const NOT_AUTHENTICATED: Authenticated = { principal: ANONYMOUS, scheme: 'anonymous', wrapBody: undefined };

async function handle(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const now = deps.clock();
  const ids: ResponseIds = { requestId: newRequestId(now), traceId: newTraceId(), now };
  const { rawPath, rawQuery } = requestTarget(req);
  const host = req.headers.host ?? '';
  const isHead = req.method === 'HEAD';
  let route: Route | undefined;
  // Known once the caller is: an error before that answers in COS's shape.
  let dialect: ApiDialect = 'cos';
  const rawHeaders = singleValued(req.headers);
  // Operations read S3's x-amz-* twins under their x-cos-* names; signatures cover the raw headers.
  const headers = operationHeaders(rawHeaders, isAwsChunked(rawHeaders));
  // Undefined until loaded; null once looked up and absent.
  let bucket: Bucket | null | undefined;
  const seen = observeRequest(deps, req, res, ids.requestId, rawPath);
  try {
    const query = parseQuery(rawQuery);
    if (rawPath.startsWith(ADMIN_PREFIX)) {
      seen.op = 'Admin';
      goAhead(req, res);
      const reply = await handleAdmin(deps, { req, body: req, rawPath, query, headers: rawHeaders, now, requestId: ids.requestId });
      await sendReply(res, reply, ids, isHead);
      return;
    }
    route = resolveRoute({ method: req.method ?? 'GET', host, rawPath, query, headers }, deps);
    Object.assign(seen, { op: route.id, bucket: route.bucket, key: route.key });
    const operation = OPERATION_HANDLERS[route.id];
    const caller =
      operation.authenticate === 'request'
        ? await authenticate(
            { method: req.method ?? 'GET', ...signedPaths(route), query, headers: rawHeaders, now: Math.floor(now / 1000), target: { route, rawPath } },
            deps.keyring,
            { strictCosS3: deps.strictCosS3, allowUnboundSignatures: deps.allowUnboundSignatures, singleUse: deps.singleUse },
          )
        : NOT_AUTHENTICATED;
    const { principal } = caller;
    seen.principal = principalId(principal);
    dialect = dialectOf(caller.scheme);
    if (caller.unbound) {
      deps.log.warn({ reqId: ids.requestId, msg: UNBOUND_WARNING, op: route.id, bucket: route.bucket, principal: principalId(principal) });
    }
    const fault = deps.testControls?.faults.match({ operation: route.id, bucket: route.bucket, key: route.key });
    if (fault && !(await injectFault(fault, req))) return;
    const identity = await identityFacts(deps.meta, caller, deps.policies);
    const signature = signatureOf(caller, rawHeaders);
    const ctx = makeContext(deps, { req, res, wrapBody: caller.wrapBody, route, principal, signature, dialect, identity, headers, query, now, requestId: ids.requestId });
    bucket = route.bucket === undefined ? null : (servedBucket(await deps.meta.getBucket(route.bucket), route.region) ?? null);
    const accessLog = accessLogFacts(bucket ?? undefined, principal);
    if (accessLog) seen.accessLog = accessLog;
    let reply = await authorizeAndRun(ctx, operation, bucket ?? undefined);
    if (accessLog) accessLog.versionId = reply.headers?.['x-cos-version-id'];
    const cors = corsHeaders(route, req, headers, bucket ?? undefined);
    if (cors) reply = { ...reply, headers: { ...reply.headers, ...cors } };
    if (dialect === 's3' && typeof reply.body === 'string') reply = { ...reply, body: withS3Namespace(reply.body) };
    await sendReply(res, reply, ids, isHead, dialect);
  } catch (error) {
    seen.code = error instanceof CosError ? error.code : 'InternalError';
    const cors = route && (await corsHeadersOnError(deps, route, req, headers, bucket));
    // A request the router refused (a PUT to a website endpoint) has no route to say where it went.
    const website = route ? route.style === 'website' : hostTarget(host, deps).website === true;
    await sendError(deps, res, error, { ids, host, rawPath, isHead, op: route?.id, dialect, website, ...(cors && { cors }) });
  }
}

/**
 * Where the request's signature was, for hotlink protection: the presigned-URL forms are checked before
 * the Authorization header (auth/authenticate.ts), so a signed request without that header was signed
 * in its URL.
 */
function signatureOf(caller: Authenticated, headers: Readonly<Record<string, string | undefined>>): RefererFacts['signature'] {
  if (caller.scheme === 'anonymous') return 'none';
  return (headers['authorization']?.trim() ?? '') === '' ? 'url' : 'header';
}

/** Loads what the operation needs, decides the route's action when the operation leaves that to the pipeline, and runs it. */
async function authorizeAndRun(ctx: RequestContext, operation: Operation, bucket: Bucket | undefined): Promise<Reply> {
  const { route } = ctx;
  checkExpectedOwner(ctx.headers, bucket);
  // The addressed version (the current one without versionId): its ACL is the one that applies (spec/acl.md §9).
  const object = bucket && operation.needs.object ? await loadAddressedVersion(ctx.meta, bucket.name, route.key ?? '', ctx.params.get('versionId')) : undefined;
  const found = { bucket, object };
  if (operation.authorize === 'route') {
    const verdict = ctx.decide({
      action: ACTION_OF[route.id],
      bucket: ctx.bucketFacts(route.bucket ?? '', bucket),
      ...(route.key !== undefined && { key: route.key }),
      ...objectFacts(object),
    });
    if (verdict.effect !== 'allow') {
      // A hotlink refusal is answered as such: whenDenied would tell a caller who may list that a key is missing.
      throw verdict.layer === 'referer' ? deniedError(verdict) : (operation.whenDenied?.(ctx, found) ?? deniedError(verdict));
    }
  }
  return operation.run(ctx, found);
}
