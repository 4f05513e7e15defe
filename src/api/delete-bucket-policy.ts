// DELETE Bucket policy: 204 whether or not a policy was set [doc].
import { emptyReply } from '../http/respond.ts';
import { deleteBucketSetting } from './common/bucket-settings.ts';
import { defineOperation } from './operation.ts';

export const deleteBucketPolicy = defineOperation({
  id: 'DeleteBucketPolicy',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    await deleteBucketSetting(ctx, bucket.name, 'policy');
    return emptyReply(204);
  },
});
