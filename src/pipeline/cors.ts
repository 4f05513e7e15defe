// CORS headers on actual (non-preflight) requests, replies and errors alike, from the bucket's rules.
import type { IncomingMessage } from 'node:http';
import type { Bucket } from '../domain/bucket.ts';
import { actualCorsHeaders } from '../domain/cors.ts';
import { servedBucket } from '../domain/region.ts';
import type { Route } from '../routing/resolve.ts';
import type { HandlerDeps } from './deps.ts';

type Headers = Readonly<Record<string, string | undefined>>;

/**
 * CORS headers for an actual (non-preflight) request whose Origin a bucket rule allows with this
 * method; OPTIONS answers for itself (api/options-object.ts).
 */
export function corsHeaders(route: Route, req: IncomingMessage, headers: Headers, bucket: Bucket | undefined): Record<string, string> | undefined {
  const origin = headers['origin'];
  if (origin === undefined || !bucket?.cors || route.id === 'OptionsObject') return undefined;
  return actualCorsHeaders(bucket.cors, origin, (req.method ?? 'GET').toUpperCase());
}

/**
 * Errors get them too, so that a page can read why it failed (the JS SDK's clock-skew retry reads
 * ServerTime from a 403). A failure before the bucket was loaded (a bad signature) loads it here:
 * the rules are no secret, as any preflight shows them.
 */
export async function corsHeadersOnError(
  deps: Pick<HandlerDeps, 'meta'>,
  route: Route,
  req: IncomingMessage,
  headers: Headers,
  bucket: Bucket | null | undefined,
): Promise<Record<string, string> | undefined> {
  if (headers['origin'] === undefined || route.bucket === undefined) return undefined;
  try {
    // As the pipeline loads it: a bucket a region-named host does not serve has no rules to show.
    const loaded = bucket === undefined ? servedBucket(await deps.meta.getBucket(route.bucket), route.region) : (bucket ?? undefined);
    return corsHeaders(route, req, headers, loaded);
  } catch {
    return undefined;
  }
}
