// makeContext: the RequestContext an operation runs with (body, parameters, stores, and decisions logged under the request id).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { bucketFacts, identityFacts } from '../api/common/facts.ts';
import type { Allowed, OperationFacts, RequestContext, Verdict } from '../api/operation.ts';
import type { BodyWrap } from '../auth/payload.ts';
import { decide, type IdentityFacts, type RefererFacts } from '../authz/decide.ts';
import { deniedError } from '../api/common/denied.ts';
import type { ApiDialect } from '../domain/api-dialect.ts';
import { principalId, type Principal } from '../domain/identity.ts';
import { goAhead } from '../http/request.ts';
import type { Route } from '../routing/resolve.ts';
import { conditionKeys, requestOrigin } from './conditions.ts';
import type { HandlerDeps } from './deps.ts';

/** What the pipeline knows of a request once its caller is authenticated. */
export interface RequestState {
  req: IncomingMessage;
  res: ServerResponse;
  wrapBody: BodyWrap | undefined;
  route: Route;
  principal: Principal;
  /** Where the pipeline found the caller's signature ('none' when it found none). */
  signature: RefererFacts['signature'];
  dialect: ApiDialect;
  identity: IdentityFacts | undefined;
  headers: Record<string, string | undefined>;
  query: ReadonlyArray<readonly [string, string]>;
  now: number;
  requestId: string;
}

export function makeContext(deps: HandlerDeps, state: RequestState): RequestContext {
  const { req, res, wrapBody, route, principal, signature, dialect, identity, headers, query, now, requestId } = state;
  // Wrapped on first use: ctx.blobBody() may take the raw body with a check instead.
  let body: Readable | undefined;
  const bodyStream = (): Readable => {
    if (body === undefined) goAhead(req, res);
    return (body ??= wrapBody ? wrapBody(req) : req);
  };
  const params = new Map<string, string>();
  for (const [name, value] of query) if (!params.has(name)) params.set(name, value);
  const conditions = conditionKeys(requestOrigin(req, headers, deps.trustProxy), headers, params);
  const prefix = params.get('prefix');
  const decideAndLog = (facts: OperationFacts): Verdict => {
    // An operation that authenticates itself names its caller (and that caller's identity facts), and
    // adds condition keys the request's headers could not carry (POST Object's form fields).
    const { principal: caller = principal, conditions: extra, identity: ownIdentity, ...rest } = facts;
    const who = facts.principal ? ownIdentity : identity;
    const keys = extra ? new Map([...conditions, ...extra]) : conditions;
    // A caller the operation found itself signed in the request body (POST Object's form), not its URL.
    const referer: RefererFacts = { value: headers['referer'], signature: facts.principal ? (caller.kind === 'anonymous' ? 'none' : 'header') : signature };
    const decision = decide({ principal: caller, conditions: keys, now, referer, ...(prefix !== undefined && { prefix }), ...(who && { identity: who }), ...rest });
    if (decision.effect === 'deny') {
      // The caller gets a bare AccessDenied (or hotlink protection's message); the reason goes to the log under the request id only.
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
      deps.metrics.denied(decision.layer);
    }
    // The one place an allow becomes an Allowed: it came from decide() for this request.
    return decision as Verdict;
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
    serverKey: deps.serverKey,
    keyring: deps.keyring,
    identityOf: (found) => identityFacts(deps.meta, found, deps.policies),
    region: deps.region,
    domains: deps.domains,
    now,
    bucketFacts: (name, bucket) => bucketFacts(name, bucket, deps.policies),
    decide: decideAndLog,
    authorize(facts): Allowed {
      const verdict = decideAndLog(facts);
      if (verdict.effect !== 'allow') throw deniedError(verdict);
      return verdict;
    },
  };
}
