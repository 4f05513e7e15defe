// APPEND Object (`POST /<key>?append&position=N`): adds the body at the end of an appendable object, creating one at position 0.
import { createHash } from 'node:crypto';
import { checkKey, isAppendable, storedHeadersFrom, type ObjectContent, type ObjectRecord, type ObjectVersion } from '../domain/object.ts';
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { asStream, dropContent, INLINE_CONTENT_MAX_BYTES, writeContent, type WrittenContent } from '../storage/object-content.ts';
import type { MetadataTx } from '../storage/metadata.ts';
import { crc64Combine } from '../util/crc64.ts';
import { appendHeaders } from './common/object-headers.ts';
import { contentLength, contentMd5 } from './common/params.ts';
import { requestedTags, tagsField } from './common/object-tags.ts';
import { commitObject, MAX_OBJECT_SIZE, uploadAcl, uploadStorageClass } from './common/store-object.ts';
import { defineOperation, type RequestContext } from './operation.ts';
import { readKey, requestedSse } from '../domain/encryption.ts';

/** `position`: a byte offset, required [doc: APPEND Object]. */
function appendPosition(params: ReadonlyMap<string, string>): number {
  const raw = params.get('position');
  if (raw === undefined || !/^\d+$/.test(raw)) throw cosError('InvalidArgument', { message: `Invalid position: ${raw ?? '(none)'}` });
  return Number(raw);
}

/**
 * The object an append at `position` extends, or undefined when it creates one. COS refuses a normal
 * object with ObjectNotAppendable, and any position but the object's length (0 for none) with
 * AppendPositionErr, telling the right one in x-cos-next-append-position [doc: APPEND Object].
 */
function appendTarget(current: ObjectVersion | undefined, position: number): ObjectRecord | undefined {
  const object = current?.deleteMarker ? undefined : current;
  if (object !== undefined && !isAppendable(object)) throw cosError('ObjectNotAppendable');
  const length = object?.size ?? 0;
  if (position !== length) {
    throw cosError('AppendPositionErr', { headers: { 'x-cos-next-append-position': String(length) }, detail: `position ${position}, length ${length}` });
  }
  return object;
}

/**
 * Appendable objects take no part in versioning [doc: APPEND Object]: a bucket with versioning
 * Enabled refuses appends (while Suspended, appends replace the null version as any write does).
 */
function refuseVersioned(versioning: string | undefined): void {
  if (versioning === 'Enabled') throw cosError('InvalidRequest', { message: 'Append Object is not supported on a bucket with versioning enabled.' });
}

/** The same bytes in the same place: a blob by its ref (never rewritten), inline bytes by value. */
function sameContent(a: ObjectContent, b: ObjectContent): boolean {
  if ('blob' in a || 'blob' in b) return 'blob' in a && 'blob' in b && a.blob === b.blob;
  return a.inline.equals(b.inline);
}

/**
 * The ETag after an append: the MD5 of the bytes for the first append, then the MD5 of the previous ETag
 * and the added bytes' MD5, so each append gives a new ETag without re-reading the object (it is no MD5
 * of the content, as a multipart object's is not).
 */
function grownEtag(base: ObjectRecord | undefined, added: WrittenContent): string {
  if (base === undefined || base.size === 0) return `"${added.md5Hex}"`;
  return `"${createHash('md5').update(`${base.etag}${added.md5Hex}`).digest('hex')}"`;
}

/**
 * The content of the object grown by `added`: small enough, still inline; else a blob composed of the
 * old content and the new (inline pieces written out first). Blobs written here only to be composed
 * are given up once the composed blob holds their bytes.
 */
async function grownContent(ctx: RequestContext, base: ObjectRecord | undefined, added: WrittenContent): Promise<ObjectContent> {
  if (base === undefined || base.size === 0) return added.content;
  if ('inline' in base.content && 'inline' in added.content && base.size + added.size <= INLINE_CONTENT_MAX_BYTES) {
    return { inline: Buffer.concat([base.content.inline, added.content.inline]) };
  }
  const scratch: string[] = [];
  const asBlob = async (content: ObjectContent): Promise<string> => {
    if ('blob' in content) return content.blob;
    const written = await ctx.blobs.write(asStream(content.inline), {});
    scratch.push(written.ref);
    return written.ref;
  };
  try {
    const pieces = [
      { ref: await asBlob(base.content), size: base.size },
      { ref: await asBlob(added.content), size: added.size },
    ];
    return { blob: await ctx.blobs.compose(pieces) };
  } catch (error) {
    // The object's blob was freed: another write replaced the object since it was read.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw cosError('AppendPositionErr', { detail: 'the object changed while appending' });
    throw error;
  } finally {
    await Promise.all(scratch.map((ref) => ctx.blobs.discard(ref)));
  }
}

export const appendObject = defineOperation({
  id: 'AppendObject',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const key = ctx.route.key ?? '';
    checkKey(key);
    const position = appendPosition(ctx.params);
    // Appended bytes are stored as sent: refused rather than silently left unencrypted.
    if (requestedSse(ctx.headers) || readKey(ctx.headers)) throw cosError('InvalidArgument', { message: 'Append Object does not take server-side encryption.' });
    refuseVersioned(bucket.versioning);
    const size = contentLength(ctx.headers);
    const md5Base64 = contentMd5(ctx.headers);
    // Checked before the body is read, so a refused client need not send it, and again at the commit.
    const base = appendTarget(await ctx.meta.getVersion(bucket.name, key, undefined), position);
    if (size !== undefined && position + size > MAX_OBJECT_SIZE) throw cosError('EntityTooLarge');
    const { body, ...bodyFacts } = ctx.blobBody();
    const added = await writeContent(ctx.blobs, body, { ...(size !== undefined && { size }), ...(md5Base64 !== undefined && { md5Base64 }), ...bodyFacts });
    let content: ObjectContent;
    try {
      if (position + added.size > MAX_OBJECT_SIZE) throw cosError('EntityTooLarge');
      content = await grownContent(ctx, base, added);
    } catch (error) {
      await dropContent(ctx.blobs, added.content);
      throw error;
    }
    if (content !== added.content) await dropContent(ctx.blobs, added.content);
    // Of two appends at the same position only one commits: the other finds the object grown (or
    // replaced: same length is not enough) and is refused, its bytes dropped by commitObject.
    const stillBase = async (tx: MetadataTx): Promise<readonly string[]> => {
      refuseVersioned((await tx.getBucket(bucket.name))?.versioning);
      const current = appendTarget(await tx.getVersion(bucket.name, key, undefined), position);
      const unchanged = current === undefined || base === undefined ? current === base : sameContent(current.content, base.content);
      if (!unchanged) {
        throw cosError('AppendPositionErr', { headers: { 'x-cos-next-append-position': String(position) }, detail: 'the object changed while appending' });
      }
      return [];
    };
    // The first append sets the object's headers, ACL, tags and storage class; later ones keep them: COS
    // takes the storage class of the existing object [doc: APPEND Object].
    const record = await commitObject(
      ctx,
      {
        bucket: bucket.name,
        key,
        size: position + added.size,
        etag: grownEtag(base, added),
        crc64: base === undefined ? added.crc64 : crc64Combine(base.crc64, added.crc64, added.size),
        lastModified: ctx.now,
        content,
        headers: base?.headers ?? storedHeadersFrom(ctx.headers, key),
        objectType: 'appendable',
        storageClass: base?.storageClass ?? uploadStorageClass(ctx),
        acl: base === undefined ? uploadAcl(ctx, bucket.ownerUin) : base.acl,
        ...tagsField(base === undefined ? requestedTags(ctx.headers) : base.tags),
      },
      stillBase,
    );
    return emptyReply(200, { etag: record.etag, 'x-cos-hash-crc64ecma': record.crc64, ...appendHeaders(record) });
  },
});
