// Writing one bucket setting (a subresource: acl, policy, cors, versioning, ...) from its operation.
import { decodeBucketConfig, encodeBucketConfig, type BucketConfigKind, type BucketConfigValue } from '../../domain/bucket-config.ts';
import { cosError } from '../../errors/cos-error.ts';
import type { RequestContext } from '../operation.ts';

/** Replaces the bucket's setting of this kind; NoSuchBucket when the bucket was deleted since the request loaded it. */
export async function putBucketSetting<K extends BucketConfigKind>(ctx: RequestContext, bucket: string, kind: K, value: BucketConfigValue<K>): Promise<void> {
  const document = encodeBucketConfig(kind, value);
  const stored = await ctx.meta.tx((tx) => tx.putBucketConfig(bucket, kind, document));
  if (!stored) throw cosError('NoSuchBucket');
}

/** Removes the bucket's setting of this kind, if any (COS answers DELETE the same either way). */
export async function deleteBucketSetting(ctx: RequestContext, bucket: string, kind: BucketConfigKind): Promise<void> {
  await ctx.meta.tx((tx) => tx.deleteBucketConfig(bucket, kind));
}

/**
 * Reads, changes and writes the bucket's setting of this kind in one transaction, so two writers changing
 * different parts of one document (two inventory ids) both land; `change` returning undefined removes it.
 * NoSuchBucket when the bucket was deleted since the request loaded it.
 */
export async function updateBucketSetting<K extends BucketConfigKind>(
  ctx: RequestContext,
  bucket: string,
  kind: K,
  change: (current: BucketConfigValue<K> | undefined) => BucketConfigValue<K> | undefined,
): Promise<void> {
  const stored = await ctx.meta.tx(async (tx) => {
    const text = await tx.getBucketConfig(bucket, kind);
    const next = change(text === undefined ? undefined : decodeBucketConfig(kind, text));
    if (next !== undefined) return tx.putBucketConfig(bucket, kind, encodeBucketConfig(kind, next));
    await tx.deleteBucketConfig(bucket, kind);
    return true;
  });
  if (!stored) throw cosError('NoSuchBucket');
}
