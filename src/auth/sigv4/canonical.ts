// The pure steps of AWS Signature Version 4 as S3 uses it: canonical request, string to sign, signing key, chunk and trailer strings.
import { createHmac, createSecretKey, hash, type KeyObject } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Strings UriEncode() leaves as they are: only unreserved characters (and `/` in paths), as most keys are. */
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;

/** UriEncode(): every byte but the RFC 3986 unreserved characters as upper-case %XX; `/` kept in paths. */
export function uriEncode(s: string, keepSlash: boolean): string {
  if ((keepSlash ? UNRESERVED_PATH : UNRESERVED).test(s)) return s;
  const encoded = encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

/** crypto.hash(): one-shot, without a Hash object per call (Node >= 20.12). */
export const sha256Hex = (data: string | Buffer): string => hash('sha256', data, 'hex');
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

/**
 * Header values are trimmed and inner runs of spaces collapsed to one. Node reads header bytes as
 * latin1. botocore sends a non-ASCII value (x-amz-meta-*) as UTF-8 and signs those characters, so
 * bytes that are valid UTF-8 are read as UTF-8; anything else (Node's clients send é as the latin1
 * byte and sign é) stays as read.
 */
const canonicalValue = (value: string): string => asSignedText(value).trim().replace(/\s+/g, ' ');

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function asSignedText(latin1: string): string {
  if (!/[^\x00-\x7f]/.test(latin1)) return latin1;
  try {
    return strictUtf8.decode(Buffer.from(latin1, 'latin1'));
  } catch {
    return latin1;
  }
}

export function canonicalQuery(query: ReadonlyArray<readonly [string, string]>): string {
  if (query.length === 0) return '';
  return query
    .map(([name, value]) => [uriEncode(name, false), uriEncode(value, false)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function canonicalRequest(p: CanonicalParts): string {
  let headers = '';
  for (const name of p.signedHeaders) headers += `${name}:${canonicalValue(p.headers[name] ?? '')}\n`;
  return `${p.method.toUpperCase()}\n${uriEncode(p.path, true)}\n${canonicalQuery(p.query)}\n${headers}\n${p.signedHeaders.join(';')}\n${p.payloadHash}`;
}

/** `<yyyymmdd>/<region>/<service>/aws4_request`. */
export const credentialScope = (date: string, region: string, service: string): string => `${date}/${region}/${service}/aws4_request`;

export const stringToSign = (amzDate: string, scope: string, canonical: string): string =>
  `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;

export function signingKey(secretKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretKey}`, date), region), service), 'aws4_request');
}

const signingKeys = new Map<string, KeyObject>();
/** Bounds the cache; a key is valid for one scope date, so old entries age out within a day anyway. */
const MAX_CACHED_KEYS = 256;

/**
 * signingKey() remembered per secret and scope: deriving it is four HMACs, as much as the rest of a
 * request's verification, and a client reuses one scope for a whole day (the AWS SDKs cache it too).
 * Held as a KeyObject, which HMACs without re-importing the key bytes each time (~0.7 µs a request).
 * The cache key length-prefixes each part, so no two (secret, date, region, service) tuples share one
 * whatever characters a region from a presigned URL's decoded X-Amz-Credential holds.
 */
export function cachedSigningKey(secretKey: string, date: string, region: string, service: string): KeyObject {
  const id = `${date.length}:${date}${region.length}:${region}${service.length}:${service}${secretKey}`;
  let key = signingKeys.get(id);
  if (key === undefined) {
    if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.clear();
    key = createSecretKey(signingKey(secretKey, date, region, service));
    signingKeys.set(id, key);
  }
  return key;
}

export const signHex = (key: Buffer | KeyObject, toSign: string): string => createHmac('sha256', key).update(toSign, 'utf8').digest('hex');

/** String to sign of one aws-chunked chunk: chained to the previous signature (the seed is the header's). */
export const chunkStringToSign = (amzDate: string, scope: string, previous: string, chunkSha256: string): string =>
  `${ALGORITHM}-PAYLOAD\n${amzDate}\n${scope}\n${previous}\n${EMPTY_SHA256}\n${chunkSha256}`;

/** String to sign of the trailer of a signed aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER). */
export const trailerStringToSign = (amzDate: string, scope: string, previous: string, trailerSha256: string): string =>
  `${ALGORITHM}-TRAILER\n${amzDate}\n${scope}\n${previous}\n${trailerSha256}`;
