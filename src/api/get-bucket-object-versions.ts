// GET Bucket Object versions (GET /?versions): every version and delete marker, keys in order and each
// key's newest first; prefix, delimiter, key-marker, version-id-marker, max-keys, encoding-type=url.
import { storageClassName } from '../domain/storage-class.ts';
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml, type XmlNode } from '../http/xml.ts';
import { MAX_KEYS } from './get-bucket.ts';
import { listVersionPage, namesOn } from './common/list-keys.ts';
import { listingParams, nameEncoding } from './common/params.ts';
import { requestedVersionId } from './common/version.ts';
import { isoTime } from './common/xml-shapes.ts';
import { defineOperation } from './operation.ts';

export const getBucketObjectVersions = defineOperation({
  id: 'GetBucketObjectVersions',
  authorize: 'route',
  needsBucket: true,
  async run(ctx, bucket) {
    const { prefix, delimiter, limit: maxKeys, encoding: requested } = listingParams(ctx.params, { name: 'max-keys', max: MAX_KEYS, min: 0 });
    const keyMarker = ctx.params.get('key-marker') ?? '';
    const versionIdMarker = requestedVersionId(ctx.params.get('version-id-marker'));
    // [recommended] COS is silent; S3 refuses a version marker without a key marker this way.
    if (versionIdMarker !== undefined && keyMarker === '') {
      throw cosError('InvalidArgument', { message: 'A version-id marker cannot be specified without a key marker.' });
    }

    const page = await listVersionPage(ctx.meta, { bucket: bucket.name, prefix, delimiter, marker: keyMarker, maxKeys }, versionIdMarker);
    const { encoding, name } = nameEncoding(requested, [prefix, keyMarker, delimiter, ...namesOn(page)]);
    const appid = bucket.name.slice(bucket.name.lastIndexOf('-') + 1);
    // Listings name the owner by APPID (spec/acl.md §1.1).
    const owner = { ID: appid, DisplayName: appid };
    const versions: XmlNode[] = [];
    const markers: XmlNode[] = [];
    for (const v of page.entries) {
      const common = { Key: name(v.key), VersionId: v.versionId, IsLatest: v.isLatest, LastModified: isoTime(v.lastModified) };
      if (v.deleteMarker) markers.push({ ...common, Owner: owner });
      else versions.push({ ...common, ETag: v.etag, Size: v.size, StorageClass: storageClassName(v.storageClass, ctx.dialect), Owner: owner });
    }
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
        CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: name(p) })),
        // The SDKs read Version and DeleteMarker as two lists, so they are rendered grouped; within each, key order then newest first.
        Version: versions,
        DeleteMarker: markers,
      }),
    );
  },
});
