// Upload Part - Copy: PUT /<key>?partNumber=N&uploadId=U with x-cos-copy-source (and optionally
// x-cos-copy-source-range: bytes=first-last): a part made of (a range of) a readable object (version, with
// `?versionId=` in the copy source).
import type { ByteRange } from '../storage/blobs.ts';
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { loadCopySource } from './common/copy-source.ts';
import { MAX_PART_SIZE, partNumberParam, requireUpload, storePart } from './common/uploads.ts';
import { isoTime } from './common/xml-shapes.ts';
import { asStream, readContent } from '../storage/object-content.ts';
import { defineOperation } from './operation.ts';
import { copySourceKey, readKey } from '../domain/encryption.ts';
import { contentKey, partSeal, sseReplyHeaders } from './common/sse.ts';

/**
 * The copy range, which (unlike a GET Range) must be exactly `bytes=first-last` [S3/COS]. An empty
 * header is no range: cos-python-sdk-v5 always sends one. A range outside the source is InvalidRange,
 * as ceph s3-tests (test_multipart_copy_invalid_range) require of S3.
 */
function copyRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!match) {
    throw cosError('InvalidArgument', {
      message: 'The x-cos-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
    });
  }
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (start > end || end >= size) throw cosError('InvalidRange', { message: `Range specified is not valid for source object of size: ${size}` });
  return { start, end };
}

export const uploadPartCopy = defineOperation({
  id: 'UploadPartCopy',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const partNumber = partNumberParam(ctx.params);
    const { object, sourceVersionId } = await loadCopySource(ctx);
    const range = copyRange(ctx.headers['x-cos-copy-source-range'], object.size);
    const size = range ? range.end - range.start + 1 : object.size;
    if (size > MAX_PART_SIZE) throw cosError('EntityTooLarge');
    const upload = await requireUpload(ctx, bucket.name);
    const sourceKey = contentKey(ctx, object.encryption, copySourceKey(ctx.headers));
    const sent = readKey(ctx.headers);
    const seal = partSeal(ctx, upload, sent);
    const part = await storePart(ctx, upload, partNumber, asStream(readContent(ctx.blobs, object, range, sourceKey)), { size }, seal);
    return xmlReply(renderXml('CopyPartResult', { ETag: part.etag, LastModified: isoTime(part.lastModified) }), 200, {
      'x-cos-hash-crc64ecma': part.crc64,
      ...sseReplyHeaders(upload.encryption, sent),
      ...(sourceVersionId !== undefined && { 'x-cos-copy-source-version-id': sourceVersionId }),
    });
  },
});
