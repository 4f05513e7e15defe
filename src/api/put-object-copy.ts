// PUT Object - Copy: copies a readable source object (version) into this key (x-cos-copy-source, x-cos-metadata-directive).
import { checkKey, storedHeadersFrom } from '../domain/object.ts';
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { loadCopySource } from './common/copy-source.ts';
import { copiedTags } from './common/object-tags.ts';
import { versionHeaders } from './common/version.ts';
import { storeObject, uploadAcl, uploadStorageClass } from './common/store-object.ts';
import { isoTime } from './common/xml-shapes.ts';
import { defineOperation } from './operation.ts';
import { readContent } from '../storage/object-content.ts';
import { copySourceKey, requestedSse } from '../domain/encryption.ts';
import { contentKey, sealFor, sseReplyHeaders, writeSse } from './common/sse.ts';

export const putObjectCopy = defineOperation({
  id: 'PutObjectCopy',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const key = ctx.route.key ?? '';
    checkKey(key);
    const directive = ctx.headers['x-cos-metadata-directive'] ?? 'Copy';
    if (directive !== 'Copy' && directive !== 'Replaced') {
      throw cosError('InvalidArgument', { message: 'x-cos-metadata-directive must be Copy or Replaced' });
    }
    // The copy is of the class its own header asks for, STANDARD without one, not the source's [doc:
    // PUT Object - Copy; cos-python-sdk-v5 copy() assumes the same]. Copying an object onto itself
    // with a new class is how COS changes an object's class [doc: API FAQ, modifying the storage class].
    const storageClass = uploadStorageClass(ctx);
    const { source, object, sourceVersionId } = await loadCopySource(ctx);
    // The source is read with its own key; the copy is encrypted as its own headers (or the bucket's default) say.
    const sourceKey = contentKey(ctx, object.encryption, copySourceKey(ctx.headers));
    const sse = writeSse(ctx.headers, bucket);
    // Copying an older version onto its own key (restoring it) is a real change, so only the current one is
    // refused; so is asking for encryption (S3 counts it as a change too).
    const unchanged = directive === 'Copy' && storageClass === object.storageClass && requestedSse(ctx.headers) === undefined;
    if (source.bucket === bucket.name && source.key === key && source.versionId === undefined && unchanged) {
      throw cosError('InvalidRequest', {
        message: 'This copy request is illegal because it is trying to copy an object to itself without changing the metadata or storage class.',
      });
    }
    const headers = directive === 'Copy' ? object.headers : storedHeadersFrom(ctx.headers, key);
    // The copy gets the ACL its own headers ask for, not the source's [doc, PUT Object - Copy].
    const target = {
      bucket: bucket.name,
      key,
      headers,
      acl: uploadAcl(ctx, bucket.ownerUin),
      storageClass,
      tags: copiedTags(ctx.headers, object),
      seal: sealFor(ctx, sse),
    };
    const record = await storeObject(ctx, target, readContent(ctx.blobs, object, undefined, sourceKey), { size: object.size });
    return xmlReply(
      renderXml('CopyObjectResult', { ETag: record.etag, CRC64: record.crc64, LastModified: isoTime(record.lastModified) }),
      200,
      {
        'x-cos-hash-crc64ecma': record.crc64,
        ...versionHeaders(bucket, record),
        ...sseReplyHeaders(record.encryption?.scheme, sse),
        ...(sourceVersionId !== undefined && { 'x-cos-copy-source-version-id': sourceVersionId }),
      },
    );
  },
});
