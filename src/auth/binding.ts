// A signature must name the bucket it is used on, by the path or the host it signs (issue #15.7).
import { cosError } from '../errors/cos-error.ts';

/** The paths a client may have signed, as routing's signedPaths() sorts them. */
export interface PathsToVerify {
  /** Decoded paths that name the bucket (or belong to a request without one). */
  paths: readonly string[];
  /** Only the Host header names the bucket: a signature binds it only if it covers the host. */
  bucketInHost?: boolean;
  /** Paths that leave the bucket out, accepted only when unbound signatures are allowed. */
  unboundPaths?: readonly string[];
}

const UNBOUND_MESSAGE =
  'The signature does not name the bucket (its path leaves the bucket out and no signed Host names it), so it would be valid on any bucket. ' +
  'Sign the full path or the bucket host name (cos-nodejs-sdk-v5: the Ip option, see the README), or start coslocal with --allow-unbound-signatures.';

/**
 * Verifies over the paths that bind the request to its bucket: a path naming it, or the path sent to
 * a virtual host when the signature covers the host. Only if none matches are the others tried
 * (a failed signature costs the same as before they were split): a match there is refused with the
 * reason, or accepted as unbound when `allowUnbound`, for the caller to log.
 */
export function verifyBound<R extends { ok: boolean }>(
  signed: PathsToVerify,
  hostSigned: boolean,
  allowUnbound: boolean | undefined,
  verify: (paths: readonly string[]) => R,
): { result: R; unbound: boolean } {
  const hostUnsigned = signed.bucketInHost === true && !hostSigned;
  const bound = hostUnsigned ? [] : signed.paths;
  const unbound = hostUnsigned ? [...signed.paths, ...(signed.unboundPaths ?? [])] : (signed.unboundPaths ?? []);
  const result = verify(bound);
  if (result.ok || unbound.length === 0) return { result, unbound: false };
  const loose = verify(unbound);
  if (!loose.ok) return { result: bound.length > 0 ? result : loose, unbound: false };
  if (allowUnbound !== true) throw cosError('SignatureDoesNotMatch', { message: UNBOUND_MESSAGE, detail: `signature over ${unbound.join(' or ')} only` });
  return { result: loose, unbound: true };
}
