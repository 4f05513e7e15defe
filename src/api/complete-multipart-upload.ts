// Complete Multipart Upload: POST /<key>?uploadId=U with <CompleteMultipartUpload><Part><PartNumber/><ETag/></Part>+.
// The listed parts become the object in one metadata commit, through the same commit path as PUT Object.
import type { Bucket } from '../domain/bucket.ts';
import type { ObjectRecord } from '../domain/object.ts';
import { MIN_PART_SIZE, multipartEtag, type Part, type Upload } from '../domain/upload.ts';
import { CosError, cosError } from '../errors/cos-error.ts';
import { xmlReply, type Reply } from '../http/respond.ts';
import { asArray, parseXml, renderXml, textOf } from '../http/xml.ts';
import { crc64, crc64Combine } from '../util/crc64.ts';
import { readCheckedBody } from './common/params.ts';
import { tagsField } from './common/object-tags.ts';
import { commitObject } from './common/store-object.ts';
import { requireUpload } from './common/uploads.ts';
import { versionHeaders } from './common/version.ts';
import type { RequestContext } from './operation.ts';
import { defineOperation } from './operation.ts';
import { sseReplyHeaders } from './common/sse.ts';

/**
 * The completed object's encryption: the upload's scheme over the parts' own cipher segments, in order,
 * so a read anywhere in the object decrypts with the counter of the part the byte came from.
 */
function composedEncryption(upload: Upload, parts: readonly Part[]): Pick<ObjectRecord, 'encryption'> {
  if (!upload.encryption) return {};
  const segments = parts.map((part) => {
    const segment = part.encryption?.segments[0];
    // Parts take the upload's scheme when stored (api/common/sse.ts partSeal); anything else is a bug, not a request error.
    if (!segment || part.encryption?.segments.length !== 1) throw new Error(`part ${part.partNumber} of encrypted upload ${upload.uploadId} has no cipher segment`);
    return segment;
  });
  return { encryption: { scheme: upload.encryption, segments } };
}

/**
 * 10,000 parts fit: cos-nodejs-sdk-v5 strips whitespace from this document because CSP/Ceph cap it
 * at 1 MB, and says 10,000 parts then take ~853 KB.
 */
const BODY_LIMIT = 1024 * 1024;

interface ListedPart {
  partNumber: number;
  etag: string;
}

function parseCompleteRequest(text: string): ListedPart[] {
  const doc = parseXml(text)['CompleteMultipartUpload'];
  if (!doc || typeof doc !== 'object') throw cosError('MalformedXML');
  const parts = asArray((doc as Record<string, unknown>)['Part']).map((part) => {
    if (!part || typeof part !== 'object') throw cosError('MalformedXML');
    const number = textOf((part as Record<string, unknown>)['PartNumber']) ?? '';
    const etag = textOf((part as Record<string, unknown>)['ETag']);
    if (!/^\d{1,5}$/.test(number) || etag === undefined) throw cosError('MalformedXML');
    return { partNumber: Number(number), etag };
  });
  if (parts.length === 0) throw cosError('MalformedXML', { detail: 'no Part' });
  return parts;
}

/** ETags compare without quotes and case (clients send them either way). */
const sameEtag = (a: string, b: string): boolean => a.replace(/"/g, '').toLowerCase() === b.replace(/"/g, '').toLowerCase();

/** The stored parts the request lists, in its order, checked as COS checks them. */
async function chooseParts(ctx: RequestContext, uploadId: string, listed: readonly ListedPart[]): Promise<Part[]> {
  // The order of the whole list is checked before any part is looked at.
  if (listed.some((want, i) => i > 0 && want.partNumber <= (listed[i - 1]?.partNumber ?? 0))) throw cosError('InvalidPartOrder');
  const stored = new Map((await ctx.meta.listParts(uploadId, 0, Number.MAX_SAFE_INTEGER)).map((p) => [p.partNumber, p]));
  return listed.map((want, i) => {
    const part = stored.get(want.partNumber);
    if (!part || !sameEtag(part.etag, want.etag)) throw cosError('InvalidPart', { detail: `part ${want.partNumber}` });
    if (i < listed.length - 1 && part.size < MIN_PART_SIZE) throw cosError('EntityTooSmall', { detail: `part ${part.partNumber} is ${part.size} bytes` });
    return part;
  });
}

/**
 * The composed blob for the chosen parts. A part replaced (and freed) by a concurrent Upload Part
 * between choosing and composing is chosen again: the request's ETags then decide.
 */
async function composeParts(ctx: RequestContext, uploadId: string, listed: readonly ListedPart[]): Promise<{ parts: Part[]; blob: string }> {
  for (let attempt = 1; ; attempt++) {
    const parts = await chooseParts(ctx, uploadId, listed);
    try {
      return { parts, blob: await ctx.blobs.compose(parts.map((p) => ({ ref: p.blob, size: p.size }))) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw error;
    }
  }
}

/**
 * A Complete retried after it succeeded (its answer lost on the way, say) is answered with the object
 * again, as S3 does (ceph s3-tests complete twice): while the key's current version is the one that
 * upload made from the same list of parts.
 */
async function completedBefore(ctx: RequestContext, bucket: Bucket, listed: readonly ListedPart[]): Promise<ObjectRecord | undefined> {
  const uploadId = ctx.params.get('uploadId') ?? '';
  const current = await ctx.meta.getVersion(bucket.name, ctx.route.key ?? '', undefined);
  if (!current || current.deleteMarker || uploadId === '' || current.uploadId !== uploadId) return undefined;
  return sameEtag(current.etag, multipartEtag(listed.map((p) => p.etag))) ? current : undefined;
}

/** The listed parts become the object, and the upload goes, in one commit. */
async function completeUpload(ctx: RequestContext, bucket: Bucket, upload: Upload, listed: readonly ListedPart[]): Promise<ObjectRecord> {
  const { parts, blob } = await composeParts(ctx, upload.uploadId, listed);
  // The whole object's CRC64 comes from the parts' CRCs and lengths: no byte is read again.
  const crc = parts.reduce((acc, p) => crc64Combine(acc, p.crc64, p.size), crc64(new Uint8Array(0)));
  // The upload leaves in the same transaction that writes the object: kill -9 leaves one or the other.
  // The object holds its own links to the parts' bytes; the upload's names for them (and unlisted parts) go.
  return commitObject(
    ctx,
    {
      bucket: bucket.name,
      key: upload.key,
      size: parts.reduce((n, p) => n + p.size, 0),
      etag: multipartEtag(parts.map((p) => p.etag)),
      crc64: crc,
      lastModified: ctx.now,
      content: { blob },
      headers: upload.headers,
      storageClass: upload.storageClass,
      acl: upload.acl,
      uploadId: upload.uploadId,
      ...tagsField(upload.tags),
      ...composedEncryption(upload, parts),
    },
    async (tx) => {
      if (!(await tx.getUpload(upload.bucket, upload.key, upload.uploadId))) throw cosError('NoSuchUpload');
      return tx.deleteUpload(upload.uploadId);
    },
  );
}

function completedReply(bucket: Bucket, record: ObjectRecord): Reply {
  const location = `${bucket.name}.cos.${bucket.region}.myqcloud.com/${record.key}`;
  return xmlReply(
    renderXml('CompleteMultipartUploadResult', { Location: location, Bucket: bucket.name, Key: record.key, ETag: record.etag }),
    200,
    { 'x-cos-hash-crc64ecma': record.crc64, ...versionHeaders(bucket, record), ...sseReplyHeaders(record.encryption?.scheme, undefined) },
  );
}

export const completeMultipartUpload = defineOperation({
  id: 'CompleteMultipartUpload',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const listed = parseCompleteRequest((await readCheckedBody(ctx.body, ctx.headers, BODY_LIMIT)).toString('utf8'));
    try {
      return completedReply(bucket, await completeUpload(ctx, bucket, await requireUpload(ctx, bucket.name), listed));
    } catch (error) {
      // Completed before, or meanwhile by a concurrent Complete (a client retrying while this one ran),
      // which took the upload and its parts: the same request gets the same answer.
      const gone = error instanceof CosError && (error.code === 'NoSuchUpload' || error.code === 'InvalidPart');
      const done = gone ? await completedBefore(ctx, bucket, listed) : undefined;
      if (!done) throw error;
      return completedReply(bucket, done);
    }
  },
});
