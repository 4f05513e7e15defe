// Rows of the SQL engines (sqlite/, postgres/: the same tables) and what they become: the engine-neutral
// half of reading and writing them.
import type { Acl } from '../../domain/acl.ts';
import type { BucketRecord } from '../../domain/bucket.ts';
import type { Encryption, SseScheme } from '../../domain/encryption.ts';
import type { Credential } from '../../domain/identity.ts';
import type { ListedObject, ObjectRecord, ObjectVersion, ReplicationStatus } from '../../domain/object.ts';
import type { RestoreJob } from '../../domain/restore.ts';
import type { TagSet } from '../../domain/tagging.ts';
import type { Part, Upload } from '../../domain/upload.ts';
import type { ListedVersion } from '../metadata.ts';

/** A versions row as stored. */
export interface StoredVersionRow {
  bucket: string;
  key: string;
  seq: number;
  version_id: string;
  is_latest: number;
  delete_marker: number;
  size: number;
  etag: string;
  crc64: string;
  last_modified: number;
  blob: string | null;
  inline_id: number | null;
  headers: string;
  storage_class: string;
  acl_id: number | null;
  upload_id: string | null;
  /** JSON TagSet; NULL for none. */
  tags: string | null;
  /** JSON RestoreJob; NULL for none. */
  restore: string | null;
  /** Object lock's retain-until, epoch ms; NULL for none. */
  retain_until: number | null;
  object_type: 'normal' | 'appendable' | 'symlink';
  symlink_target: string | null;
  /** JSON Encryption; NULL for bytes stored as sent. */
  encryption: string | null;
  replication: ReplicationStatus | null;
}

/** A versions row as read for an object: with its inline bytes, if any. */
export interface VersionRow extends StoredVersionRow {
  inline_bytes: Buffer | null;
}

/** Every versions column and the inline bytes (the versions table is `v`, inline_contents `c`). */
export const VERSION_WITH_BYTES = 'v.*, c.bytes AS inline_bytes FROM versions v LEFT JOIN inline_contents c ON c.id = v.inline_id';

/**
 * A listing reads only these columns, as arrays (better-sqlite3's `.raw()`, pg's `rowMode: 'array'`): a
 * driver-built row object costs (better-sqlite3: V8's slow path, ~30% of a 1000-row page's query time);
 * one object literal per row in JS is cheap.
 */
export const LISTED = 'key, size, etag, last_modified, storage_class';
export type ListedRow = [key: string, size: number, etag: string, lastModified: number, storageClass: string];
export const toListed = ([key, size, etag, lastModified, storageClass]: ListedRow): ListedObject => ({ key, size, etag, lastModified, storageClass });

export const toObject = (row: VersionRow, acl: Acl | undefined): ObjectRecord => ({
  bucket: row.bucket,
  key: row.key,
  versionId: row.version_id,
  size: row.size,
  etag: row.etag,
  crc64: row.crc64,
  lastModified: row.last_modified,
  content: row.inline_id !== null ? { inline: row.inline_bytes ?? Buffer.alloc(0) } : { blob: row.blob ?? '' },
  headers: JSON.parse(row.headers) as Record<string, string>,
  storageClass: row.storage_class,
  acl,
  ...(row.upload_id !== null && { uploadId: row.upload_id }),
  ...(row.tags !== null && { tags: JSON.parse(row.tags) as TagSet }),
  ...(row.restore !== null && { restore: JSON.parse(row.restore) as RestoreJob }),
  ...(row.retain_until !== null && { retainUntil: row.retain_until }),
  ...(row.object_type !== 'normal' && { objectType: row.object_type }),
  ...(row.symlink_target !== null && { symlinkTarget: row.symlink_target }),
  ...(row.encryption !== null && { encryption: JSON.parse(row.encryption) as Encryption }),
  ...replicationField(row),
});

/** A JSON column, NULL for an absent value. */
export const jsonColumn = (value: object | undefined): string | null => (value ? JSON.stringify(value) : null);

export const replicationField = (row: StoredVersionRow): { replication?: ReplicationStatus } => (row.replication === null ? {} : { replication: row.replication });

/** An empty tag set is stored as none. */
export const tagsColumn = (tags: TagSet | undefined): string | null => (tags && tags.length > 0 ? JSON.stringify(tags) : null);

export const toVersion = (row: VersionRow, acl: Acl | undefined): ObjectVersion =>
  row.delete_marker
    ? { bucket: row.bucket, key: row.key, versionId: row.version_id, deleteMarker: true, lastModified: row.last_modified, ...replicationField(row) }
    : toObject(row, acl);

/** A versions listing reads only these columns, as arrays like LISTED: no bytes, headers or ACL per row. */
export const LISTED_VERSION = 'key, version_id, is_latest, delete_marker, size, etag, last_modified, storage_class';
export type ListedVersionRow = [key: string, versionId: string, isLatest: number, deleteMarker: number, size: number, etag: string, lastModified: number, storageClass: string];

export const toListedVersion = ([key, versionId, isLatest, deleteMarker, size, etag, lastModified, storageClass]: ListedVersionRow): ListedVersion =>
  deleteMarker
    ? { key, versionId, lastModified, isLatest: isLatest === 1, deleteMarker: true }
    : { key, versionId, lastModified, isLatest: isLatest === 1, size, etag, storageClass };

export interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  initiated: number;
  initiator: string;
  headers: string;
  storage_class: string;
  acl_id: number | null;
  tags: string | null;
  encryption: string | null;
}

export const toUpload = (row: UploadRow, acl: Acl | undefined): Upload => ({
  bucket: row.bucket,
  key: row.key,
  uploadId: row.upload_id,
  initiated: row.initiated,
  initiator: row.initiator,
  headers: JSON.parse(row.headers) as Record<string, string>,
  storageClass: row.storage_class,
  acl,
  ...(row.tags !== null && { tags: JSON.parse(row.tags) as TagSet }),
  ...(row.encryption !== null && { encryption: JSON.parse(row.encryption) as SseScheme }),
});

export interface PartRow {
  upload_id: string;
  part_number: number;
  size: number;
  etag: string;
  crc64: string;
  last_modified: number;
  blob: string;
  encryption: string | null;
}

export const toPart = (row: PartRow): Part => ({
  uploadId: row.upload_id,
  partNumber: row.part_number,
  size: row.size,
  etag: row.etag,
  crc64: row.crc64,
  lastModified: row.last_modified,
  blob: row.blob,
  ...(row.encryption !== null && { encryption: JSON.parse(row.encryption) as Encryption }),
});

export interface BucketRow {
  name: string;
  owner_uin: string;
  region: string;
  created_at: number;
}
/**
 * What clearAll empties, referring rows before the rows they refer to (foreign keys are on). Interned ACL
 * and setting documents stay: they are shared by content and cost nothing unreferenced.
 */
export const CLEARED_TABLES = [
  'parts',
  'uploads',
  'versions',
  'inline_contents',
  'access_logs',
  'bucket_configs',
  'buckets',
  'user_policies',
  'credentials',
  'sub_accounts',
  'accounts',
] as const;

export const toBucketRecord = (r: BucketRow): BucketRecord => ({ name: r.name, ownerUin: r.owner_uin, region: r.region, createdAt: r.created_at });

export interface CredentialRow {
  secret_id: string;
  secret_key: string;
  owner_uin: string;
  uin: string;
  token: string | null;
  expires_at: number | null;
  session_policy: string | null;
}
export const toCredential = (row: CredentialRow): Credential => ({
  secretId: row.secret_id,
  secretKey: row.secret_key,
  ownerUin: row.owner_uin,
  uin: row.uin,
  ...(row.token !== null && {
    temporary: { token: row.token, expiresAt: row.expires_at ?? 0, ...(row.session_policy !== null && { policy: row.session_policy }) },
  }),
});

/** The smallest string greater than every string starting with prefix, when one is easy to form. */
export function prefixEnd(prefix: string): string | undefined {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (prefix === '' || last >= 0xd800) return undefined;
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

