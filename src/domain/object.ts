// Objects: what metadata we keep per object and which request headers become part of it.
import { extname } from 'node:path/posix';
import { lookup } from 'mime-types';
import { cosError } from '../errors/cos-error.ts';
import type { Acl } from './acl.ts';
import type { Encryption } from './encryption.ts';
import type { RestoreJob } from './restore.ts';
import type { TagSet } from './tagging.ts';

/** Entity headers COS stores with an object and returns on GET/HEAD (plus every x-cos-meta-*). */
export const STORED_HEADERS = [
  'content-type',
  'content-disposition',
  'content-encoding',
  'content-language',
  'cache-control',
  'expires',
] as const;

/**
 * Where an object's bytes are: a blob in the blob store, or, for small objects, the bytes themselves,
 * kept in the metadata store (storage/object-content.ts decides which).
 */
export type ObjectContent = { readonly blob: string } | { readonly inline: Buffer };

export interface ObjectRecord {
  bucket: string;
  key: string;
  /** `null` for the version written while versioning was off or suspended (domain/versioning.ts). */
  versionId: string;
  deleteMarker?: never;
  size: number;
  /** Quoted hex, as sent in the ETag header. */
  etag: string;
  /** Unsigned decimal CRC-64/ECMA-182 of the content. */
  crc64: string;
  lastModified: number;
  content: ObjectContent;
  /** Lower-cased header name -> value: STORED_HEADERS present at upload and x-cos-meta-*. */
  headers: Record<string, string>;
  storageClass: string;
  /** The object's own ACL; undefined is COS's `default`: the bucket's ACL applies. */
  acl: Acl | undefined;
  /** The multipart upload this version was completed from, if it was. */
  uploadId?: string;
  /** The version's tags (PUT Object tagging, x-cos-tagging); absent when it has none. */
  tags?: TagSet;
  /** The last restore asked for (POST Object restore) of an archived version; absent when none was. */
  restore?: RestoreJob;
  /**
   * Epoch ms until which the version may not be deleted or overwritten (object lock, COMPLIANCE mode:
   * domain/object-lock.ts); absent for a version written without a retention.
   */
  retainUntil?: number;
  /**
   * What kind of object this is; absent is a normal one. Append Object makes an appendable one (any
   * other write makes the key's object normal again [doc: APPEND Object]); PUT Object symlink a symlink.
   */
  objectType?: 'appendable' | 'symlink';
  /** The key (same bucket) a symlink points to; set exactly when objectType is `symlink`. */
  symlinkTarget?: string;
  /** How its bytes are encrypted at rest (SSE-COS, SSE-C); absent: stored as sent. */
  encryption?: Encryption;
  /** Where the version stands in bucket replication (jobs/replication.ts); absent when no rule selected it. */
  replication?: ReplicationStatus;
}

/**
 * `x-cos-replication-status`: PENDING from the write a replication rule selects until the job copied it
 * (COMPLETED) or could not (FAILED); REPLICA on the copy in the destination bucket.
 */
export type ReplicationStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'REPLICA';

export const isAppendable = (object: ObjectVersion | undefined): object is ObjectRecord =>
  object !== undefined && !object.deleteMarker && object.objectType === 'appendable';

/** A symlink version (PUT Object symlink), with the key it points to. */
export type SymlinkRecord = ObjectRecord & { objectType: 'symlink'; symlinkTarget: string };

export const isSymlink = (object: ObjectVersion | undefined): object is SymlinkRecord =>
  object !== undefined && !object.deleteMarker && object.objectType === 'symlink' && object.symlinkTarget !== undefined;

/** What a listing shows of an object (GET Bucket, ListObjectsV2): no headers or ACL to decode per row. */
export type ListedObject = Pick<ObjectRecord, 'key' | 'size' | 'etag' | 'lastModified' | 'storageClass'>;

/** A delete marker: a version with no bytes that makes its key look absent while it is the newest. */
export interface DeleteMarker {
  bucket: string;
  key: string;
  versionId: string;
  deleteMarker: true;
  lastModified: number;
  /** As ObjectRecord's: a marker is replicated when its rule says DeleteMarkerReplication Enabled. */
  replication?: ReplicationStatus;
}

/** One entry in a key's version history. */
export type ObjectVersion = ObjectRecord | DeleteMarker;

/** COS's limit on object key length in bytes [doc: 850 bytes]. */
export const MAX_KEY_BYTES = 850;

/**
 * Characters COS does not take in a key: U+0000 (no text protocol can carry it) and CAN, EM, SUB, ESC
 * (U+0018-U+001B), which COS's object naming rules list as unsupported [doc: Object Overview].
 */
const REFUSED_KEY_CHARS = /[\u0000\u0018-\u001B]/;

/**
 * The key left after POSIX path merging (`a/./b/../c` -> `/a/c`), as the COS SDKs compute it
 * (cos-nodejs-sdk-v5 util.simplifyPath, cos-python-sdk-v5 path_simplify_check).
 */
function simplifiedPath(key: string): string {
  const stack: string[] = [];
  for (const name of key.split('/')) {
    if (name === '..') stack.pop();
    else if (name !== '' && name !== '.') stack.push(name);
  }
  return `/${stack.join('/')}`;
}

/**
 * Refuses a key COS will not store. Too long is KeyTooLong. A key that path merging reduces to
 * nothing (`///`, `/./`, `../`) is one COS's front end resolves to the bucket itself: the SDKs refuse
 * it as "Key is illegal"/"Key is invalid" before sending, and a stored one could never be read back
 * through them; it and the refused characters are `400 InvalidURI` (the key is the URI's path).
 */
export function checkKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw cosError('KeyTooLong');
  if (REFUSED_KEY_CHARS.test(key)) throw cosError('InvalidURI', { detail: 'the key holds U+0000 or a character COS refuses (U+0018-U+001B)' });
  if (simplifiedPath(key) === '/') throw cosError('InvalidURI', { detail: `the key ${JSON.stringify(key)} is empty after path merging` });
}

const STORED = new Set<string>(STORED_HEADERS);

/**
 * The Content-Type COS gives an object uploaded without one: the type its key's extension names
 * (`1.zip` -> application/zip, `a.txt` -> text/plain), else application/octet-stream. Only a real
 * extension counts: mime-types would also read a bare `txt` key as one.
 */
export function contentTypeOfKey(key: string): string {
  const extension = extname(key);
  return (extension !== '' && lookup(extension)) || 'application/octet-stream';
}

/** Picks the headers to store from a request's headers for an object named `key`. */
export function storedHeadersFrom(headers: Readonly<Record<string, string | string[] | undefined>>, key: string): Record<string, string> {
  const kept: Record<string, string> = {};
  // for-in, not Object.entries(): every PUT passes here, and the pairs were garbage at once.
  for (const name in headers) {
    const value = headers[name];
    if (typeof value !== 'string') continue;
    // User metadata keeps an empty value, as S3 does (s3-tests set and read back x-amz-meta-meta1: '').
    if (name.startsWith('x-cos-meta-')) kept[name] = value;
    // The Node SDK sends empty Cache-Control / Content-Type headers; an empty header is an absent one.
    else if (STORED.has(name) && value !== '') kept[name] = value;
  }
  kept['content-type'] ??= contentTypeOfKey(key);
  return kept;
}
