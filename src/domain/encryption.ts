// Server-side encryption: what a request asks for (SSE-COS, SSE-C), what a stored object records of it, and
// the headers COS answers with. [doc: Server-side encryption overview, https://cloud.tencent.com/document/product/436/18145;
// the headers and errors follow S3's SSE-C, https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html]
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { cosError } from '../errors/cos-error.ts';
import type { Bucket } from './bucket.ts';
import { childOf, itemsOf, textOfChild } from './config-schema.ts';

/** The only algorithm either kind takes: AES-256 (CTR mode at rest, storage/content-cipher.ts). */
export const SSE_ALGORITHM = 'AES256';

/**
 * Who holds an object's key. SSE-COS: the server (its key file, storage/server-key.ts). SSE-C: the
 * caller, who sends it with every read; only a salted HMAC of it is kept, to tell the right key from a
 * wrong one - never the key, nor its plain MD5 (which would let anyone holding a candidate key test it offline).
 */
export type SseScheme = { readonly kind: 'cos' } | { readonly kind: 'customer'; readonly keyCheck: string };

/**
 * One run of bytes encrypted with its own initialisation vector: an object written in one piece has
 * one, an object completed from parts one per part (each part was encrypted as it arrived).
 */
export interface CipherSegment {
  readonly size: number;
  /** Base64 of the 16-byte initial counter block. */
  readonly iv: string;
}

/** How a stored object's (or part's) bytes are encrypted; absent on a record: stored as sent. */
export interface Encryption {
  readonly scheme: SseScheme;
  readonly segments: readonly CipherSegment[];
}

/** What a request asks for; a customer key comes with its MD5 (base64), which replies echo. */
export type RequestedSse = { kind: 'cos' } | { kind: 'customer'; key: Buffer; keyMd5: string };

type Headers = Readonly<Record<string, string | undefined>>;

/** The header families: an object's own, and a copy's source (`x-cos-copy-source-server-side-encryption-customer-*`). */
const OWN = 'x-cos-server-side-encryption';
const COPY_SOURCE = 'x-cos-copy-source-server-side-encryption';

/**
 * The SSE-C headers under `prefix`, checked as S3 checks them: an algorithm other than AES256 is
 * InvalidEncryptionAlgorithmError; a key without an algorithm, an algorithm without a key, a missing
 * or wrong key MD5 and a key that is not 32 bytes are InvalidArgument.
 */
function customerKey(headers: Headers, prefix: string): RequestedSse | undefined {
  const algorithm = headers[`${prefix}-customer-algorithm`];
  const encoded = headers[`${prefix}-customer-key`];
  const md5 = headers[`${prefix}-customer-key-md5`];
  if (algorithm === undefined && encoded === undefined && md5 === undefined) return undefined;
  if (algorithm === undefined) {
    throw cosError('InvalidArgument', { message: 'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.' });
  }
  if (algorithm !== SSE_ALGORITHM) {
    throw cosError('InvalidEncryptionAlgorithmError', { detail: `${prefix}-customer-algorithm ${algorithm}` });
  }
  if (encoded === undefined) {
    throw cosError('InvalidArgument', { message: 'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.' });
  }
  if (md5 === undefined) {
    throw cosError('InvalidArgument', { message: 'Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.' });
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32 || key.toString('base64') !== encoded.trim()) {
    throw cosError('InvalidArgument', { message: 'The secret key was invalid for the specified algorithm.' });
  }
  const keyMd5 = createHash('md5').update(key).digest('base64');
  if (keyMd5 !== md5.trim()) {
    throw cosError('InvalidArgument', { message: 'The calculated MD5 hash of the key did not match the hash that was provided.' });
  }
  return { kind: 'customer', key, keyMd5 };
}

/**
 * The encryption a write's headers ask for. `x-cos-server-side-encryption` takes AES256 (SSE-COS);
 * COS's other values (`cos/kms`, `SM4`) need key services this server does not have, and anything else
 * is not a value COS knows: both are InvalidArgument, as S3 answers a value it does not support. Both
 * kinds at once is InvalidArgument too (S3).
 */
export function requestedSse(headers: Headers): RequestedSse | undefined {
  const customer = customerKey(headers, OWN);
  const server = headers[OWN];
  if (server === undefined) return customer;
  if (customer) throw cosError('InvalidArgument', { message: 'Server Side Encryption with Customer provided key is incompatible with the encryption method specified' });
  if (server !== SSE_ALGORITHM) throw cosError('InvalidArgument', { message: `The server-side encryption ${server} is not supported; use ${SSE_ALGORITHM}.` });
  return { kind: 'cos' };
}

/** The customer key a copy's source needs, if the request sends one. */
export const copySourceKey = (headers: Headers): RequestedSse | undefined => customerKey(headers, COPY_SOURCE);

/** The customer key a read sends (GET, HEAD, Upload Part); SSE-COS needs none, and `x-cos-server-side-encryption` is no read header. */
export const readKey = (headers: Headers): RequestedSse | undefined => customerKey(headers, OWN);

/**
 * The bucket's default encryption (PUT Bucket encryption) as a write without encryption headers gets
 * it: AES256 is SSE-COS. KMS and SM4 defaults stay stored only (no key service here) and encrypt nothing.
 */
export function bucketDefaultSse(bucket: Bucket): RequestedSse | undefined {
  const rule = bucket.encryption && itemsOf(bucket.encryption, 'Rule')[0];
  const byDefault = rule && childOf(rule, 'ApplyServerSideEncryptionByDefault');
  return byDefault && textOfChild(byDefault, 'SSEAlgorithm') === SSE_ALGORITHM ? { kind: 'cos' } : undefined;
}

/** A salted HMAC-SHA256 of a customer key: `<salt>.<mac>`, both base64. */
function keyCheckOf(key: Buffer, salt: Buffer): string {
  return `${salt.toString('base64')}.${createHmac('sha256', salt).update(key).digest('base64')}`;
}

/** The scheme a write records for what it was asked. */
export function schemeFor(requested: RequestedSse): SseScheme {
  return requested.kind === 'cos' ? { kind: 'cos' } : { kind: 'customer', keyCheck: keyCheckOf(requested.key, randomBytes(16)) };
}

/** Whether `key` is the customer key the scheme was recorded with (compared in constant time). */
export function customerKeyMatches(scheme: Extract<SseScheme, { kind: 'customer' }>, key: Buffer): boolean {
  const salt = Buffer.from(scheme.keyCheck.split('.')[0] ?? '', 'base64');
  const expected = Buffer.from(scheme.keyCheck);
  const actual = Buffer.from(keyCheckOf(key, salt));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * The customer key that opens an object encrypted under `scheme`, from what the request sent. S3's answers,
 * which COS's SSE-C follows: no key for an SSE-C object is 400 InvalidRequest, the wrong key 403
 * AccessDenied; a key for an object that has none is 400 InvalidRequest. SSE-COS needs nothing (undefined).
 */
export function openingKey(scheme: SseScheme | undefined, sent: RequestedSse | undefined): Buffer | undefined {
  if (scheme?.kind !== 'customer') {
    if (sent) throw cosError('InvalidRequest', { message: 'The encryption parameters are not applicable to this object.' });
    return undefined;
  }
  if (sent?.kind !== 'customer') {
    throw cosError('InvalidRequest', {
      message: 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
    });
  }
  if (!customerKeyMatches(scheme, sent.key)) throw cosError('AccessDenied', { detail: 'the customer key is not the one the object was written with' });
  return sent.key;
}

/**
 * What replies say of an object's encryption [doc: PUT Object, GET Object response headers]: SSE-COS
 * its algorithm; SSE-C the algorithm and the MD5 of the key the request sent.
 */
export function sseHeaders(scheme: SseScheme | undefined, keyMd5: string | undefined): Record<string, string> {
  if (!scheme) return {};
  if (scheme.kind === 'cos') return { [OWN]: SSE_ALGORITHM };
  return { [`${OWN}-customer-algorithm`]: SSE_ALGORITHM, ...(keyMd5 !== undefined && { [`${OWN}-customer-key-md5`]: keyMd5 }) };
}

/**
 * The ETag an encrypted write gets. SSE-COS: the plaintext's MD5, as S3's SSE-S3 (clients compare it with
 * Content-MD5). SSE-C: not the plaintext's MD5 - COS says an encrypted object's ETag differs [doc: Common
 * Response Headers] and S3's SSE-C ETag is no digest of the plaintext either; here it is the stored
 * ciphertext's MD5, which reveals nothing of the content. Integrity is x-cos-hash-crc64ecma's job.
 */
export const etagFor = (scheme: SseScheme | undefined, plainMd5Hex: string, cipherMd5Hex: string): string =>
  `"${scheme?.kind === 'customer' ? cipherMd5Hex : plainMd5Hex}"`;
