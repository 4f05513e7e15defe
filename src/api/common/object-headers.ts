// The response headers that describe an object on GET and HEAD.
import { isAppendable, type ObjectRecord } from '../../domain/object.ts';
import { LOCK_MODE } from '../../domain/object-lock.ts';
import { restoreState } from '../../domain/restore.ts';
import { storageClassName } from '../../domain/storage-class.ts';
import { withAmzMetaTwins } from '../../http/s3-headers.ts';
import { taggingCountHeader } from './object-tags.ts';
import { httpTime, isoTime } from './xml-shapes.ts';
import type { RequestContext } from '../operation.ts';

/** `response-*` query parameters override these response headers on GET (and HEAD) Object. */
const OVERRIDES = ['content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding'] as const;

/**
 * `x-cos-restore` for a version with a restore asked for: `ongoing-request="true"` while it runs, then
 * `ongoing-request="false", expiry-date="<HTTP date>"` until the restored copy expires [doc: HEAD Object].
 */
function restoreHeader(object: ObjectRecord, now: number): Record<string, string> {
  const state = restoreState(object.restore, now);
  if (state.phase === 'ongoing') return { 'x-cos-restore': 'ongoing-request="true"' };
  if (state.phase === 'restored') return { 'x-cos-restore': `ongoing-request="false", expiry-date="${httpTime(state.expiresAt)}"` };
  return {};
}

/**
 * A version's retention, as COS names it on PUT Object (x-cos-object-lock-mode and -retain-until-date,
 * ISO 8601) and S3 answers it on GET and HEAD (x-amz-object-lock-*); kept after the date has passed, as S3 does.
 */
function lockHeaders({ retainUntil }: ObjectRecord, dialect: RequestContext['dialect']): Record<string, string> {
  if (retainUntil === undefined) return {};
  const prefix = dialect === 's3' ? 'x-amz' : 'x-cos';
  return { [`${prefix}-object-lock-mode`]: LOCK_MODE, [`${prefix}-object-lock-retain-until-date`]: isoTime(retainUntil) };
}

export function objectHeaders(object: ObjectRecord, { params, dialect, now }: Pick<RequestContext, 'params' | 'dialect' | 'now'>): Record<string, string> {
  // Metadata is stored once (x-cos-meta-*) and answered in both spellings, whichever SDK wrote or reads it.
  const headers: Record<string, string> = {
    ...withAmzMetaTwins(object.headers),
    etag: object.etag,
    'last-modified': httpTime(object.lastModified),
    'accept-ranges': 'bytes',
    // The whole object's CRC, also on range replies: the SDK's downloadFile compares it across ranges.
    'x-cos-hash-crc64ecma': object.crc64,
    ...taggingCountHeader(object),
    ...restoreHeader(object, now),
    ...lockHeaders(object, dialect),
    ...(object.replication && { 'x-cos-replication-status': object.replication }),
  };
  if (isAppendable(object)) Object.assign(headers, appendHeaders(object));
  // Sent only for a class other than STANDARD [doc: HEAD Object], as S3 does with x-amz-storage-class.
  if (object.storageClass !== 'STANDARD') {
    headers['x-cos-storage-class'] = object.storageClass;
    if (dialect === 's3') headers['x-amz-storage-class'] = storageClassName(object.storageClass, dialect);
  }
  for (const name of OVERRIDES) {
    const value = params.get(`response-${name}`);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/** What GET, HEAD and Append Object itself say of an appendable object [doc: APPEND Object, HEAD Object]. */
export const appendHeaders = (object: ObjectRecord): Record<string, string> => ({
  'x-cos-object-type': 'appendable',
  'x-cos-next-append-position': String(object.size),
});
