// Writes an object: bytes first (durable, or inline in the commit), then the metadata commit, then the replaced bytes are freed.
import type { Readable } from 'node:stream';
import type { ObjectRecord } from '../../domain/object.ts';
import { cosError } from '../../errors/cos-error.ts';
import type { Acl } from '../../domain/acl.ts';
import type { TagSet } from '../../domain/tagging.ts';
import { newVersionId, versionIdForWrite } from '../../domain/versioning.ts';
import { retainUntilFor } from '../../domain/object-lock.ts';
import { initialReplication } from '../../domain/replication-rules.ts';
import { requestedStorageClass, type StorageClass } from '../../domain/storage-class.ts';
import type { BlobExpectation } from '../../storage/blobs.ts';
import { dropContent, writeContent, type Seal } from '../../storage/object-content.ts';
import type { MetadataTx } from '../../storage/metadata.ts';
import { aclFromHeaders } from './acl-io.ts';
import { refuseLockedVersion } from './locked-version.ts';
import { tagsField } from './object-tags.ts';
import type { RequestContext } from '../operation.ts';

/** What committing an object takes: a request's context, or a background job's (jobs/service-object.ts). */
export type ObjectWriter = Pick<RequestContext, 'meta' | 'blobs' | 'now' | 'dialect'>;

/** COS's single-request object limit: 5 GB [doc]. */
export const MAX_OBJECT_SIZE = 5 * 1024 ** 3;

export interface NewObject {
  bucket: string;
  key: string;
  /** Stored headers (entity headers and x-cos-meta-*). */
  headers: Record<string, string>;
  /** Undefined: `default`. */
  acl: Acl | undefined;
  storageClass: StorageClass;
  /** Absent or empty: no tags. */
  tags?: TagSet | undefined;
  /** The retention the request asked for (domain/object-lock.ts requestedRetainUntil); absent: the bucket's default. */
  retainUntil?: number | undefined;
  /** How to encrypt the bytes at rest; absent: stored as sent. */
  seal?: Seal | undefined;
}

/** The ACL an upload's headers ask for; without ACL headers an object is `default` (spec/acl.md §4). */
export function uploadAcl(ctx: RequestContext, ownerUin: string): Acl | undefined {
  const choice = aclFromHeaders(ctx.headers, 'object', ownerUin, ctx.dialect);
  return choice?.kind === 'acl' ? choice.acl : undefined;
}

/** The storage class an upload's `x-cos-storage-class` asks for (STANDARD without one). */
export const uploadStorageClass = (ctx: RequestContext): StorageClass => requestedStorageClass(ctx.headers['x-cos-storage-class']);

/**
 * The one way an object write becomes visible (PUT Object, copies, POST Object, Complete Multipart
 * Upload), so every rule about committing an object lives here: in one transaction the bucket must
 * still exist (it may have been deleted, or its versioning changed, while the bytes streamed in),
 * `alongside` does the write's other metadata changes (Complete retires its upload) and the object
 * becomes its key's current version under the bucket's versioning rules (domain/versioning.ts): a
 * fresh version while Enabled, else the null version, replacing the previous one unless object lock
 * retains it (api/common/locked-version.ts); the new version gets the retention its request asked for,
 * else the one the bucket's object lock configuration gives at that moment. A replication rule
 * selecting it queues it (PENDING) in the same commit, so no write is left unreplicated. A failed commit
 * drops the new bytes; once it is durable, the bytes nothing refers to any more (the replaced
 * version's, and those `alongside` returns) are freed.
 */
export async function commitObject(
  ctx: ObjectWriter,
  object: Omit<ObjectRecord, 'versionId'>,
  alongside?: (tx: MetadataTx) => Promise<readonly string[]>,
): Promise<ObjectRecord> {
  let committed: { record: ObjectRecord; freed: string[] };
  try {
    committed = await ctx.meta.tx(async (tx) => {
      const bucket = await tx.getBucket(object.bucket);
      if (!bucket) throw cosError('NoSuchBucket');
      const versionId = versionIdForWrite(bucket.versioning, newVersionId);
      await refuseLockedVersion(ctx, tx, bucket, object.key, versionId);
      const freed = [...((await alongside?.(tx)) ?? [])];
      const retainUntil = object.retainUntil ?? retainUntilFor(bucket.objectLock, object.lastModified);
      // A write starts its own replication: an appended or copied record does not carry its source's status.
      const { replication: _previous, ...fields } = object;
      const record: ObjectRecord = { ...fields, versionId, ...(retainUntil !== undefined && { retainUntil }), ...initialReplication(bucket, object.key, false) };
      const replaced = await tx.putObject(record);
      if (replaced !== undefined) freed.push(replaced);
      return { record, freed };
    });
  } catch (error) {
    await dropContent(ctx.blobs, object.content);
    throw error;
  }
  if (committed.freed.length > 0) ctx.blobs.collectSoon();
  return committed.record;
}

/**
 * A crash before the commit leaves at most a reserved blob (collected after the restart); after it, the
 * new object. A replaced version's blob is collected only once the commit that replaced it is durable.
 * `alongside` runs in the commit's transaction (commitObject).
 */
export async function storeObject(
  ctx: RequestContext,
  target: NewObject,
  body: Buffer | Readable,
  expect: BlobExpectation,
  alongside?: (tx: MetadataTx) => Promise<readonly string[]>,
): Promise<ObjectRecord> {
  const written = await writeContent(ctx.blobs, body, expect, target.seal);
  return commitObject(ctx, {
    bucket: target.bucket,
    key: target.key,
    size: written.size,
    etag: written.etag,
    crc64: written.crc64,
    lastModified: ctx.now,
    content: written.content,
    headers: target.headers,
    storageClass: target.storageClass,
    acl: target.acl,
    ...tagsField(target.tags),
    ...(target.retainUntil !== undefined && { retainUntil: target.retainUntil }),
    ...(written.encryption && { encryption: written.encryption }),
  }, alongside);
}
