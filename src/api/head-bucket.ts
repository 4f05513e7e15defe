// HEAD Bucket: existence and region, no body.
import { emptyReply } from '../http/respond.ts';
import { defineOperation } from './operation.ts';

export const headBucket = defineOperation({
  id: 'HeadBucket',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    // S3 clients read the region from x-amz-bucket-region (the AWS SDK's HeadBucket BucketRegion).
    return emptyReply(200, { 'x-cos-bucket-region': bucket.region, ...(ctx.dialect === 's3' && { 'x-amz-bucket-region': bucket.region }) });
  },
});
