// Pure request routing: host + path + query -> the COS operation with its bucket and key.
import { LEGACY_REGIONS } from '../domain/region.ts';
import { cosError } from '../errors/cos-error.ts';
import { OPERATIONS, SUBRESOURCES, type OperationId, type OperationRow, type Target } from './operations.ts';

export interface RouteInput {
  method: string;
  /** Host header, possibly with a port. */
  host: string;
  /** Raw request path (percent-encoded), without the query. */
  rawPath: string;
  /** Form-decoded query parameters, in order. */
  query: ReadonlyArray<readonly [string, string]>;
  headers: Readonly<Record<string, string | undefined>>;
}

export interface Route {
  id: OperationId;
  bucket?: string;
  key?: string;
  /** `website`: the bucket's static website endpoint, which serves pages to anonymous browsers. */
  style: 'virtual' | 'path' | 'service' | 'website';
  /** The region the Host names (a legacy name mapped to today's); absent when it names none. */
  region?: string;
  /** Decoded path as sent, e.g. `/bucket-1250000000/a b.txt` in path style. */
  path: string;
}

export interface RoutingConfig {
  /** Host suffixes accepted for virtual-hosted style, e.g. `myqcloud.com`. */
  domains: readonly string[];
}

/** What a Host header under an accepted domain names: a bucket (virtual-hosted style), a region, both or neither. */
export interface HostTarget {
  bucket?: string;
  region?: string;
  /** The bucket's static website endpoint. */
  website?: true;
}

// Each form captures (bucket?, region?, domain) by name (spec/api-common.md §1.3).
// The static website endpoint: `<bucket-appid>.cos-website.<region>.<domain>` [doc: 静态网站, https://cloud.tencent.com/document/product/436/14984].
const WEBSITE = /^(?<bucket>[a-z0-9-]+)\.cos-website\.(?<region>[a-z0-9-]+)\.(?<domain>.+)$/;
// `<bucket-appid>.cos.<region>.<domain>`, also `cos-internal`; global acceleration is the region "accelerate".
const VIRTUAL = /^(?<bucket>[a-z0-9-]+)\.cos(?:-internal)?\.(?<region>[a-z0-9-]+)\.(?<domain>.+)$/;
// The SDKs' old hosts for legacy region names: `<bucket-appid>.cn-south.myqcloud.com` (domain/region.ts).
const LEGACY_VIRTUAL = new RegExp(`^(?<bucket>[a-z0-9-]+)\\.(?<region>${[...LEGACY_REGIONS.keys()].join('|')})\\.(?<domain>.+)$`);
// S3 clients with a custom endpoint address `<bucket-appid>.<endpoint host>` (AWS SDK without forcePathStyle).
const S3_VIRTUAL = /^(?<bucket>[a-z0-9-]+-\d+)\.(?<domain>.+)$/;
// A region's endpoint without a bucket: GET Service there lists that region's buckets, path style addresses them.
const REGIONAL = /^cos(?:-internal)?\.(?<region>[a-z0-9-]+)\.(?<domain>.+)$/;
const HOST_FORMS = [WEBSITE, VIRTUAL, LEGACY_VIRTUAL, S3_VIRTUAL, REGIONAL];

/** The bucket and region a Host header names; nothing for hosts outside the accepted domains (an IP, `localhost`). */
export function hostTarget(host: string, config: RoutingConfig): HostTarget {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  for (const form of HOST_FORMS) {
    const groups = form.exec(name)?.groups;
    if (!groups || !config.domains.includes(groups['domain'] ?? '')) continue;
    const { bucket, region } = groups;
    return {
      ...(bucket !== undefined && { bucket }),
      ...(region !== undefined && { region: LEGACY_REGIONS.get(region) ?? region }),
      ...(form === WEBSITE && { website: true as const }),
    };
  }
  return {};
}

const acceptsAlso = (op: OperationRow, name: string): boolean => op.alsoAccepts?.includes(name) ?? false;

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    throw cosError('InvalidURI', { detail: `undecodable path ${rawPath}` });
  }
}

export function resolveRoute(input: RouteInput, config: RoutingConfig): Route {
  const path = decodePath(input.rawPath);
  if (!path.startsWith('/')) throw cosError('InvalidURI');
  const { bucket: hostBucket, region, website } = hostTarget(input.host, config);
  let bucket: string | undefined;
  let key: string;
  let style: Route['style'];
  if (hostBucket !== undefined) {
    bucket = hostBucket;
    key = path.slice(1);
    style = website ? 'website' : 'virtual';
  } else {
    // Any other host (IP:port, localhost, a service host) is path style: /<bucket-appid>/<key>.
    const slash = path.indexOf('/', 1);
    const first = slash < 0 ? path.slice(1) : path.slice(1, slash);
    bucket = first === '' ? undefined : first;
    key = slash < 0 ? '' : path.slice(slash + 1);
    // `//key` names a key but no bucket: nothing COS could route.
    if (bucket === undefined && key !== '') throw cosError('InvalidURI', { detail: `no bucket in path ${path}` });
    style = bucket === undefined ? 'service' : 'path';
  }
  const target: Target = website ? 'website' : bucket === undefined ? 'service' : key === '' ? 'bucket' : 'object';
  const names = new Set(input.query.map(([n]) => n));
  const subresources = [...names].filter((n) => SUBRESOURCES.has(n));
  const method = input.method.toUpperCase();

  const row = OPERATIONS.find((op) => {
    if (op.method !== method || op.target !== target) return false;
    const sub: string | undefined = 'subresource' in op ? op.subresource : undefined;
    if (sub !== undefined && !names.has(sub)) return false;
    if (!('anySubresource' in op) && !subresources.every((n) => n === sub || acceptsAlso(op, n))) return false;
    if ('param' in op && !names.has(op.param)) return false;
    return !('header' in op) || input.headers[op.header] !== undefined;
  });
  if (!row) {
    // A website endpoint only serves pages: a write is not a subresource it lacks.
    if (subresources.length > 0 && target !== 'website') {
      throw cosError('NotImplemented', { detail: `${method} ${target} ?${subresources.join('&')} is not supported` });
    }
    throw cosError('MethodNotAllowed', { detail: `${method} on ${target}` });
  }
  const keyed = target === 'object' || target === 'website';
  return { id: row.id, ...(bucket !== undefined && { bucket }), ...(keyed && { key }), style, path, ...(region !== undefined && { region }) };
}

/** The paths a client may have signed, sorted by whether a signature over them ties the request to its bucket. */
export interface SignedPaths {
  /** Paths that name the bucket (or a request that has none): a signature over one is good for this bucket only. */
  paths: string[];
  /** Only the Host header names the bucket (virtual-hosted style): a signature binds it only if it covers the host. */
  bucketInHost: boolean;
  /**
   * Paths that leave the bucket out. cos-nodejs-sdk-v5 with a Domain template such as
   * `127.0.0.1:9000/{Bucket}` requests `/<bucket>/<key>` but signs `/<key>` and the host 127.0.0.1:9000:
   * that signature is just as good on every other bucket, so it is refused unless
   * --allow-unbound-signatures is set (issue #15.7).
   */
  unboundPaths: string[];
}

export function signedPaths(route: Route): SignedPaths {
  if (route.style !== 'path') return { paths: [route.path], bucketInHost: route.style === 'virtual', unboundPaths: [] };
  return { paths: [route.path], bucketInHost: false, unboundPaths: [`/${route.key ?? ''}`] };
}
