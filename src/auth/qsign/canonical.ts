// The pure steps of the COS q-sign algorithm: HttpString, StringToSign and signature (spec/signature.md §3).
import { createHash, createHmac } from 'node:crypto';

/** E(s): UTF-8 percent-encoding leaving only RFC 3986 unreserved characters, upper-case hex. */
export function cosEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface SignedParts {
  method: string;
  /** Decoded request path, starting with '/'. */
  path: string;
  /** Query parameters, form-decoded, names as received. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Lower-cased header name -> value. */
  headers: Readonly<Record<string, string | undefined>>;
  headerList: readonly string[];
  urlParamList: readonly string[];
}

/** Pairs for the listed names, sorted by encoded name then value; repeated names give several pairs (Go SDK). */
function pairs(names: readonly string[], lookup: (name: string) => string[]): string {
  return [...names]
    .sort()
    .flatMap((name) => lookup(name).sort().map((value) => `${name}=${cosEncode(value)}`))
    .join('&');
}

export function httpString(p: SignedParts): string {
  const params = new Map<string, string[]>();
  for (const [name, value] of p.query) {
    const key = cosEncode(name).toLowerCase();
    params.set(key, [...(params.get(key) ?? []), value]);
  }
  // A listed parameter or header the request lacks contributes `name=` [spec §5 step 6, recommended].
  const httpParameters = pairs(p.urlParamList, (n) => [...(params.get(n) ?? [''])]);
  const httpHeaders = pairs(p.headerList, (n) => [p.headers[n] ?? '']);
  return `${p.method.toLowerCase()}\n${p.path}\n${httpParameters}\n${httpHeaders}\n`;
}

const sha1Hex = (s: string): string => createHash('sha1').update(s, 'utf8').digest('hex');
const hmacHex = (key: string, msg: string): string => createHmac('sha1', key).update(msg, 'utf8').digest('hex');

export const stringToSign = (signTime: string, formatString: string): string => `sha1\n${signTime}\n${sha1Hex(formatString)}\n`;

export const signKey = (secretKey: string, keyTime: string): string => hmacHex(secretKey, keyTime);

export const sign = (key: string, toSign: string): string => hmacHex(key, toSign);
