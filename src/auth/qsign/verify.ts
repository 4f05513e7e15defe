// Verifies a parsed q-sign signature against the request, trying every form the official SDKs sign.
import { timingSafeEqual } from 'node:crypto';
import { httpString, sign, signKey, stringToSign, type SignedParts } from './canonical.ts';
import type { QSign } from './parse.ts';

export interface VerifyRequest {
  method: string;
  /** Decoded paths the client may have signed, most likely first (see auth/authenticate.ts). */
  paths: readonly string[];
  query: SignedParts['query'];
  headers: SignedParts['headers'];
}

export type VerifyResult = { ok: true } | { ok: false; stringToSign: string; formatString: string };

/**
 * Host variants (spec/signature.md §5 step 6): as received; without `:port` (Python SDK with a custom
 * endpoint signs the bare host name); lower-cased.
 */
function hostVariants(host: string | undefined): (string | undefined)[] {
  if (host === undefined) return [undefined];
  const bare = host.replace(/:\d+$/, '');
  return [...new Set([host, bare, bare.toLowerCase()])];
}

export function verifyQSign(q: QSign, secretKey: string, req: VerifyRequest): VerifyResult {
  const key = signKey(secretKey, q.keyTime);
  const expected = Buffer.from(q.signature, 'latin1');
  const hosts = q.headerList.includes('host') ? hostVariants(req.headers['host']) : [req.headers['host']];
  let first: { stringToSign: string; formatString: string } | undefined;
  for (const path of req.paths) {
    for (const host of hosts) {
      const formatString = httpString({
        method: req.method,
        path,
        query: req.query,
        headers: { ...req.headers, host },
        headerList: q.headerList,
        urlParamList: q.urlParamList,
      });
      const toSign = stringToSign(q.signTime, formatString);
      const actual = Buffer.from(sign(key, toSign), 'latin1');
      if (timingSafeEqual(actual, expected)) return { ok: true };
      first ??= { stringToSign: toSign, formatString };
    }
  }
  return { ok: false, ...(first ?? { stringToSign: '', formatString: '' }) };
}
