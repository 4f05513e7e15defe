// Access logs as COS writes them: one line per request, its fields in COS's documented order, separated by
// spaces, and the log files' names under the target bucket's prefix.
// [doc: Logging Overview, https://cloud.tencent.com/document/product/436/16920]
import { createHash } from 'node:crypto';

/** What one request leaves in its source bucket's access log. Absent fields are written as `-`. */
export interface AccessLogRecord {
  bucket: string;
  region: string;
  /** When the request ended (epoch ms): COS's eventTime. */
  endedAt: number;
  /** The Host the request was sent to. */
  host: string;
  /** The COS operation (PutObject, GetBucket ...). */
  operation: string;
  remoteIp?: string | undefined;
  secretId?: string | undefined;
  requestBytes: number;
  /** The object's path (`/` and the key), or `/` for the bucket. */
  path: string;
  method: string;
  userAgent?: string | undefined;
  status: number;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  responseBytes: number;
  totalMs: number;
  /** The bucket owner's account. */
  accountId: string;
  /** `<root uin>:<uin>` of the signer. */
  requester?: string | undefined;
  requestId: string;
  versionId?: string | undefined;
  referer?: string | undefined;
  /** The request target as sent (path and query). */
  requestUri: string;
}

/** COS's log format version. */
const EVENT_VERSION = '1.0';

/**
 * Spaces separate the fields, so a value holding a space (or any byte outside printable ASCII) is
 * percent-encoded, `%` included so that the encoding can be undone.
 */
const field = (value: string | number | undefined): string => {
  if (value === undefined || value === '') return '-';
  return String(value).replace(/[^\x21-\x24\x26-\x7e]/gu, (c) => encodeURIComponent(c));
};

/** `2018-12-01T11:02:33Z`: UTC, to the second, as COS's example shows it. */
const eventTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The record as a log line (no line end), fields 1-30 of the documented table. */
export function formatAccessLog(r: AccessLogRecord): string {
  return [
    EVENT_VERSION,
    r.bucket,
    r.region,
    eventTime(r.endedAt),
    r.host,
    r.operation,
    r.remoteIp,
    r.secretId,
    // reservedFiled (sic): always `-`.
    undefined,
    r.requestBytes,
    // deltaDataSize: the change in stored bytes is not known where the line is written.
    undefined,
    r.path,
    r.method.toLowerCase(),
    r.userAgent,
    r.status,
    r.errorCode,
    r.errorMessage,
    r.responseBytes,
    Math.round(r.totalMs),
    'USER',
    // storageClass: the request's object's class is not known where the line is written.
    undefined,
    r.accountId,
    // resTurnAroundTime: the server's share of the total, which locally is all of it.
    Math.round(r.totalMs),
    r.requester,
    r.requestId,
    // objectSize and targetStorageClass: as storageClass.
    undefined,
    r.versionId,
    undefined,
    r.referer,
    r.requestUri,
  ]
    .map(field)
    .join(' ');
}

/** "Logs are generated every 5 minutes" [doc]: a request belongs to the period its end falls in. */
export const LOG_PERIOD_MS = 5 * 60 * 1000;

export const logPeriodOf = (at: number): number => at - (at % LOG_PERIOD_MS);

/**
 * `<TargetPrefix>{YYYY}/{MM}/{DD}/{time}_{random}_{index}` [doc], `time` the period's start as
 * YYYYMMDDHHmmss (UTC). COS's `random` is random; here it is derived from the source bucket and the
 * first line the file holds, so that a delivery done again after a crash writes the same key.
 */
export function logObjectKey(prefix: string, sourceBucket: string, period: number, firstSeq: number): string {
  const iso = new Date(period).toISOString();
  const [yyyy, mm, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const time = iso.slice(0, 19).replace(/[-T:]/g, '');
  const random = createHash('sha256').update(`${sourceBucket}\n${firstSeq}`).digest('hex').slice(0, 8);
  return `${prefix}${yyyy}/${mm}/${dd}/${time}_${random}_0`;
}
