// Signs hand-made requests the way the official SDKs do (q-sign-algorithm=sha1), for cases SDKs will not send.
import { authorization, type SignOptions } from '../../src/auth/qsign/sign.ts';

export { authorization, type SignOptions };

/** Query-string form of the same signature, for presigned URLs. */
export function presignQuery(o: SignOptions): string {
  return authorization(o)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return `${pair.slice(0, eq)}=${encodeURIComponent(pair.slice(eq + 1))}`;
    })
    .join('&');
}
