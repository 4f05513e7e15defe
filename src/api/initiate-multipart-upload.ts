// Initiate Multipart Upload: POST /<key>?uploads. Fixes what the completed object will carry (stored
// headers, x-cos-meta-*, ACL headers, tags) and returns a new UploadId.
import { principalId } from '../domain/identity.ts';
import { checkKey, storedHeadersFrom } from '../domain/object.ts';
import { newUploadId, type Upload } from '../domain/upload.ts';
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { requestedTags, tagsField } from './common/object-tags.ts';
import { uploadAcl, uploadStorageClass } from './common/store-object.ts';
import { defineOperation } from './operation.ts';
import { schemeFor } from '../domain/encryption.ts';
import { sseReplyHeaders, writeSse } from './common/sse.ts';

export const initiateMultipartUpload = defineOperation({
  id: 'InitiateMultipartUpload',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const key = ctx.route.key ?? '';
    checkKey(key);
    const sse = writeSse(ctx.headers, bucket);
    const upload: Upload = {
      bucket: bucket.name,
      key,
      uploadId: newUploadId(ctx.now),
      initiated: ctx.now,
      initiator: principalId(ctx.principal),
      headers: storedHeadersFrom(ctx.headers, key),
      // Complete gives the object the class asked for here [doc: Initiate Multipart Upload].
      storageClass: uploadStorageClass(ctx),
      // ACL headers given at initiation apply to the object Complete makes (spec/acl.md §6).
      acl: uploadAcl(ctx, bucket.ownerUin),
      // So are x-cos-tagging's tags [doc: Initiate Multipart Upload].
      ...tagsField(requestedTags(ctx.headers)),
      // Each part is encrypted as it arrives, under this scheme (api/common/sse.ts partSeal).
      ...(sse && { encryption: schemeFor(sse) }),
    };
    await ctx.meta.tx(async (tx) => {
      if (!(await tx.getBucket(bucket.name))) throw cosError('NoSuchBucket');
      await tx.insertUpload(upload);
    });
    return xmlReply(
      renderXml('InitiateMultipartUploadResult', { Bucket: bucket.name, Key: key, UploadId: upload.uploadId }),
      200,
      sseReplyHeaders(upload.encryption, sse),
    );
  },
});
