// DELETE Bucket cors: 204 whether or not rules were set.
import { emptyReply } from '../http/respond.ts';
import { deleteBucketSetting } from './common/bucket-settings.ts';
import { defineOperation } from './operation.ts';

export const deleteBucketCors = defineOperation({
  id: 'DeleteBucketCors',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    await deleteBucketSetting(ctx, bucket.name, 'cors');
    return emptyReply(204);
  },
});
