// DELETE Bucket cors: 204 whether or not rules were set.
import { emptyReply } from '../http/respond.ts';
import { defineOperation } from './operation.ts';

export const deleteBucketCors = defineOperation({
  id: 'DeleteBucketCors',
  authorize: 'route',
  needsBucket: true,
  async run(ctx, bucket) {
    await ctx.meta.tx((tx) => tx.setBucketCors(bucket.name, undefined));
    return emptyReply(204);
  },
});
