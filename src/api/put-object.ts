// PUT Object: streams the body to disk, checking Content-Length and Content-MD5, and stores its metadata.
import { checkKey, storedHeadersFrom } from '../domain/object.ts';
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { contentLength, contentMd5 } from './common/params.ts';
import { MAX_OBJECT_SIZE, storeObject, uploadAcl, uploadStorageClass } from './common/store-object.ts';
import { versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';

export const putObject = defineOperation({
  id: 'PutObject',
  authorize: 'route',
  needsBucket: true,
  async run(ctx, bucket) {
    const key = ctx.route.key ?? '';
    checkKey(key);
    const size = contentLength(ctx.headers);
    const md5Base64 = contentMd5(ctx.headers);
    if (size !== undefined && size > MAX_OBJECT_SIZE) throw cosError('EntityTooLarge');
    const acl = uploadAcl(ctx, bucket.ownerUin);
    const storageClass = uploadStorageClass(ctx);
    // Chunked uploads (the Node SDK streams without Content-Length) are accepted; their size is what arrives.
    const { body, ...bodyFacts } = ctx.blobBody();
    const record = await storeObject(
      ctx,
      { bucket: bucket.name, key, headers: storedHeadersFrom(ctx.headers, key), acl, storageClass },
      body,
      { ...(size !== undefined && { size }), ...(md5Base64 !== undefined && { md5Base64 }), ...bodyFacts },
    );
    return emptyReply(200, { etag: record.etag, 'x-cos-hash-crc64ecma': record.crc64, ...versionHeaders(bucket, record) });
  },
});
