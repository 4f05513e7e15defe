// The admin HTTP endpoint (`POST /_coslocal/v1/...`): temporary keys, `explain` and the background jobs over HTTP, for callers
// that sign with a root account's permanent key (COS q-sign or SigV4, verified like any request); and
// `GET /_coslocal/health`, unsigned, for probes.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { authenticate } from '../auth/authenticate.ts';
import type { Keyring } from '../auth/keyring.ts';
import { bucketAppid } from '../domain/bucket.ts';
import { isRoot } from '../domain/identity.ts';
import { cosError, CosError } from '../errors/cos-error.ts';
import { logFailure, type Logger } from '../http/log.ts';
import type { Reply } from '../http/respond.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import { VERSION } from '../version.ts';
import { invalid, jsonError, jsonReply, optionalText, readJson, type Json } from './admin-json.ts';
import type { ServerMetrics } from './metrics.ts';
import { clockEndpoint, faultsEndpoint, resetEndpoint, type TestControlDeps } from './test-control-endpoints.ts';
import { explain, explainConditions } from './explain.ts';
import { jobsEndpoint, JOBS_PATH } from './jobs-endpoint.ts';
import type { JobRunner } from '../jobs/runner.ts';
import { issueTemporaryKey, TemporaryKeyError } from './temporary-keys.ts';

/** No bucket name can start with `_`, so this prefix never shadows a path-style bucket. */
export const ADMIN_PREFIX = '/_coslocal/';
export const HEALTH_PATH = `${ADMIN_PREFIX}health`;
export const METRICS_PATH = `${ADMIN_PREFIX}metrics`;

/** What a health probe is told: `ready` once the server answers requests, `stopping` once it finishes the last ones. */
export interface ServerStatus {
  state: 'starting' | 'ready' | 'stopping';
  /** The storage engine (`sqlite`, `memory`). */
  engine: string;
  /** Epoch milliseconds. */
  startedAt: number;
}

export interface AdminDeps extends TestControlDeps {
  meta: MetadataStore;
  keyring: Keyring;
  strictCosS3: boolean;
  log: Logger;
  status: () => ServerStatus;
  metrics: ServerMetrics;
  jobs: JobRunner;
}

export interface AdminRequest {
  req: IncomingMessage;
  body: Readable;
  rawPath: string;
  query: ReadonlyArray<readonly [string, string]>;
  headers: Readonly<Record<string, string | undefined>>;
  /** Epoch milliseconds. */
  now: number;
  requestId: string;
}

/** A policy given as a JSON object or as its text. */
function optionalPolicy(body: Json, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  throw invalid(`${name} must be a policy document`);
}

/** `{ uin?, durationSeconds?, policy? }` -> the STS SDK's result shape (credentials.tmpSecretId, ...). */
async function temporaryKeys(deps: AdminDeps, root: { ownerUin: string }, r: AdminRequest): Promise<Reply> {
  const body = await readJson(r);
  const duration = body['durationSeconds'] ?? 1800;
  if (typeof duration !== 'number') throw invalid('durationSeconds must be a number');
  const policy = optionalPolicy(body, 'policy');
  try {
    const key = await issueTemporaryKey(deps.meta, {
      ownerUin: root.ownerUin,
      uin: optionalText(body, 'uin') ?? root.ownerUin,
      durationSeconds: duration,
      ...(policy !== undefined && { policy }),
      now: Math.floor(r.now / 1000),
    });
    return jsonReply({
      credentials: { tmpSecretId: key.secretId, tmpSecretKey: key.secretKey, sessionToken: key.token },
      startTime: key.startTime,
      expiredTime: key.expiredTime,
      expiration: new Date(key.expiredTime * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
  } catch (error) {
    if (error instanceof TemporaryKeyError) throw invalid(error.message);
    throw error;
  }
}

/** `{ as, action, bucket, key?, prefix?, ip?, conditions?, sessionPolicy? }` about one of the signer's buckets. */
async function explainRequest(deps: AdminDeps, root: { ownerUin: string; appid: string }, r: AdminRequest): Promise<Reply> {
  const body = await readJson(r);
  const bucket = optionalText(body, 'bucket');
  const as = optionalText(body, 'as');
  const action = optionalText(body, 'action');
  if (bucket === undefined || as === undefined || action === undefined) throw invalid('as, action and bucket are required');
  // Only about the signer's own buckets (the APPID in the name): the answer shows their ACLs and policies.
  if (bucketAppid(bucket) !== root.appid) throw cosError('AccessDenied');
  const raw = body['conditions'] ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('conditions must be an object of key -> value or [values]');
  const pairs = Object.entries(raw).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value): [string, string] => [name, String(value)]));
  const key = optionalText(body, 'key');
  const prefix = optionalText(body, 'prefix');
  const referer = optionalText(body, 'referer');
  const sessionPolicy = optionalPolicy(body, 'sessionPolicy');
  try {
    return jsonReply(
      await explain(deps.meta, {
        as,
        action,
        bucket,
        ...(key !== undefined && { key }),
        ...(prefix !== undefined && { prefix }),
        conditions: explainConditions({ ip: optionalText(body, 'ip'), prefix, pairs }),
        ...(sessionPolicy !== undefined && { sessionPolicy }),
        ...(referer !== undefined && { referer }),
        now: r.now,
        viewer: root.ownerUin,
      }),
    );
  } catch (error) {
    if (error instanceof CosError) throw error;
    throw invalid((error as Error).message);
  }
}

type Endpoint = (deps: AdminDeps, root: { ownerUin: string; appid: string }, r: AdminRequest) => Promise<Reply>;

/** POST only: the endpoint's own method check comes after the signature's, so an unsigned caller learns nothing. */
const postOnly =
  (endpoint: Endpoint): Endpoint =>
  async (deps, root, r) => {
    if (r.req.method !== 'POST') throw cosError('MethodNotAllowed');
    return endpoint(deps, root, r);
  };

/** `v1/jobs` and `v1/jobs/<name>/run`. */
function jobs(deps: AdminDeps, _root: unknown, r: AdminRequest): Promise<Reply> {
  return jobsEndpoint(deps.jobs, r.req.method, r.rawPath.slice(ADMIN_PREFIX.length + JOBS_PATH.length));
}

// A Map, not an object literal: a path such as `constructor` or `__proto__` must not find Object.prototype's members.
const ENDPOINTS = new Map<string, Endpoint>([
  ['v1/temporary-keys', postOnly(temporaryKeys)],
  ['v1/explain', postOnly(explainRequest)],
  ['v1/reset', (deps, _root, r) => resetEndpoint(deps, r)],
  ['v1/faults', (deps, _root, r) => faultsEndpoint(deps, r)],
  ['v1/clock', (deps, _root, r) => clockEndpoint(deps, r)],
  [JOBS_PATH, jobs],
]);

/**
 * No signature: probes (Docker HEALTHCHECK, Kubernetes, CI service checks) carry none, and the answer
 * reveals nothing about buckets, keys or accounts. 503 unless ready, so a load balancer stops sending.
 */
function health(deps: AdminDeps, r: AdminRequest): Reply {
  if (r.req.method !== 'GET' && r.req.method !== 'HEAD') return jsonError(405, 'MethodNotAllowed', 'health answers GET and HEAD', r.requestId);
  const { state, engine, startedAt } = deps.status();
  const uptimeSeconds = Math.max(0, Math.floor((r.now - startedAt) / 1000));
  return jsonReply({ status: state, ready: state === 'ready', version: VERSION, engine, uptimeSeconds }, state === 'ready' ? 200 : 503);
}

/** Prometheus's text format; unsigned like health (scrapers carry no COS signature), and labels name no bucket, key or account. */
async function metrics(deps: AdminDeps, r: AdminRequest): Promise<Reply> {
  if (r.req.method !== 'GET' && r.req.method !== 'HEAD') return jsonError(405, 'MethodNotAllowed', 'metrics answers GET and HEAD', r.requestId);
  return { status: 200, headers: { 'content-type': deps.metrics.registry.contentType }, body: await deps.metrics.render() };
}

/** Answers every admin request, errors included, in JSON. */
export async function handleAdmin(deps: AdminDeps, r: AdminRequest): Promise<Reply> {
  if (r.rawPath === HEALTH_PATH) return health(deps, r);
  if (r.rawPath === METRICS_PATH) return metrics(deps, r);
  const path = r.rawPath.slice(ADMIN_PREFIX.length);
  const endpoint = ENDPOINTS.get(path) ?? (path.startsWith(`${JOBS_PATH}/`) ? jobs : undefined);
  if (!endpoint) return jsonError(404, 'NoSuchEndpoint', `no admin endpoint ${r.rawPath}; see the README`, r.requestId);
  try {
    return await callEndpoint(deps, endpoint, r);
  } catch (error) {
    logFailure(deps.log, error, { reqId: r.requestId, path: r.rawPath }, r.req.socket.destroyed);
    if (error instanceof CosError) return jsonError(error.status, error.code, error.message, r.requestId);
    return jsonError(500, 'InternalError', 'internal error; see the server log under this request id', r.requestId);
  }
}

async function callEndpoint(deps: AdminDeps, endpoint: Endpoint, r: AdminRequest): Promise<Reply> {
  // Signatures are checked against the real time, not the test clock: a test that moved the server's clock
  // a year ahead still signs its admin requests with its own, and must be able to move it back.
  const signedNow = deps.testControls?.clock.real() ?? r.now;
  const caller = await authenticate(
    { method: r.req.method ?? 'POST', paths: [decodeURIComponent(r.rawPath)], query: r.query, headers: r.headers, now: Math.floor(signedNow / 1000) },
    deps.keyring,
    { strictCosS3: deps.strictCosS3 },
  );
  const p = caller.principal;
  // Root accounts' permanent keys only: a temporary key must not mint longer-lived ones.
  if (p.kind !== 'user' || !isRoot(p) || caller.temporary) throw cosError('AccessDenied', { detail: 'admin endpoint: a root account\'s permanent key is required' });
  return endpoint(deps, { ownerUin: p.ownerUin, appid: p.appid }, { ...r, body: caller.wrapBody ? caller.wrapBody(r.req) : r.body });
}
