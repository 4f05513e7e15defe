// The access-log line of a request to a bucket with logging on (domain/access-log.ts), added to the
// store's pending lines once the request is over; the logging job (jobs/logging.ts) delivers them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatAccessLog } from '../domain/access-log.ts';
import type { Bucket } from '../domain/bucket.ts';
import { readLogging } from '../domain/configs/logging.ts';
import type { Principal } from '../domain/identity.ts';
import { catalogue, type CosErrorCode } from '../errors/catalogue.ts';
import type { HandlerDeps } from './deps.ts';

/** What the pipeline learnt of a logged request's bucket and caller; undefined when the bucket logs nothing. */
export interface AccessLogFacts {
  bucket: string;
  region: string;
  accountId: string;
  principal: Principal;
  /** The version the reply named (x-cos-version-id), once the operation has run. */
  versionId?: string | number | undefined;
}

/** The facts to log the request by, read off the bucket the pipeline loaded anyway (no lookup of its own). */
export function accessLogFacts(bucket: Bucket | undefined, principal: Principal): AccessLogFacts | undefined {
  if (!bucket || !readLogging(bucket.logging)) return undefined;
  return { bucket: bucket.name, region: bucket.region, accountId: bucket.ownerUin, principal };
}

export interface FinishedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  operation: string;
  path: string;
  errorCode: string | undefined;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
  endedAt: number;
}

const isCatalogued = (code: string): code is CosErrorCode => Object.hasOwn(catalogue, code);

/**
 * Adds the line in a transaction of its own, after the response: the request never waits for it. A line
 * that cannot be stored is logged and lost, as the request it describes is already answered.
 */
export function queueAccessLog(deps: Pick<HandlerDeps, 'meta' | 'log'>, facts: AccessLogFacts, done: FinishedRequest): void {
  const { req, res } = done;
  const { principal } = facts;
  const line = formatAccessLog({
    bucket: facts.bucket,
    region: facts.region,
    endedAt: done.endedAt,
    host: req.headers.host ?? '',
    operation: done.operation,
    remoteIp: req.socket.remoteAddress,
    ...(principal.kind === 'user' && { secretId: principal.secretId, requester: `${principal.ownerUin}:${principal.uin}` }),
    requestBytes: done.bytesIn,
    path: done.path,
    method: req.method ?? '',
    userAgent: req.headers['user-agent'],
    status: res.statusCode,
    errorCode: done.errorCode,
    errorMessage: done.errorCode !== undefined && isCatalogued(done.errorCode) ? catalogue[done.errorCode].message : undefined,
    responseBytes: done.bytesOut,
    totalMs: done.durationMs,
    accountId: facts.accountId,
    requestId: done.requestId,
    versionId: facts.versionId === undefined ? undefined : String(facts.versionId),
    referer: req.headers.referer,
    requestUri: req.url ?? '',
  });
  deps.meta.tx((tx) => tx.appendAccessLog({ bucket: facts.bucket, at: done.endedAt, line })).catch((error: unknown) => {
    deps.log.error({ reqId: done.requestId, msg: 'could not store an access-log line; it is lost', bucket: facts.bucket, error: String(error) });
  });
}
