// List Parts: GET /<key>?uploadId=U with part-number-marker, max-parts (<= 1000) and encoding-type (ListPartsResult).
import { camId } from '../domain/identity.ts';
import { storageClassName } from '../domain/storage-class.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { encodingType, intParam, nameEncoding } from './common/params.ts';
import { camElement, requireUpload } from './common/uploads.ts';
import { isoTime } from './common/xml-shapes.ts';
import { defineOperation } from './operation.ts';

const MAX_PARTS = 1000;

export const listParts = defineOperation({
  id: 'ListParts',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const maxParts = intParam(ctx.params, 'max-parts', MAX_PARTS, 0, MAX_PARTS);
    const marker = intParam(ctx.params, 'part-number-marker', 0, 0, Number.MAX_SAFE_INTEGER);
    const requested = encodingType(ctx.params);
    const upload = await requireUpload(ctx, bucket.name);
    const { encoding, name } = nameEncoding(requested, [upload.key]);
    const parts = await ctx.meta.listParts(upload.uploadId, marker, maxParts + 1);
    const page = parts.slice(0, maxParts);
    const isTruncated = parts.length > maxParts;
    const last = page[page.length - 1];
    return xmlReply(
      renderXml('ListPartsResult', {
        Bucket: bucket.name,
        EncodingType: encoding,
        Key: name(upload.key),
        UploadId: upload.uploadId,
        Initiator: camElement(upload.initiator),
        Owner: camElement(camId(bucket.ownerUin, bucket.ownerUin)),
        PartNumberMarker: marker,
        Part: page.map((p) => ({ PartNumber: p.partNumber, LastModified: isoTime(p.lastModified), ETag: p.etag, Size: p.size })),
        NextPartNumberMarker: last?.partNumber ?? marker,
        StorageClass: storageClassName(upload.storageClass, ctx.dialect),
        MaxParts: maxParts,
        IsTruncated: isTruncated,
      }),
    );
  },
});
