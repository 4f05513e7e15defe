// Copy sources: parses `x-cos-copy-source` (`<bucket-appid>.cos.<region>.myqcloud.com/<url-encoded key>[?versionId=...]`)
// and loads the source a copy may read (PUT Object - Copy, Upload Part - Copy).
import type { ObjectRecord } from '../../domain/object.ts';
import { servedBucket } from '../../domain/region.ts';
import { requireReadable } from '../../domain/restore.ts';
import { cosError } from '../../errors/cos-error.ts';
import type { RequestContext } from '../operation.ts';
import { objectFacts } from './facts.ts';
import { checkConditions, conditionsFrom } from './preconditions.ts';
import { requestedVersionId, requireObject, versionHeaders } from './version.ts';

export interface CopySource {
  bucket: string;
  key: string;
  versionId: string | undefined;
  /** The region of the host form's endpoint; the path form names none. */
  region?: string;
}

// The host form every COS SDK sends (cos-nodejs-sdk-v5 util.getSourceParams accepts only this shape).
const HOST_FORM = /^(?<bucket>[a-z0-9-]+-\d+)\.cos(?:v6|-cdc|-internal)?\.(?<region>[a-z0-9-]+)\.[^/]+\/(?<key>.+)$/;
// `/<bucket-appid>/<key>` or `<bucket-appid>/<key>`, the S3 shape, also handy with path-style endpoints.
const PATH_FORM = /^\/?(?<bucket>[a-z0-9-]+-\d+)\/(?<key>.+)$/;

export function parseCopySource(header: string): CopySource {
  const [location = '', query = ''] = header.split('?', 2);
  const match = (HOST_FORM.exec(location) ?? PATH_FORM.exec(location))?.groups;
  if (!match) throw cosError('InvalidArgument', { message: 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey' });
  let key: string;
  try {
    key = decodeURIComponent(match.key ?? '');
  } catch {
    throw cosError('InvalidArgument', { message: 'Copy Source key is not valid percent-encoding' });
  }
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return { bucket: match.bucket ?? '', key, versionId, ...(match.region !== undefined && { region: match.region }) };
}

/** A copy's source as loaded: the version read, and its id for `x-cos-copy-source-version-id` (none when never versioned). */
export interface LoadedCopySource {
  /** versionId normalized: an empty one is absent. */
  source: CopySource;
  object: ObjectRecord;
  sourceVersionId: string | undefined;
}

/**
 * The source object (version) of a copy, once the caller may read it: GetObject on the source is
 * needed [doc] and a denied caller learns nothing about it. `?versionId=` names a version (a delete
 * marker or unknown id is the error GET Object would give); the `x-cos-copy-source-If-*` conditions must hold.
 */
export async function loadCopySource(ctx: RequestContext): Promise<LoadedCopySource> {
  const parsed = parseCopySource(ctx.headers['x-cos-copy-source'] ?? '');
  const versionId = requestedVersionId(parsed.versionId);
  // Read through the endpoint its host form names, which serves its own region's buckets only.
  const sourceBucket = servedBucket(await ctx.meta.getBucket(parsed.bucket), parsed.region);
  const loaded = sourceBucket && (await ctx.meta.getVersion(parsed.bucket, parsed.key, versionId));
  ctx.authorize({ action: 'name/cos:GetObject', bucket: ctx.bucketFacts(parsed.bucket, sourceBucket), key: parsed.key, ...objectFacts(loaded) });
  if (!sourceBucket) throw cosError('NoSuchBucket');
  const object = requireObject(versionId, loaded, sourceBucket);
  // An archived source is copied (to change its class too) only once restored, as it is read [doc: API FAQ].
  requireReadable(object, ctx.now);
  checkConditions(conditionsFrom(ctx.headers, 'x-cos-copy-source-'), object, 'PreconditionFailed');
  return { source: { ...parsed, versionId }, object, sourceVersionId: versionHeaders(sourceBucket, object)['x-cos-version-id'] };
}
