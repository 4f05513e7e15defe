// The pure steps of AWS Signature Version 2: CanonicalizedAmzHeaders, CanonicalizedResource and StringToSign.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
import type { Route } from '../../routing/resolve.ts';
import { SUBRESOURCES } from '../../routing/operations.ts';

/**
 * Query parameters the CanonicalizedResource carries: AWS's documented list and the response-*
 * overrides, the further ones S3 signs in practice (botocore's HmacV1Auth list), and every
 * subresource our routing acts on, so that no operation can be changed by an unsigned parameter.
 * `list-type` is left out as S3 and botocore do: both listings need the same permission.
 */
export const SIGNED_PARAMS: ReadonlySet<string> = new Set([
  ...[...SUBRESOURCES].filter((name) => name !== 'list-type'),
  'versionId', 'defaultObjectAcl', 'storageClass', 'analytics', 'metrics', 'select-type',
  'response-content-type', 'response-content-language', 'response-expires',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding',
]);

/**
 * The resources SigV2 may sign: the bucket and the path percent-encoded as sent, also for
 * virtual-hosted requests (`GET /photos/puppy.jpg` on `johnsmith.s3...` signs `/johnsmith/photos/puppy.jpg`).
 * botocore signs a bucket-level request as `/bucket/` whatever its URL, others the path as sent
 * (`/bucket`): both are taken, as both name the same bucket and no key.
 */
export function resourcePaths(route: Pick<Route, 'style' | 'bucket' | 'key'>, rawPath: string): string[] {
  const path = route.style === 'virtual' && route.bucket !== undefined ? `/${route.bucket}${rawPath}` : rawPath;
  if (route.bucket === undefined || route.key !== undefined) return [path];
  return [path, path.endsWith('/') ? path.slice(0, -1) : `${path}/`];
}

/** `?name=value&name2`, sorted by name; values as decoded, not re-encoded (AWS: "you do not encode these values"). */
export function canonicalResource(path: string, query: ReadonlyArray<readonly [string, string]>): string {
  const signed = query
    .filter(([name]) => SIGNED_PARAMS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  return signed.length === 0 ? path : `${path}?${signed.join('&')}`;
}

/** `name:value\n` per x-amz-* header, names lower-cased and sorted, a repeated name's values joined by commas. */
export function canonicalAmzHeaders(headers: ReadonlyArray<readonly [string, string]>): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-')) byName.set(lower, [...(byName.get(lower) ?? []), value.trim()]);
  }
  return [...byName.keys()]
    .sort()
    .map((name) => `${name}:${(byName.get(name) ?? []).join(',')}\n`)
    .join('');
}

export interface StringToSignParts {
  method: string;
  contentMd5: string;
  contentType: string;
  /** The Date header, the presigned Expires, or '' when x-amz-date (among the amz headers) stands in. */
  date: string;
  amzHeaders: ReadonlyArray<readonly [string, string]>;
  resource: string;
}

export const stringToSign = (p: StringToSignParts): string =>
  `${p.method.toUpperCase()}\n${p.contentMd5}\n${p.contentType}\n${p.date}\n${canonicalAmzHeaders(p.amzHeaders)}${p.resource}`;
