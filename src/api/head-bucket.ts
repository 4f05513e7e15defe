// HEAD Bucket: existence and region, no body.
import { emptyReply } from '../http/respond.ts';
import { defineOperation } from './operation.ts';

export const headBucket = defineOperation({
  id: 'HeadBucket',
  authorize: 'route',
  needsBucket: true,
  async run(_ctx, bucket) {
    return emptyReply(200, { 'x-cos-bucket-region': bucket.region });
  },
});
