// GET Bucket (list objects): prefix, delimiter, marker, max-keys, encoding-type=url (ListBucketResult).
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { listKeys } from './common/list-keys.ts';
import { encodingType, intParam } from './common/params.ts';
import { appidOf, listEntry, urlEncodeName } from './common/xml-shapes.ts';
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
        CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: name(p) })),
        Contents: page.entries.map((o) => listEntry(o, name, appid)),
      }),
      200,
      { 'x-cos-bucket-region': bucket.region },
    );
  },
});
