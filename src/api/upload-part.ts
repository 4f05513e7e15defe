// Upload Part: PUT /<key>?partNumber=N&uploadId=U. Streams the part to disk (Content-Length and
// Content-MD5 checked on the way) and answers its ETag.
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { contentLength, contentMd5 } from './common/params.ts';
import { MAX_PART_SIZE, partNumberParam, requireUpload, storePart } from './common/uploads.ts';
import { defineOperation } from './operation.ts';
import { readKey } from '../domain/encryption.ts';
import { partSeal, sseReplyHeaders } from './common/sse.ts';

export const uploadPart = defineOperation({
  id: 'UploadPart',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const partNumber = partNumberParam(ctx.params);
    const size = contentLength(ctx.headers);
    const md5Base64 = contentMd5(ctx.headers);
    if (size !== undefined && size > MAX_PART_SIZE) throw cosError('EntityTooLarge');
    const upload = await requireUpload(ctx, bucket.name);
    const sent = readKey(ctx.headers);
    const seal = partSeal(ctx, upload, sent);
    const { body, ...bodyFacts } = ctx.blobBody();
    const part = await storePart(ctx, upload, partNumber, body, {
      ...(size !== undefined && { size }),
      ...(md5Base64 !== undefined && { md5Base64 }),
      ...bodyFacts,
    }, seal);
    return emptyReply(200, { etag: part.etag, 'x-cos-hash-crc64ecma': part.crc64, ...sseReplyHeaders(upload.encryption, sent) });
  },
});
