// The object version a request addresses (versionId query parameter) and the version headers of replies.
import type { Bucket } from '../../domain/bucket.ts';
import type { ObjectRecord, ObjectVersion } from '../../domain/object.ts';
import { NULL_VERSION, isWellFormedVersionId } from '../../domain/versioning.ts';
import { cosError } from '../../errors/cos-error.ts';

/** The versionId a request names; empty is the same as absent (spec/api-common.md §6). */
export function requestedVersionId(versionId: string | undefined): string | undefined {
  if (versionId === undefined || versionId === '') return undefined;
  if (!isWellFormedVersionId(versionId)) throw cosError('InvalidArgument', { message: 'Invalid version id specified' });
  return versionId;
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
