// Abort Multipart Upload: DELETE /<key>?uploadId=U. The upload and its parts go in one commit; their bytes after it.
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { defineOperation } from './operation.ts';

export const abortMultipartUpload = defineOperation({
  id: 'AbortMultipartUpload',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const key = ctx.route.key ?? '';
    const uploadId = ctx.params.get('uploadId') ?? '';
    const blobs = await ctx.meta.tx(async (tx) => {
      if (!(await tx.getUpload(bucket.name, key, uploadId))) throw cosError('NoSuchUpload', { detail: `upload ${uploadId}` });
      return tx.deleteUpload(uploadId);
    });
    if (blobs.length > 0) ctx.blobs.collectSoon();
    return emptyReply(204);
  },
});
