// DELETE Bucket tagging: 204 whether or not the bucket had tags.
import { emptyReply } from '../http/respond.ts';
import { deleteBucketSetting } from './common/bucket-settings.ts';
import { defineOperation } from './operation.ts';

export const deleteBucketTagging = defineOperation({
  id: 'DeleteBucketTagging',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    await deleteBucketSetting(ctx, bucket.name, 'tagging');
    return emptyReply(204);
  },
});
