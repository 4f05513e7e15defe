// GET Bucket (list objects): prefix, delimiter, marker, max-keys, encoding-type=url (ListBucketResult).
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { listKeys } from './common/list-keys.ts';
import { encodingType, intParam } from './common/params.ts';
import { isoTime, urlEncodeName } from './common/xml-shapes.ts';
import { defineOperation } from './operation.ts';

export const MAX_KEYS = 1000;

export const getBucket = defineOperation({
  id: 'GetBucket',
  authorize: 'route',
  needsBucket: true,
  async run(ctx, bucket) {
    const prefix = ctx.params.get('prefix') ?? '';
    const delimiter = ctx.params.get('delimiter') ?? '';
    const marker = ctx.params.get('marker') ?? '';
    if ([...delimiter].length > 1) throw cosError('InvalidDelimiter');
    const maxKeys = intParam(ctx.params, 'max-keys', MAX_KEYS, 0, MAX_KEYS);
    const encoding = encodingType(ctx.params);
    const name = encoding ? urlEncodeName : (s: string): string => s;

    const page = await listKeys(ctx.meta, { bucket: bucket.name, prefix, delimiter, marker, maxKeys });
    const appid = bucket.name.slice(bucket.name.lastIndexOf('-') + 1);
    return xmlReply(
      renderXml('ListBucketResult', {
        Name: bucket.name,
        EncodingType: encoding,
        Prefix: name(prefix),
        Marker: name(marker),
        MaxKeys: maxKeys,
        Delimiter: delimiter === '' ? undefined : name(delimiter),
        IsTruncated: page.isTruncated,
        NextMarker: page.isTruncated && page.last !== undefined ? name(page.last.key) : undefined,
        CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: name(p) })),
        Contents: page.entries.map((o) => ({
          Key: name(o.key),
          LastModified: isoTime(o.lastModified),
          ETag: o.etag,
          Size: o.size,
          // Listings name the owner by APPID, not by CAM id (spec/acl.md §1.1).
          Owner: { ID: appid, DisplayName: appid },
          StorageClass: o.storageClass,
        })),
      }),
      200,
      { 'x-cos-bucket-region': bucket.region },
    );
  },
});
