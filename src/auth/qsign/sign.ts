// Signs a request the way the official SDKs do (q-sign-algorithm=sha1): for `coslocal reset`, which calls
// a running server's admin endpoint, and for the tests' hand-made requests.
import { cosEncode, httpString, sign, signKey, stringToSign } from './canonical.ts';

export interface SignOptions {
  secretId: string;
  secretKey: string;
  method: string;
  /** Decoded path to sign, e.g. `/a b.txt`. */
  path: string;
  query?: ReadonlyArray<readonly [string, string]>;
  /** Headers to sign (lower-cased names). */
  headers?: Readonly<Record<string, string>>;
  /** Epoch seconds window; defaults to [now - 1, now + 900] like the Node SDK. */
  start?: number;
  end?: number;
}

/** The Authorization header's value. */
export function authorization(o: SignOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const time = `${o.start ?? now - 1};${o.end ?? now + 900}`;
  const headers = o.headers ?? {};
  const query = o.query ?? [];
  const headerList = Object.keys(headers).map((h) => cosEncode(h).toLowerCase()).sort();
  const urlParamList = [...new Set(query.map(([n]) => cosEncode(n).toLowerCase()))].sort();
  const fmt = httpString({ method: o.method, path: o.path, query, headers, headerList, urlParamList });
  const signature = sign(signKey(o.secretKey, time), stringToSign(time, fmt));
  return [
    'q-sign-algorithm=sha1',
    `q-ak=${o.secretId}`,
    `q-sign-time=${time}`,
    `q-key-time=${time}`,
    `q-header-list=${headerList.join(';')}`,
    `q-url-param-list=${urlParamList.join(';')}`,
    `q-signature=${signature}`,
  ].join('&');
}
