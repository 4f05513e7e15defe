// Deletes one key: the metadata commit first, then (once durable) its bytes.
import type { RequestContext } from '../operation.ts';

export async function deleteKey(ctx: RequestContext, bucket: string, key: string): Promise<void> {
  const blob = await ctx.meta.tx((tx) => tx.deleteObject(bucket, key));
  if (blob !== undefined) await ctx.blobs.delete(blob);
}
