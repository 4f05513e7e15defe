// GET Bucket Object versions (GET /?versions): every version and delete marker, keys in order and each
// key's newest first; prefix, delimiter, key-marker, version-id-marker, max-keys, encoding-type=url.
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { MAX_KEYS } from './get-bucket.ts';
import { listVersionPage, namesOn } from './common/list-keys.ts';
import { listingParams, nameEncoding } from './common/params.ts';
import { requestedVersionId } from './common/version.ts';
import { commonPrefixesXml, versionsXml } from './common/listing-xml.ts';
import { appidOf } from './common/xml-shapes.ts';
import { defineOperation } from './operation.ts';

export const getBucketObjectVersions = defineOperation({
  id: 'GetBucketObjectVersions',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const { prefix, delimiter, limit: maxKeys, encoding: requested } = listingParams(ctx.params, { name: 'max-keys', max: MAX_KEYS, min: 0 });
    const keyMarker = ctx.params.get('key-marker') ?? '';
    const versionIdMarker = requestedVersionId(ctx.params.get('version-id-marker'));
    // [recommended] COS is silent; S3 refuses a version marker without a key marker this way.
    if (versionIdMarker !== undefined && keyMarker === '') {
      throw cosError('InvalidArgument', { message: 'A version-id marker cannot be specified without a key marker.' });
    }

    const page = await listVersionPage(ctx.meta, { bucket: bucket.name, prefix, delimiter, marker: keyMarker, maxKeys }, versionIdMarker);
    const { encoding, name } = nameEncoding(requested, [prefix, keyMarker, delimiter, ...namesOn(page)]);
    const { versions, deleteMarkers } = versionsXml(page.entries, name, appidOf(bucket.name), ctx.dialect);
    const next = page.isTruncated ? page.last : undefined;
    return xmlReply(
      renderXml('ListVersionsResult', {
        EncodingType: encoding,
        Name: bucket.name,
        Prefix: name(prefix),
        KeyMarker: name(keyMarker),
        VersionIdMarker: versionIdMarker ?? '',
        MaxKeys: maxKeys,
        IsTruncated: page.isTruncated,
        NextKeyMarker: next && name(next.key),
        NextVersionIdMarker: next && (next.entry?.versionId ?? ''),
        Delimiter: delimiter === '' ? undefined : name(delimiter),
        CommonPrefixes: commonPrefixesXml(page.commonPrefixes, name),
        Version: versions,
        DeleteMarker: deleteMarkers,
      }),
    );
  },
});
