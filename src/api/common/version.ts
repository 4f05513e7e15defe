// The object version a request addresses (versionId query parameter) and the version headers of replies.
import type { Bucket } from '../../domain/bucket.ts';
import type { ObjectRecord, ObjectVersion } from '../../domain/object.ts';
import { NULL_VERSION, isWellFormedVersionId } from '../../domain/versioning.ts';
import { cosError, type CosError } from '../../errors/cos-error.ts';
import type { MetadataReader } from '../../storage/metadata.ts';
import type { Found, RequestContext } from '../operation.ts';

/** The versionId a request names; empty is the same as absent (spec/api-common.md §6). */
export function requestedVersionId(versionId: string | undefined): string | undefined {
  if (versionId === undefined || versionId === '') return undefined;
  if (!isWellFormedVersionId(versionId)) throw cosError('InvalidArgument', { message: 'Invalid version id specified' });
  return versionId;
}

/**
 * The addressed version, loaded before authorization: a malformed versionId names none (undefined)
 * rather than answering InvalidArgument, which requireObject() does once the caller is authorized -
 * otherwise that 400 on an existing bucket, beside a 403 on a missing one, tells anyone it exists.
 */
export async function loadAddressedVersion(meta: MetadataReader, bucket: string, key: string, versionId: string | undefined): Promise<ObjectVersion | undefined> {
  if (versionId !== undefined && versionId !== '' && !isWellFormedVersionId(versionId)) return undefined;
  return meta.getVersion(bucket, key, requestedVersionId(versionId));
}

/** `x-cos-version-id` (and `x-cos-delete-marker`) for a version; nothing for a bucket that was never versioned. */
export function versionHeaders(bucket: Pick<Bucket, 'versioning'>, version: Pick<ObjectVersion, 'versionId' | 'deleteMarker'>): Record<string, string> {
  if (bucket.versioning === undefined && version.versionId === NULL_VERSION) return {};
  return { 'x-cos-version-id': version.versionId, ...(version.deleteMarker && { 'x-cos-delete-marker': 'true' }) };
}

/**
 * The addressed version as an object, or the error COS (like S3) gives: NoSuchVersion for an unknown
 * id; for a delete marker, 404 NoSuchKey when it is the current version and 405 MethodNotAllowed when
 * named by id, both saying x-cos-delete-marker: true.
 */
export function requireObject(
  versionId: string | undefined,
  loaded: ObjectVersion | undefined,
  bucket: Pick<Bucket, 'versioning'>,
): ObjectRecord {
  const named = requestedVersionId(versionId) !== undefined;
  if (!loaded) throw cosError(named ? 'NoSuchVersion' : 'NoSuchKey');
  if (loaded.deleteMarker) throw cosError(named ? 'MethodNotAllowed' : 'NoSuchKey', { headers: versionHeaders(bucket, loaded) });
  return loaded;
}

/** The error for a version a write found removed after the pipeline loaded it (a concurrent delete). */
export const vanishedVersion = (ctx: RequestContext): CosError => cosError(requestedVersionId(ctx.params.get('versionId')) !== undefined ? 'NoSuchVersion' : 'NoSuchKey');

/**
 * GET/HEAD Object denied: a missing key (or one whose current version is a delete marker) is 404 to a
 * caller who may list the bucket, who would see it missing there, and 403 to everyone else - S3's rule
 * (GetObject: "If you have the s3:ListBucket permission on the bucket, Amazon S3 returns 404 Not Found").
 */
export function deniedRead(ctx: RequestContext, { bucket, object }: Found): CosError {
  if (!bucket || (object && !object.deleteMarker)) return cosError('AccessDenied');
  const list = ctx.decide({ action: 'name/cos:GetBucket', bucket: ctx.bucketFacts(bucket.name, bucket) });
  if (list.effect !== 'allow') return cosError('AccessDenied');
  // Only now may a malformed versionId be InvalidArgument; a delete marker named by its id exists.
  const named = requestedVersionId(ctx.params.get('versionId')) !== undefined;
  if (object && named) return cosError('AccessDenied');
  return cosError(named ? 'NoSuchVersion' : 'NoSuchKey');
}
