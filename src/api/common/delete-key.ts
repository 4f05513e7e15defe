// Deletes one key or one version as the bucket's versioning says: the metadata commit first, then (once durable) freed bytes.
import { initialReplication } from '../../domain/replication-rules.ts';
import { newVersionId, planDelete } from '../../domain/versioning.ts';
import { cosError } from '../../errors/cos-error.ts';
import type { RequestContext } from '../operation.ts';
import { refuseLockedVersion } from './locked-version.ts';

export interface DeleteOutcome {
  /** The version removed or the delete marker created; undefined for a plain delete in a never-versioned bucket. */
  versionId: string | undefined;
  /** Whether a delete marker was created or the removed version was one. */
  deleteMarker: boolean;
}

export async function deleteKey(ctx: RequestContext, bucket: string, key: string, versionId: string | undefined): Promise<DeleteOutcome> {
  const { outcome, freedBlob } = await ctx.meta.tx(async (tx) => {
    const current = await tx.getBucket(bucket);
    if (!current) throw cosError('NoSuchBucket');
    const plan = planDelete(current.versioning, versionId, newVersionId);
    // The version removed, or the null version a Suspended bucket's null delete marker replaces.
    await refuseLockedVersion(ctx, tx, current, key, plan.versionId);
    if (plan.kind === 'marker') {
      const freed = await tx.putDeleteMarker({ bucket, key, versionId: plan.versionId, deleteMarker: true, lastModified: ctx.now, ...initialReplication(current, key, true) });
      return { outcome: { versionId: plan.versionId, deleteMarker: true }, freedBlob: freed };
    }
    // Removing a version that does not exist succeeds, as deleting a missing key does. COS does not
    // replicate a delete naming a version [doc: cross-bucket replication]: the replica stays.
    const removed = await tx.deleteVersion(bucket, key, plan.versionId);
    return { outcome: { versionId, deleteMarker: removed?.deleteMarker === true }, freedBlob: removed?.freedBlob };
  });
  if (freedBlob !== undefined) ctx.blobs.collectSoon();
  return outcome;
}

/** The DELETE Object response headers for an outcome. */
export function deleteHeaders(outcome: DeleteOutcome): Record<string, string> {
  return {
    ...(outcome.versionId !== undefined && { 'x-cos-version-id': outcome.versionId }),
    ...(outcome.deleteMarker && { 'x-cos-delete-marker': 'true' }),
  };
}
