// PUT Object: streams the body to disk, checking Content-Length and Content-MD5, and stores its metadata.
import { checkKey, storedHeadersFrom } from '../domain/object.ts';
import { requestedRetainUntil } from '../domain/object-lock.ts';
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { contentLength, contentMd5 } from './common/params.ts';
import { requestedTags } from './common/object-tags.ts';
import { MAX_OBJECT_SIZE, storeObject, uploadAcl, uploadStorageClass } from './common/store-object.ts';
import { versionHeaders } from './common/version.ts';
import { sealFor, sseReplyHeaders, writeSse } from './common/sse.ts';
import { conditionsFrom, etagListMatches } from './common/preconditions.ts';
import { defineOperation, type RequestContext } from './operation.ts';
import type { MetadataReader } from '../storage/metadata.ts';

/**
 * S3's conditional writes [https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html]:
 * `If-None-Match: *` refuses to replace a current object, `If-Match` replaces only the current object
 * with that ETag (NoSuchKey when there is none); both 412 PreconditionFailed otherwise. Checked before
 * the body is read, so a refused client need not send it, and again in the commit's transaction, so of
 * two racing writers only one passes. COS documents neither header on PUT: only S3 callers get them.
 */
function writeCondition(ctx: RequestContext, bucket: string, key: string): ((reader: MetadataReader) => Promise<readonly string[]>) | undefined {
  if (ctx.dialect !== 's3') return undefined;
  const { ifMatch, ifNoneMatch } = conditionsFrom(ctx.headers);
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') throw cosError('NotImplemented', { message: 'If-None-Match on PUT accepts only *.' });
  return async (reader) => {
    const current = await reader.getVersion(bucket, key, undefined);
    const exists = current !== undefined && !current.deleteMarker;
    if (ifNoneMatch !== undefined && exists) throw cosError('PreconditionFailed', { detail: `If-None-Match: * and ${key} exists` });
    if (ifMatch !== undefined) {
      if (!exists) throw cosError('NoSuchKey');
      if (!etagListMatches(ifMatch, current.etag)) throw cosError('PreconditionFailed', { detail: `If-Match ${ifMatch} is not ${current.etag}` });
    }
    // As commitObject's `alongside`: no blobs of its own to free.
    return [];
  };
}

export const putObject = defineOperation({
  id: 'PutObject',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const key = ctx.route.key ?? '';
    checkKey(key);
    const size = contentLength(ctx.headers);
    const md5Base64 = contentMd5(ctx.headers);
    if (size !== undefined && size > MAX_OBJECT_SIZE) throw cosError('EntityTooLarge');
    const condition = writeCondition(ctx, bucket.name, key);
    await condition?.(ctx.meta);
    const acl = uploadAcl(ctx, bucket.ownerUin);
    const storageClass = uploadStorageClass(ctx);
    const tags = requestedTags(ctx.headers);
    const retainUntil = requestedRetainUntil(ctx.headers, bucket.objectLock !== undefined, ctx.now);
    const sse = writeSse(ctx.headers, bucket);
    // Chunked uploads (the Node SDK streams without Content-Length) are accepted; their size is what arrives.
    const { body, ...bodyFacts } = ctx.blobBody();
    const record = await storeObject(
      ctx,
      { bucket: bucket.name, key, headers: storedHeadersFrom(ctx.headers, key), acl, storageClass, tags, retainUntil, seal: sealFor(ctx, sse) },
      body,
      { ...(size !== undefined && { size }), ...(md5Base64 !== undefined && { md5Base64 }), ...bodyFacts },
      condition,
    );
    return emptyReply(200, {
      etag: record.etag,
      'x-cos-hash-crc64ecma': record.crc64,
      ...versionHeaders(bucket, record),
      ...sseReplyHeaders(record.encryption?.scheme, sse),
    });
  },
});
