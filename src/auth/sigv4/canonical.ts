// The pure steps of AWS Signature Version 4 as S3 uses it: canonical request, string to sign, signing key, chunk and trailer strings.
import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** UriEncode(): every byte but the RFC 3986 unreserved characters as upper-case %XX; `/` kept in paths. */
export function uriEncode(s: string, keepSlash: boolean): string {
  const encoded = encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export interface CanonicalParts {
  method: string;
  /** Decoded request path, starting with '/'. S3 neither normalizes nor double-encodes it. */
  path: string;
  /** Decoded query pairs; X-Amz-Signature is left out by the caller for presigned URLs. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Lower-cased header name -> value. */
  headers: Readonly<Record<string, string | undefined>>;
  signedHeaders: readonly string[];
  /** x-amz-content-sha256 as sent, or UNSIGNED-PAYLOAD for presigned URLs. */
  payloadHash: string;
}

/** Header values are trimmed and inner runs of spaces collapsed to one. */
const canonicalValue = (value: string): string => value.trim().replace(/\s+/g, ' ');

export function canonicalQuery(query: ReadonlyArray<readonly [string, string]>): string {
  return query
    .map(([name, value]) => [uriEncode(name, false), uriEncode(value, false)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function canonicalRequest(p: CanonicalParts): string {
  const headers = p.signedHeaders.map((name) => `${name}:${canonicalValue(p.headers[name] ?? '')}\n`).join('');
  return [p.method.toUpperCase(), uriEncode(p.path, true), canonicalQuery(p.query), headers, p.signedHeaders.join(';'), p.payloadHash].join('\n');
}

/** `<yyyymmdd>/<region>/<service>/aws4_request`. */
export const credentialScope = (date: string, region: string, service: string): string => `${date}/${region}/${service}/aws4_request`;

export const stringToSign = (amzDate: string, scope: string, canonical: string): string =>
  `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;

export function signingKey(secretKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretKey}`, date), region), service), 'aws4_request');
}

const signingKeys = new Map<string, Buffer>();
/** Bounds the cache; a key is valid for one scope date, so old entries age out within a day anyway. */
const MAX_CACHED_KEYS = 256;

/**
 * signingKey() remembered per secret and scope: deriving it is four HMACs, as much as the rest of a
 * request's verification, and a client reuses one scope for a whole day (the AWS SDKs cache it too).
 */
export function cachedSigningKey(secretKey: string, date: string, region: string, service: string): Buffer {
  const id = `${date}\n${region}\n${service}\n${secretKey}`;
  let key = signingKeys.get(id);
  if (key === undefined) {
    if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.clear();
    key = signingKey(secretKey, date, region, service);
    signingKeys.set(id, key);
  }
  return key;
}

export const signHex = (key: Buffer, toSign: string): string => createHmac('sha256', key).update(toSign, 'utf8').digest('hex');

/** String to sign of one aws-chunked chunk: chained to the previous signature (the seed is the header's). */
export const chunkStringToSign = (amzDate: string, scope: string, previous: string, chunkSha256: string): string =>
  `${ALGORITHM}-PAYLOAD\n${amzDate}\n${scope}\n${previous}\n${EMPTY_SHA256}\n${chunkSha256}`;

/** String to sign of the trailer of a signed aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER). */
export const trailerStringToSign = (amzDate: string, scope: string, previous: string, trailerSha256: string): string =>
  `${ALGORITHM}-TRAILER\n${amzDate}\n${scope}\n${previous}\n${trailerSha256}`;
