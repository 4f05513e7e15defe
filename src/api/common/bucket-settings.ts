// Writing one bucket setting (a subresource: acl, policy, cors, versioning, ...) from its operation.
import { encodeBucketConfig, type BucketConfigKind, type BucketConfigValue } from '../../domain/bucket-config.ts';
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
