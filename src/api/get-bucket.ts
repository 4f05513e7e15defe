// GET Bucket (list objects): prefix, delimiter, marker, max-keys, encoding-type=url (ListBucketResult).
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { listKeys, namesOn } from './common/list-keys.ts';
import { listingParams, nameEncoding } from './common/params.ts';
import { commonPrefixesXml, contentsXml } from './common/listing-xml.ts';
import { appidOf } from './common/xml-shapes.ts';
import { defineOperation } from './operation.ts';

export const MAX_KEYS = 1000;

export const getBucket = defineOperation({
  id: 'GetBucket',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const { prefix, delimiter, limit: maxKeys, encoding: requested } = listingParams(ctx.params, { name: 'max-keys', max: MAX_KEYS, min: 0 });
    const marker = ctx.params.get('marker') ?? '';

    const page = await listKeys(ctx.meta, { bucket: bucket.name, prefix, delimiter, marker, maxKeys });
    const { encoding, name } = nameEncoding(requested, [prefix, marker, delimiter, ...namesOn(page)]);
    const appid = appidOf(bucket.name);
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
        CommonPrefixes: commonPrefixesXml(page.commonPrefixes, name),
        Contents: contentsXml(page.entries, name, appid, ctx.dialect),
      }),
      200,
      { 'x-cos-bucket-region': bucket.region },
    );
  },
});
