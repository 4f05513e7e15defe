// Which verifier a request body needs, from x-amz-content-sha256 / x-amz-trailer / x-amz-checksum-* (any signature scheme).
import type { Readable, Transform } from 'node:stream';
import { cosError } from '../errors/cos-error.ts';
import { AwsChunkedDecoder, PayloadCheck, PayloadVerifier, headerChecksum, type ExpectedChecksum } from './sigv4/chunked.ts';
import { EMPTY_SHA256 } from './sigv4/canonical.ts';
import { checksumAlgorithmOf } from './sigv4/checksum.ts';
import type { SigningChain } from './sigv4/verify.ts';

export interface BodyWrap {
  /**
   * The verified body. Its chunks are the raw ones or views of them, in order, and neither it nor the
   * raw body reads a chunk again once passed on: a reader may take their memory (BlobExpectation.ownedChunks).
   */
  (raw: Readable): Readable;
  /**
   * Plain (not aws-chunked) bodies: the same verification as a check a reader feeds the chunks it
   * already iterates (the blob store), sparing a stream stage per request (~15 µs of a 4 KiB PUT).
   */
  check?: () => PayloadCheck;
}

type Headers = Readonly<Record<string, string | undefined>>;

/** A wrap that verifies a plain body with a fresh PayloadCheck, either as a stream stage or fed by the reader. */
function plainVerifier(contentSha256: string | undefined, checksum: ExpectedChecksum | undefined, headers: Headers): BodyWrap {
  const length = headers['content-length'];
  const size = length === undefined ? undefined : Number(length);
  const check = (): PayloadCheck => new PayloadCheck(contentSha256, checksum, size);
  const wrap: BodyWrap = (raw: Readable) => through(raw, new PayloadVerifier(check()));
  wrap.check = check;
  return wrap;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const SIGNED_STREAMING = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
const SIGNED_STREAMING_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
const UNSIGNED_STREAMING_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Not pipeline(): a failing verifier must not destroy the request (its socket carries the error
 * reply). A client that aborts mid-body still ends the verifier, so no reader hangs.
 */
function through(raw: Readable, verifier: Transform): Readable {
  raw.once('error', (error) => verifier.destroy(error));
  raw.once('close', () => {
    if (!raw.readableEnded) verifier.destroy(cosError('IncompleteBody', { detail: 'client closed mid-body' }));
  });
  return raw.pipe(verifier);
}

/** Whether the body is aws-chunked framed (x-amz-content-sha256 STREAMING-* or Content-Encoding aws-chunked). */
export function isAwsChunked(headers: Headers): boolean {
  return (headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-') || /(^|,)\s*aws-chunked\s*(,|$)/i.test(headers['content-encoding'] ?? '');
}

function hasBody(headers: Headers): boolean {
  return (headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined;
}

function trailerChecksum(headers: Headers): ExpectedChecksum | undefined {
  const trailer = headers['x-amz-trailer'];
  if (trailer === undefined) return headerChecksum(headers);
  const algorithm = checksumAlgorithmOf(trailer);
  if (!algorithm) throw cosError('InvalidRequest', { message: `Unsupported x-amz-trailer ${trailer}` });
  return { algorithm, value: undefined };
}

/**
 * The body wrapper a request needs, or undefined when the raw body is used as is. `chain` is set when
 * a SigV4 Authorization header was verified: only then can chunk signatures be checked.
 */
export function bodyVerifier(headers: Headers, chain: SigningChain | undefined): BodyWrap | undefined {
  const declared = headers['x-amz-content-sha256'];
  if (declared?.startsWith('STREAMING-')) {
    const signed = declared === SIGNED_STREAMING || declared === SIGNED_STREAMING_TRAILER;
    if (!signed && declared !== UNSIGNED_STREAMING_TRAILER) throw cosError('NotImplemented', { message: `x-amz-content-sha256 ${declared} is not supported.` });
    if (signed && !chain) throw cosError('InvalidRequest', { message: `${declared} needs a SigV4 Authorization header.` });
    const decoded = headers['x-amz-decoded-content-length'];
    if (decoded !== undefined && !/^\d+$/.test(decoded)) throw cosError('InvalidArgument', { message: 'Invalid x-amz-decoded-content-length' });
    const trailer = declared === SIGNED_STREAMING ? undefined : headers['x-amz-trailer'];
    const options = {
      chain: signed ? chain : undefined,
      trailer,
      checksum: trailerChecksum(headers),
      decodedLength: decoded === undefined ? undefined : Number(decoded),
    };
    return (raw) => through(raw, new AwsChunkedDecoder(options));
  }
  const checksum = headerChecksum(headers);
  if (declared === undefined || declared === UNSIGNED_PAYLOAD) {
    return checksum && plainVerifier(undefined, checksum, headers);
  }
  if (!HEX64.test(declared)) {
    throw cosError('InvalidArgument', { message: 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-*, or a valid sha256 value.' });
  }
  // No body to stream through a hash: the declared hash must be that of nothing.
  if (!hasBody(headers)) {
    if (declared !== EMPTY_SHA256) throw cosError('XAmzContentSHA256Mismatch');
    return undefined;
  }
  return plainVerifier(declared, checksum, headers);
}
