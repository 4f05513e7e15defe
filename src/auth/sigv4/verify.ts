// Verifies a parsed SigV4 signature against the request; on success hands back the key that signs aws-chunked chunks.
import { timingSafeEqual, type KeyObject } from 'node:crypto';
import { cachedSigningKey, canonicalRequest, credentialScope, signHex, stringToSign } from './canonical.ts';
import type { SigV4 } from './parse.ts';

export interface VerifyRequest {
  method: string;
  /** Decoded paths the client may have signed, most likely first. */
  paths: readonly string[];
  query: ReadonlyArray<readonly [string, string]>;
  headers: Readonly<Record<string, string | undefined>>;
  payloadHash: string;
}

/** What chunk and trailer signatures chain from: the signing key, scope, date and the seed signature. */
export interface SigningChain {
  /** A KeyObject from the cache; raw bytes (signingKey()) work as well. */
  key: KeyObject | Buffer;
  scope: string;
  amzDate: string;
  seed: string;
}

export type VerifyResult = { ok: true; chain: SigningChain } | { ok: false; canonicalRequest: string; stringToSign: string };

export const sameHex = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'latin1');
  const y = Buffer.from(b, 'latin1');
  return x.length === y.length && timingSafeEqual(x, y);
};

export function verifySigV4(sig: SigV4, secretKey: string, req: VerifyRequest): VerifyResult {
  const key = cachedSigningKey(secretKey, sig.date, sig.region, sig.service);
  const scope = credentialScope(sig.date, sig.region, sig.service);
  // A presigned URL signs every query parameter but its own signature.
  const query = sig.expires === undefined ? req.query : req.query.filter(([name]) => name !== 'X-Amz-Signature');
  let first: { canonicalRequest: string; stringToSign: string } | undefined;
  for (const path of req.paths) {
    const canonical = canonicalRequest({ method: req.method, path, query, headers: req.headers, signedHeaders: sig.signedHeaders, payloadHash: req.payloadHash });
    const toSign = stringToSign(sig.amzDate, scope, canonical);
    if (sameHex(signHex(key, toSign), sig.signature)) return { ok: true, chain: { key, scope, amzDate: sig.amzDate, seed: sig.signature } };
    first ??= { canonicalRequest: canonical, stringToSign: toSign };
  }
  return { ok: false, ...(first ?? { canonicalRequest: '', stringToSign: '' }) };
}
