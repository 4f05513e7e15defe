// GET Bucket with list-type=2 (S3 ListObjectsV2): continuation-token, start-after, fetch-owner, KeyCount.
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { listKeys, namesOn } from './common/list-keys.ts';
import { listingParams, nameEncoding } from './common/params.ts';
import { commonPrefixesXml, contentsXml } from './common/listing-xml.ts';
import { appidOf } from './common/xml-shapes.ts';
import { MAX_KEYS } from './get-bucket.ts';
import { defineOperation } from './operation.ts';

/** The token is the last key or prefix returned, opaque to clients (base64url). */
const encodeToken = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');

function decodeToken(token: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw cosError('InvalidArgument', { message: 'The continuation token provided is incorrect' });
  return Buffer.from(token, 'base64url').toString('utf8');
}

export const listObjectsV2 = defineOperation({
  id: 'ListObjectsV2',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    if (ctx.params.get('list-type') !== '2') throw cosError('InvalidArgument', { message: 'Invalid list-type: only 2 is supported' });
    const { prefix, delimiter, limit: maxKeys, encoding: requested } = listingParams(ctx.params, { name: 'max-keys', max: MAX_KEYS, min: 0 });
    const token = ctx.params.get('continuation-token');
    const startAfter = ctx.params.get('start-after') ?? '';
    // A continuation token wins over start-after, as in S3; an empty one is absent (and echoed back empty),
    // as S3 answers it (ceph s3-tests test_bucket_listv2_continuationtoken_empty).
    const marker = token !== undefined && token !== '' ? decodeToken(token) : startAfter;
    const page = await listKeys(ctx.meta, { bucket: bucket.name, prefix, delimiter, marker, maxKeys });
    const { encoding, name } = nameEncoding(requested, [prefix, startAfter, delimiter, ...namesOn(page)]);
    const owner = ctx.params.get('fetch-owner') === 'true' ? appidOf(bucket.name) : undefined;
    return xmlReply(
      renderXml('ListBucketResult', {
        Name: bucket.name,
        Prefix: name(prefix),
        Delimiter: delimiter === '' ? undefined : name(delimiter),
        MaxKeys: maxKeys,
        EncodingType: encoding,
        KeyCount: page.entries.length + page.commonPrefixes.length,
        IsTruncated: page.isTruncated,
        ContinuationToken: token,
        NextContinuationToken: page.isTruncated && page.last !== undefined ? encodeToken(page.last.key) : undefined,
        StartAfter: startAfter === '' ? undefined : name(startAfter),
        Contents: contentsXml(page.entries, name, owner, ctx.dialect),
        CommonPrefixes: commonPrefixesXml(page.commonPrefixes, name),
      }),
      200,
      { 'x-cos-bucket-region': bucket.region },
    );
  },
});
