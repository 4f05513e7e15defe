// Writes an object: bytes first (durable), then the metadata commit, then the replaced bytes are freed.
import type { Readable } from 'node:stream';
import { MAX_KEY_BYTES, type ObjectRecord } from '../../domain/object.ts';
import { cosError } from '../../errors/cos-error.ts';
import type { Acl } from '../../domain/acl.ts';
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
 * A crash before the commit leaves only an unreferenced file (swept at start); after it, the new
 * object. The old object's file is removed only once the commit that replaced it is durable.
 */
export async function storeObject(
  ctx: RequestContext,
  target: NewObject,
  body: Readable,
  expect: BlobExpectation,
): Promise<ObjectRecord> {
  const written = await ctx.blobs.write(body, expect);
  const record: ObjectRecord = {
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
  try {
    await commitObject(ctx, record);
  } catch (error) {
    await ctx.blobs.delete(written.ref);
    throw error;
  }
  return record;
}

/**
 * The one way an object write becomes visible (PUT Object, copies, Complete Multipart Upload), so
 * every rule about committing an object lives here. `alongside` runs inside the same transaction
 * first (Complete retires its upload there), so the write and its side effects are one atomic step.
 * The replaced object's bytes are freed once the commit is durable.
 */
export async function commitObject(
  ctx: RequestContext,
  record: ObjectRecord,
  alongside?: (tx: MetadataTx) => Promise<void>,
): Promise<void> {
  const replaced = await ctx.meta.tx(async (tx) => {
    // The bucket may have been deleted while the bytes streamed in.
    if (!(await tx.getBucket(record.bucket))) throw cosError('NoSuchBucket');
    await alongside?.(tx);
    return tx.putObject(record);
  });
  if (replaced !== undefined) await ctx.blobs.delete(replaced);
}
