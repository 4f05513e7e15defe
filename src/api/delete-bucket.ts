// DELETE Bucket: only an empty bucket can go (BucketNotEmpty otherwise).
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { defineOperation } from './operation.ts';

export const deleteBucket = defineOperation({
  id: 'DeleteBucket',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx) {
    const name = ctx.route.bucket ?? '';
    const partBlobs = await ctx.meta.tx(async (tx) => {
      const left = await tx.bucketContents(name);
      // COS counts multipart uploads in progress as content ("make sure the data and the incomplete
      // multipart uploads in the bucket have been deleted" [doc: DELETE Bucket]). S3 deletes a bucket
      // that holds nothing else and drops its uploads with it, which S3 clients' clean-up relies on
      // (ceph s3-tests; scality/cloudserver#1591 changed to match AWS).
      if (left.versions || (left.uploads && ctx.dialect === 'cos')) throw cosError('BucketNotEmpty');
      const blobs = left.uploads ? await tx.deleteUploadsOf(name) : [];
      await tx.deleteBucket(name);
      return blobs;
    });
    if (partBlobs.length > 0) ctx.blobs.collectSoon();
    return emptyReply(204);
  },
});
