// Signs hand-made requests with AWS SigV4 (header form and aws-chunked bodies) for cases the AWS SDK will not send.
import type { KeyObject } from 'node:crypto';
import {
  cachedSigningKey,
  canonicalRequest,
  chunkStringToSign,
  credentialScope,
  EMPTY_SHA256,
  sha256Hex,
  signHex,
  stringToSign,
} from '../../src/auth/sigv4/canonical.ts';
import type { TestIdentity } from './server.ts';

export const REGION = 'ap-guangzhou';

export const amzDateOf = (ms: number): string => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

export interface SigV4Request {
  method: string;
  /** Decoded path, e.g. `/bucket-1250000000/key`. */
  path: string;
  headers: Record<string, string>;
  payloadHash: string;
  identity: Pick<TestIdentity, 'secretId' | 'secretKey'>;
  now?: number;
}

/** Adds x-amz-date, x-amz-content-sha256 and Authorization (every given header signed); returns the headers and the seed signature. */
export function signV4(r: SigV4Request): { headers: Record<string, string>; seed: string; key: KeyObject; scope: string; amzDate: string } {
  const amzDate = amzDateOf(r.now ?? Date.now());
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = { ...r.headers, 'x-amz-date': amzDate, 'x-amz-content-sha256': r.payloadHash };
  const signedHeaders = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const canonical = canonicalRequest({ method: r.method, path: r.path, query: [], headers, signedHeaders, payloadHash: r.payloadHash });
  const scope = credentialScope(date, REGION, 's3');
  const key = cachedSigningKey(r.identity.secretKey, date, REGION, 's3');
  const seed = signHex(key, stringToSign(amzDate, scope, canonical));
  headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${r.identity.secretId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${seed}`;
  return { headers, seed, key, scope, amzDate };
}

export interface SigningChainParts {
  key: KeyObject | Buffer;
  scope: string;
  amzDate: string;
  seed: string;
}

/**
 * The aws-chunked frames (header line, data, CRLF) of `chunks` and the final empty chunk under
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD, each signature chained from `seed`, produced lazily so a large
 * body is never held. `sha256Of` lets a caller that repeats a chunk hash it once.
 */
export function* signedChunkFrames(chunks: Iterable<Buffer>, chain: SigningChainParts, sha256Of: (data: Buffer) => string = sha256Hex): Generator<Buffer> {
  let previous = chain.seed;
  const crlf = Buffer.from('\r\n');
  const frame = function* (data: Buffer, hash: string): Generator<Buffer> {
    const signature = signHex(chain.key, chunkStringToSign(chain.amzDate, chain.scope, previous, hash));
    yield Buffer.from(`${data.length.toString(16)};chunk-signature=${signature}\r\n`);
    if (data.length > 0) yield data;
    yield crlf;
    previous = signature;
  };
  for (const data of chunks) yield* frame(data, sha256Of(data));
  yield* frame(Buffer.alloc(0), EMPTY_SHA256);
}

/** The whole aws-chunked body for `chunks` under STREAMING-AWS4-HMAC-SHA256-PAYLOAD. */
export const signedChunkedBody = (chunks: Buffer[], chain: SigningChainParts): Buffer => Buffer.concat([...signedChunkFrames(chunks, chain)]);

/** Encoded length of an aws-chunked signed body, for Content-Length before the signatures are known. */
export const signedChunkedLength = (sizes: number[]): number =>
  [...sizes, 0].reduce((sum, n) => sum + n.toString(16).length + ';chunk-signature='.length + 64 + 4 + n, 0);
