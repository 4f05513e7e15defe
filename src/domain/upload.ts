// Multipart uploads: an upload in progress, its parts, and the COS rules for turning parts into an object.
import { createHash, randomBytes } from 'node:crypto';
import type { Acl } from './acl.ts';
import type { Encryption, SseScheme } from './encryption.ts';
import type { TagSet } from './tagging.ts';

export interface Upload {
  bucket: string;
  key: string;
  uploadId: string;
  /** Epoch milliseconds. */
  initiated: number;
  /** CAM id of the caller who initiated it (`qcs::cam::uin/<owner>:uin/<uin>`, or the anonymous id). */
  initiator: string;
  /** What the completed object will carry, fixed at initiation: stored headers, storage class, ACL. */
  headers: Record<string, string>;
  storageClass: string;
  /** Undefined: the object will be `default`. */
  acl: Acl | undefined;
  /** x-cos-tagging at initiation: the completed object's tags; absent when none were given. */
  tags?: TagSet;
  /** The encryption asked for at initiation: every part is encrypted so as it arrives; absent: none. */
  encryption?: SseScheme;
}

export interface Part {
  uploadId: string;
  partNumber: number;
  size: number;
  /** Quoted hex MD5 of the part. */
  etag: string;
  crc64: string;
  lastModified: number;
  blob: string;
  /** The upload's scheme and the part's one cipher segment; absent when the upload is not encrypted. */
  encryption?: Encryption;
}

/** Part numbers COS accepts [doc: 1-10000]. */
export const MIN_PART_NUMBER = 1;
export const MAX_PART_NUMBER = 10_000;
/** Every part but the last must be at least 1 MB [doc, Complete Multipart Upload: EntityTooSmall]. */
export const MIN_PART_SIZE = 1024 * 1024;

/**
 * COS upload ids are a decimal Unix time followed by hex (e.g. `1585130821cbb7df1d11846c...`), so
 * ids of one key sort by initiation time, the order ListMultipartUploads uses within a key.
 */
export function newUploadId(now: number): string {
  return `${Math.floor(now / 1000)}${randomBytes(24).toString('hex')}`;
}

/** The ETag of a completed upload: MD5 over the parts' binary MD5s, then `-<part count>` (S3 and COS). */
export function multipartEtag(partEtags: readonly string[]): string {
  const md5 = createHash('md5');
  for (const etag of partEtags) md5.update(Buffer.from(etag.replace(/"/g, ''), 'hex'));
  return `"${md5.digest('hex')}-${partEtags.length}"`;
}
