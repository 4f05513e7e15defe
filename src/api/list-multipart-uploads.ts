// List Multipart Uploads: GET /?uploads with prefix, delimiter, key-marker, upload-id-marker, max-uploads
// (1..1000) and encoding-type (ListMultipartUploadsResult).
import { camId } from '../domain/identity.ts';
import { storageClassName } from '../domain/storage-class.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { listUploadPage, namesOn } from './common/list-keys.ts';
import { listingParams, nameEncoding } from './common/params.ts';
import { camElement } from './common/uploads.ts';
import { isoTime } from './common/xml-shapes.ts';
import { defineOperation } from './operation.ts';

const MAX_UPLOADS = 1000;

export const listMultipartUploads = defineOperation({
  id: 'ListMultipartUploads',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const { prefix, delimiter, limit: maxUploads, encoding: requested } = listingParams(ctx.params, { name: 'max-uploads', max: MAX_UPLOADS, min: 1 });
    const keyMarker = ctx.params.get('key-marker') ?? '';
    const uploadIdMarker = ctx.params.get('upload-id-marker') ?? '';
    const page = await listUploadPage(
      ctx.meta,
      { bucket: bucket.name, prefix, delimiter, marker: keyMarker, maxKeys: maxUploads },
      uploadIdMarker === '' ? undefined : uploadIdMarker,
    );
    const { encoding, name } = nameEncoding(requested, [prefix, keyMarker, delimiter, ...namesOn(page)]);
    const next = page.isTruncated ? page.last : undefined;
    const owner = camElement(camId(bucket.ownerUin, bucket.ownerUin));
    return xmlReply(
      renderXml('ListMultipartUploadsResult', {
        Bucket: bucket.name,
        EncodingType: encoding,
        KeyMarker: name(keyMarker),
        UploadIdMarker: uploadIdMarker,
        NextKeyMarker: next && name(next.key),
        NextUploadIdMarker: next && (next.entry?.uploadId ?? ''),
        MaxUploads: maxUploads,
        IsTruncated: page.isTruncated,
        Prefix: name(prefix),
        Delimiter: delimiter === '' ? undefined : name(delimiter),
        Upload: page.entries.map((u) => ({
          Key: name(u.key),
          UploadId: u.uploadId,
          StorageClass: storageClassName(u.storageClass, ctx.dialect),
          Initiator: camElement(u.initiator),
          Owner: owner,
          Initiated: isoTime(u.initiated),
        })),
        CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: name(p) })),
      }),
    );
  },
});
