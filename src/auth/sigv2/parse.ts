// Parses an AWS Signature Version 2: `Authorization: AWS <AccessKeyId>:<Signature>`, or a presigned URL's AWSAccessKeyId/Expires/Signature.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
import { parseAmzDate } from '../sigv4/parse.ts';

export interface SigV2 {
  accessKeyId: string;
  /** Base64 HMAC-SHA1, as sent. */
  signature: string;
  /** Presigned URLs only: Expires as sent (it is signed verbatim) and as epoch seconds. */
  expires?: { text: string; at: number };
}

export type SigV2Parse = { ok: true; sigv2: SigV2 } | { ok: false; reason: string };

type Query = ReadonlyArray<readonly [string, string]>;

const HEADER = /^AWS ([^\s:]+):(\S+)$/;
const EXPIRES = /^\d{1,12}$/;
// RFC 1123 with GMT or a numeric zone: AWS's own examples sign `Tue, 27 Mar 2007 19:36:42 +0000`.
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$/;

/** `AWS4-HMAC-SHA256 ...` is SigV4; SigV2 is `AWS` and a space. */
export const isSigV2Header = (value: string): boolean => value.startsWith('AWS ');

export function parseSigV2Header(value: string): SigV2Parse {
  const m = HEADER.exec(value);
  if (!m) return { ok: false, reason: 'expected AWS AccessKeyId:Signature' };
  return { ok: true, sigv2: { accessKeyId: m[1] ?? '', signature: normaliseSignature(m[2] ?? '') } };
}

/** `Signature` or `Expires` alone may be a COS request's own parameters; `AWSAccessKeyId` is SigV2's. */
export const hasSigV2Query = (query: Query): boolean => query.some(([name]) => name === 'AWSAccessKeyId');

export function parseSigV2Query(query: Query): SigV2Parse {
  const one = (name: string): string | undefined => {
    const values = query.filter(([n]) => n === name);
    return values.length === 1 ? values[0]?.[1] : undefined;
  };
  const accessKeyId = one('AWSAccessKeyId');
  const signature = one('Signature');
  const expires = one('Expires');
  if (accessKeyId === undefined || signature === undefined || expires === undefined) {
    return { ok: false, reason: 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters' };
  }
  if (!EXPIRES.test(expires)) return { ok: false, reason: `Invalid date (should be seconds since epoch): ${expires}` };
  return { ok: true, sigv2: { accessKeyId, signature: normaliseSignature(signature), expires: { text: expires, at: Number(expires) } } };
}

/**
 * Base64 never holds a space: one is a `+` that reached the query unencoded and was form-decoded
 * (hand-made presigned URLs do that), so it is put back.
 */
export const normaliseSignature = (signature: string): string => signature.replace(/ /g, '+');

/**
 * Epoch seconds of a Date or x-amz-date header: an RFC 1123 date, or `yyyymmddThhmmssZ`. A date
 * before the epoch is no valid date: S3 answers it AccessDenied, not RequestTimeTooSkewed (s3-tests).
 */
export function parseRequestTime(value: string): number | undefined {
  const time = HTTP_DATE.test(value) ? Date.parse(value) / 1000 : parseAmzDate(value)?.time;
  return time === undefined || Number.isNaN(time) || time < 0 ? undefined : time;
}
