// Parses COS's legacy V4 (JSON API) signature, still accepted in a `sign=` query parameter: base64 of
// HMAC-SHA1(SecretKey, text) followed by the text `a=<appid>&b=<bucket>&k=<SecretId>&e=<expiry>&t=<now>&r=<rand>&f=<fileid>`.
// Producers: cos-nodejs-sdk-v5 util.getV4Auth; the V4 SDKs' "多次有效签名" (e = expiry) and
// "单次有效签名" (e = 0, bound to one fileid, valid once).
import { normaliseSignature } from '../sigv2/parse.ts';

export interface CosV4Sign {
  /** The 20-byte HMAC-SHA1 the signer sent. */
  digest: Buffer;
  /** The signed text, byte-exact. */
  text: Buffer;
  appid: string;
  /** The bucket's short name, without `-<appid>`. */
  bucket: string;
  secretId: string;
  /** Epoch seconds; 0 for a single-use signature. */
  expires: number;
  signedAt: number;
  /** `/<appid>/<bucket>/<key>` percent-encoded, or '' for a signature good for the whole bucket. */
  fileId: string;
}

export type CosV4Parse = { ok: true; sign: CosV4Sign } | { ok: false; reason: string };

const DIGEST_BYTES = 20;
const FIELDS = ['a', 'b', 'k', 'e', 't', 'r', 'f'] as const;
const NUMBER = /^\d{1,12}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Whether a `sign=` value is a q-sign Authorization string rather than a V4 signature. */
export const isQSignString = (value: string): boolean => /(^|&)q-sign-algorithm=/i.test(value);

export function parseCosV4Sign(value: string): CosV4Parse {
  const base64 = normaliseSignature(value);
  if (!BASE64.test(base64)) return { ok: false, reason: 'sign is neither a q-sign string nor base64' };
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length <= DIGEST_BYTES) return { ok: false, reason: 'sign is too short' };
  const text = bytes.subarray(DIGEST_BYTES);
  const fields = new Map<string, string>();
  for (const item of text.toString('utf8').split('&')) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    if (!(FIELDS as readonly string[]).includes(name) || fields.has(name)) return { ok: false, reason: `unexpected field ${name} in sign` };
    fields.set(name, eq < 0 ? '' : item.slice(eq + 1));
  }
  const missing = FIELDS.filter((f) => !fields.has(f));
  if (missing.length > 0) return { ok: false, reason: `sign lacks ${missing.join(', ')}` };
  const get = (f: (typeof FIELDS)[number]): string => fields.get(f) ?? '';
  if (!NUMBER.test(get('a')) || !NUMBER.test(get('e')) || !NUMBER.test(get('t'))) return { ok: false, reason: 'a, e and t must be decimal numbers' };
  return {
    ok: true,
    sign: {
      digest: bytes.subarray(0, DIGEST_BYTES),
      text,
      appid: get('a'),
      bucket: get('b'),
      secretId: get('k'),
      expires: Number(get('e')),
      signedAt: Number(get('t')),
      fileId: get('f'),
    },
  };
}
