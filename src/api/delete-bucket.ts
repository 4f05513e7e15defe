// DELETE Bucket: only an empty bucket can go (BucketNotEmpty otherwise).
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { defineOperation } from './operation.ts';

export const deleteBucket = defineOperation({
  id: 'DeleteBucket',
  authorize: 'route',
  needsBucket: true,
  async run(ctx) {
    const name = ctx.route.bucket ?? '';
    await ctx.meta.tx(async (tx) => {
      if (!(await tx.bucketIsEmpty(name))) throw cosError('BucketNotEmpty');
      await tx.deleteBucket(name);
    });
    return emptyReply(204);
  },
});
