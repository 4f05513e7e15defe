// The request pipeline: route -> authenticate -> load bucket -> authorize -> run -> respond (STYLE.md §1).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bucketFacts, identityFacts, objectFacts } from '../api/common/facts.ts';
import { requestedVersionId } from '../api/common/version.ts';
import { OPERATION_HANDLERS } from '../api/index.ts';
import type { OperationFacts, RequestContext } from '../api/operation.ts';
import type { PolicyCache } from '../api/common/policy-cache.ts';
import { conditionKeys } from './conditions.ts';
import { authenticate } from '../auth/authenticate.ts';
import type { Keyring } from '../auth/keyring.ts';
import { ACTION_OF } from '../authz/actions.ts';
import { decide, type Decision, type IdentityFacts } from '../authz/decide.ts';
import { ANONYMOUS, principalId, type Principal } from '../domain/identity.ts';
import { CosError, cosError } from '../errors/cos-error.ts';
import { errorReply } from '../errors/render.ts';
import { resolveRoute, signedPaths, type Route } from '../routing/resolve.ts';
import type { BlobStore } from '../storage/blobs.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import { newRequestId, newTraceId } from './ids.ts';
import type { Logger } from './log.ts';
import { parseQuery } from './query.ts';
import { emptyReply, sendReply, type Reply } from './respond.ts';

export interface HandlerDeps {
  meta: MetadataStore;
  blobs: BlobStore;
  keyring: Keyring;
  region: string;
  domains: readonly string[];
  log: Logger;
  /** Epoch milliseconds; injected for tests. */
  clock: () => number;
  policies: PolicyCache;
}

function singleValued(headers: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

export function createHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(deps, req, res);
  };
}

async function handle(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const now = deps.clock();
  const ids = { requestId: newRequestId(now), traceId: newTraceId() };
  const rawUrl = req.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const host = req.headers.host ?? '';
  const isHead = req.method === 'HEAD';
  let route: Route | undefined;
  let principal: Principal = ANONYMOUS;
  try {
    const query = parseQuery(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
    const headers = singleValued(req.headers);
    route = resolveRoute({ method: req.method ?? 'GET', host, rawPath, query, headers }, deps);
    const caller = await authenticate(
      { method: req.method ?? 'GET', paths: signedPaths(route), query, headers, now: Math.floor(now / 1000) },
      deps.keyring,
    );
    principal = caller.principal;
    const identity = await identityFacts(deps.meta, caller, deps.policies);
    const ctx = makeContext(deps, { req, route, principal, identity, headers, query, now, requestId: ids.requestId });
    const operation = OPERATION_HANDLERS[route.id];
    const bucket = route.bucket === undefined ? undefined : await deps.meta.getBucket(route.bucket);
    // The addressed version (the current one without versionId): its ACL is the one that applies (spec/acl.md §9).
    const object =
      bucket && operation.loadObject ? await deps.meta.getVersion(bucket.name, route.key ?? '', requestedVersionId(ctx.params.get('versionId'))) : undefined;
    if (operation.authorize === 'route') {
      ctx.authorize({
        action: ACTION_OF[route.id],
        bucket: ctx.bucketFacts(route.bucket ?? '', bucket),
        ...(route.key !== undefined && { key: route.key }),
        ...objectFacts(object),
      });
    }
    let reply: Reply;
    if (operation.needsBucket) {
      if (!bucket) throw cosError('NoSuchBucket');
      reply = await operation.run(ctx, bucket, object);
    } else {
      reply = await operation.run(ctx, bucket);
    }
    await sendReply(res, reply, ids, isHead);
    deps.log.access({ reqId: ids.requestId, msg: 'request', op: route.id, status: reply.status, principal: principalId(principal) });
  } catch (error) {
    await sendError(deps, res, error, { ids, host, rawPath, isHead, route, principal });
  }
}

interface RequestState {
  req: IncomingMessage;
  route: Route;
  principal: Principal;
  identity: IdentityFacts | undefined;
  headers: Record<string, string | undefined>;
  query: ReadonlyArray<readonly [string, string]>;
  now: number;
  requestId: string;
}

function makeContext(deps: HandlerDeps, state: RequestState): RequestContext {
  const { req, route, principal, identity, headers, query, now, requestId } = state;
  const params = new Map<string, string>();
  for (const [name, value] of query) if (!params.has(name)) params.set(name, value);
  const conditions = conditionKeys(req, headers, params);
  const prefix = params.get('prefix');
  const decideAndLog = (facts: OperationFacts): Decision => {
    const decision = decide({ principal, conditions, now, ...(prefix !== undefined && { prefix }), ...(identity && { identity }), ...facts });
    if (decision.effect === 'deny') {
      // The caller gets a bare AccessDenied; the reason goes to the log under the request id only.
      deps.log.info({
        reqId: requestId,
        msg: 'access denied',
        op: route.id,
        action: facts.action,
        bucket: facts.bucket?.name,
        key: facts.key,
        principal: principalId(principal),
        decision,
      });
    }
    return decision;
  };
  return {
    requestId,
    req,
    route,
    principal,
    headers,
    params,
    meta: deps.meta,
    blobs: deps.blobs,
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
}

async function sendError(deps: HandlerDeps, res: ServerResponse, error: unknown, c: ErrorContext): Promise<void> {
  const cos = error instanceof CosError ? error : undefined;
  if (cos) {
    if (cos.detail !== undefined) deps.log.access({ reqId: c.ids.requestId, msg: cos.code, detail: cos.detail, op: c.route?.id });
  } else {
    deps.log.error({ reqId: c.ids.requestId, msg: 'internal error', op: c.route?.id, error: error instanceof Error ? error.stack : String(error) });
  }
  if (res.headersSent) {
    // Mid-body failure: the only honest signal left is to cut the connection.
    res.destroy();
    return;
  }
  const failure = cos ?? cosError('InternalError');
  const reply: Reply =
    failure.status === 304 || c.isHead
      ? emptyReply(failure.status, { ...failure.headers })
      : errorReply(failure, `${c.host}${c.rawPath}`, c.ids.requestId, c.ids.traceId);
  try {
    await sendReply(res, reply, c.ids, c.isHead);
  } catch {
    res.destroy();
  }
}
