// The object lock check every write and delete makes in its commit: the version it would replace or remove must not be under retention.
import type { Bucket } from '../../domain/bucket.ts';
import { isLocked, objectLockedError } from '../../domain/object-lock.ts';
import type { MetadataReader } from '../../storage/metadata.ts';
import type { RequestContext } from '../operation.ts';

/**
 * Throws ObjectLocked when `versionId` of `key` is locked at the request's time (the server's clock).
 * Runs inside the commit's transaction, so a version cannot become the one replaced between check and write.
 */
export async function refuseLockedVersion(
  ctx: Pick<RequestContext, 'now' | 'dialect'>,
  tx: MetadataReader,
  bucket: Bucket,
  key: string,
  versionId: string,
): Promise<void> {
  // Only a bucket with an object lock configuration holds locked versions, and the configuration cannot
  // be removed: other buckets skip the read.
  if (bucket.objectLock === undefined) return;
  if (isLocked(await tx.getVersion(bucket.name, key, versionId), ctx.now)) throw objectLockedError(ctx.dialect);
}
