// Verifies a legacy V4 `sign=` signature and what it may be used for. It names a bucket and at most
// one file, never a method or a query, so it is held to what it was made for: reading that file
// (the download links cos-nodejs-sdk-v5's getV4Auth makes) or, signed once (e = 0), deleting it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CosV4Sign } from './parse.ts';

export const verifyCosV4 = (sign: CosV4Sign, secretKey: string): boolean =>
  timingSafeEqual(createHmac('sha1', secretKey).update(sign.text).digest(), sign.digest);

export interface CosV4Use {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: ReadonlyArray<readonly [string, string]>;
}

/** Query parameters such a request may carry besides the signature: none changes what is done. */
const harmlessParam = (name: string): boolean => name === 'sign' || name === 'x-cos-security-token' || name.startsWith('response-');

const decoded = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

/** Why the signature does not cover this request, or undefined when it does. */
export function cosV4Refusal(sign: CosV4Sign, use: CosV4Use): string | undefined {
  if (use.bucket !== `${sign.bucket}-${sign.appid}`) return `signed for bucket ${sign.bucket}-${sign.appid}`;
  if (use.key === undefined || use.key === '') return 'a V4 sign= signature only covers object requests';
  const singleUse = sign.expires === 0;
  if (sign.fileId === '') {
    if (singleUse) return 'a single-use V4 signature must name its file';
  } else if (decoded(sign.fileId) !== `/${sign.appid}/${sign.bucket}/${use.key}`) {
    // getV4Auth: '/' + AppId + '/' + ShortBucket + '/' + encodeURIComponent(key) with '/' kept.
    return `signed for file ${sign.fileId}`;
  }
  const methods = singleUse ? ['GET', 'HEAD', 'DELETE'] : ['GET', 'HEAD'];
  if (!methods.includes(use.method.toUpperCase())) return `a ${singleUse ? 'single-use' : 'multi-use'} V4 signature does not cover ${use.method}`;
  const unsigned = use.query.find(([name]) => !harmlessParam(name));
  if (unsigned) return `a V4 signature does not cover the query parameter ${unsigned[0]}`;
  return undefined;
}
