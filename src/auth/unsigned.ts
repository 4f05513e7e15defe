// What a genuine signature leaves uncovered that would change the operation it authorizes (issue #15.8).
// spec/signature.md §5 advises demanding no particular signed header, as COS documents none; these
// rules demand coverage only of what is present and selects or widens the operation.
import { cosError } from '../errors/cos-error.ts';
import { SUBRESOURCES } from '../routing/operations.ts';
import { cosEncode } from './qsign/canonical.ts';

type Query = ReadonlyArray<readonly [string, string]>;
type Headers = Readonly<Record<string, string | undefined>>;

/**
 * Words an official SDK leaves out of its Authorization header's signature, which COS accepts:
 * cos-python-sdk-v5's intelligent tiering v2 calls append `?intelligent-tiering` to the URL and sign only
 * `id`. Presigned URLs, the ones handed to others, must still list them.
 */
const SDK_UNSIGNED: ReadonlySet<string> = new Set(['intelligent-tiering']);

/**
 * q-sign: subresource words (`?acl`, `?uploads`, ... - the routing table's list) the query carries
 * but q-url-param-list leaves out. COS lets a signature skip query parameters (spec/signature.md §4),
 * but one of these picks another operation: a presigned GET plus `&acl` would read the ACL, a
 * presigned PUT plus `&acl` rewrite it. Every official SDK signs all its query parameters, so only
 * added ones are refused [recommended; COS documents no rule].
 */
export function unsignedSubresources(query: Query, urlParamList: readonly string[], presigned: boolean): string[] {
  const names = new Set<string>();
  for (const [name] of query) {
    if (!SUBRESOURCES.has(name) || urlParamList.includes(cosEncode(name).toLowerCase())) continue;
    if (!presigned && SDK_UNSIGNED.has(name)) continue;
    names.add(name);
  }
  return [...names];
}

/** Headers that copy another object into the URL's key or grant access to it; x-amz-* twins mean the same here (http/s3-headers.ts). */
const COPY_OR_GRANT = /^x-(?:cos|amz)-(?:acl|grant-[a-z-]+|copy-source)$/;

/**
 * q-sign presigned URLs: copy-source, ACL and grant headers missing from q-header-list. A presigned
 * URL is handed to someone else by design; without this its holder could copy a private object into
 * the URL's key or make it public. Header-signed requests are not checked: the official SDKs sign
 * every x-cos-* header they send there [recommended, following issue #15.8; COS documents no rule].
 */
export function unsignedPresignHeaders(headers: Headers, headerList: readonly string[]): string[] {
  return Object.keys(headers).filter((name) => COPY_OR_GRANT.test(name) && headers[name] !== undefined && !headerList.includes(name));
}

/**
 * SigV4: x-amz-* headers missing from SignedHeaders, which S3 refuses ("There were headers present
 * in the request which were not signed"), and likewise x-cos-* ones, which operations here read too.
 * x-amz-content-sha256 is exempt: its value is the canonical request's payload line, covered
 * whether or not it is listed.
 */
export function unsignedSigV4Headers(headers: Headers, signedHeaders: readonly string[]): string[] {
  const names: string[] = [];
  // for-in, not Object.keys(): every SigV4 request passes here (as in http/s3-headers.ts).
  for (const name in headers) {
    if (!name.startsWith('x-amz-') && !name.startsWith('x-cos-')) continue;
    if (name !== 'x-amz-content-sha256' && headers[name] !== undefined && !signedHeaders.includes(name)) names.push(name);
  }
  return names;
}

/** q-sign: refuses a request whose signature leaves out one of `names`, which would change the operation. */
export function refuseUncovered(names: readonly string[], what: 'query parameter' | 'header', list: 'q-url-param-list' | 'q-header-list'): void {
  if (names.length === 0) return;
  const many = names.length > 1;
  // Undocumented: COS has no such rule. AccessDenied is what a client handles [recommended].
  throw cosError('AccessDenied', {
    message: `The signature does not cover the ${what}${many ? 's' : ''} ${names.join(', ')}: a signed request must list ${many ? 'them' : 'it'} in ${list}.`,
  });
}
