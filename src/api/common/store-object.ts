// Writes an object: bytes first (durable), then the metadata commit, then the replaced bytes are freed.
import type { Readable } from 'node:stream';
import { MAX_KEY_BYTES, type ObjectRecord } from '../../domain/object.ts';
import { cosError } from '../../errors/cos-error.ts';
import type { Acl } from '../../domain/acl.ts';
import { newVersionId, versionIdForWrite } from '../../domain/versioning.ts';
import type { BlobExpectation } from '../../storage/blobs.ts';
import type { MetadataTx } from '../../storage/metadata.ts';
import { aclFromHeaders } from './acl-io.ts';
import type { RequestContext } from '../operation.ts';

/** COS's single-request object limit: 5 GB [doc]. */
export const MAX_OBJECT_SIZE = 5 * 1024 ** 3;

export interface NewObject {
  bucket: string;
  key: string;
  /** Stored headers (entity headers and x-cos-meta-*). */
  headers: Record<string, string>;
  /** Undefined: `default`. */
  acl: Acl | undefined;
}

/** The ACL an upload's headers ask for; without ACL headers an object is `default` (spec/acl.md §4). */
export function uploadAcl(ctx: RequestContext, ownerUin: string): Acl | undefined {
  const choice = aclFromHeaders(ctx.headers, 'object', ownerUin);
  return choice?.kind === 'acl' ? choice.acl : undefined;
}

export function checkKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw cosError('KeyTooLong');
}

/**
 * Commits a new object inside tx as its key's current version. The one place every object-creating
 * write (PUT, Copy, Complete Multipart Upload) turns into metadata, so all of them get the bucket's
 * versioning rules (domain/versioning.ts): a fresh version while Enabled, else the null version,
 * replacing the previous one. Returns the record with its versionId and a blob no version uses any more.
 */
export async function commitObject(
  tx: MetadataTx,
  object: Omit<ObjectRecord, 'versionId'>,
): Promise<{ record: ObjectRecord; freedBlob: string | undefined }> {
  // The bucket may have been deleted, or its versioning changed, while the bytes streamed in.
  const bucket = await tx.getBucket(object.bucket);
  if (!bucket) throw cosError('NoSuchBucket');
  const record: ObjectRecord = { ...object, versionId: versionIdForWrite(bucket.versioning, newVersionId) };
  return { record, freedBlob: await tx.putObject(record) };
}

/**
 * A crash before the commit leaves only an unreferenced file (swept at start); after it, the new
 * object. A replaced version's file is removed only once the commit that replaced it is durable.
 */
export async function storeObject(
  ctx: RequestContext,
  target: NewObject,
  body: Readable,
  expect: BlobExpectation,
): Promise<ObjectRecord> {
  const written = await ctx.blobs.write(body, expect);
  const object: Omit<ObjectRecord, 'versionId'> = {
    bucket: target.bucket,
    key: target.key,
    size: written.size,
    etag: `"${written.md5Hex}"`,
    crc64: written.crc64,
    lastModified: ctx.now,
    blob: written.ref,
    headers: target.headers,
    storageClass: 'STANDARD',
    acl: target.acl,
  };
  let committed: Awaited<ReturnType<typeof commitObject>>;
  try {
    committed = await ctx.meta.tx((tx) => commitObject(tx, object));
  } catch (error) {
    await ctx.blobs.delete(written.ref);
    throw error;
  }
  if (committed.freedBlob !== undefined) await ctx.blobs.delete(committed.freedBlob);
  return committed.record;
}
