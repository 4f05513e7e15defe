// Object lock (WORM): the retain-until date a version gets (its bucket's default, or one a request asks for),
// and whether a version may be deleted or overwritten at a time. Pure: the caller passes the clock's `now`.
import type { ApiDialect } from './api-dialect.ts';
import { childOf, textOfChild, type ConfigTree } from './config-schema.ts';
import type { ObjectVersion } from './object.ts';
import { cosError, type CosError } from '../errors/cos-error.ts';

const DAY = 24 * 60 * 60 * 1000;

/** The one retention mode COS has [doc: PUT Bucket ObjectLockConfiguration, Mode "only COMPLIANCE"]. */
export const LOCK_MODE = 'COMPLIANCE';

/**
 * When a version written at `lastModified` stops being locked: `lastModified` + the configuration's
 * DefaultRetention Days; undefined (not locked) for a bucket without the configuration or without a Rule.
 * A rule changed later leaves versions already written as they were [doc: PUT Bucket ObjectLockConfiguration,
 * "modifying the default retention period only affects objects added afterwards"].
 */
export function retainUntilFor(config: ConfigTree | undefined, lastModified: number): number | undefined {
  const days = textOfChild(childOf(childOf(config ?? {}, 'Rule') ?? {}, 'DefaultRetention') ?? {}, 'Days');
  return days === undefined ? undefined : lastModified + Number(days) * DAY;
}

/** Whether the version is under retention at `now` (a delete marker never is). */
export const isLocked = (version: ObjectVersion | undefined, now: number): boolean =>
  version !== undefined && !version.deleteMarker && version.retainUntil !== undefined && now < version.retainUntil;

/** An ISO 8601 time with seconds and a zone, as COS's example (`2022-12-10T08:34:48.000Z`) and the AWS SDKs send it. */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A retain-until date as sent (epoch ms); InvalidArgument for anything but an ISO_TIME. */
export function parseRetainUntil(text: string): number {
  const time = ISO_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(time)) throw cosError('InvalidArgument', { message: 'The retain until date is not a valid ISO 8601 time.' });
  return time;
}

/**
 * The retain-until an upload asks for with x-cos-object-lock-mode and x-cos-object-lock-retain-until-date
 * [doc: PUT Bucket ObjectLockConfiguration, "to add a lock while uploading, see PUT Object"] (S3's
 * x-amz-object-lock-* arrive as these); undefined without them, when the bucket's default applies.
 * Both or neither (InvalidArgument); the bucket must have object lock (InvalidRequest, S3's answer).
 */
export function requestedRetainUntil(headers: Readonly<Record<string, string | undefined>>, lockEnabled: boolean, now: number): number | undefined {
  const mode = headers['x-cos-object-lock-mode'];
  const date = headers['x-cos-object-lock-retain-until-date'];
  if (mode === undefined && date === undefined) return undefined;
  if (mode === undefined || date === undefined) {
    throw cosError('InvalidArgument', { message: 'x-cos-object-lock-mode and x-cos-object-lock-retain-until-date must both be supplied.' });
  }
  if (mode !== LOCK_MODE) throw cosError('InvalidArgument', { message: `The object lock mode must be ${LOCK_MODE}.` });
  if (!lockEnabled) throw cosError('InvalidRequest', { message: 'Bucket is missing Object Lock Configuration' });
  const until = parseRetainUntil(date);
  requireFuture(until, now);
  return until;
}

function requireFuture(until: number, now: number): void {
  if (until <= now) throw cosError('InvalidArgument', { message: 'The retain until date must be in the future.' });
}

/**
 * Checks the date a PUT Object Retention asks for a version that has `current` (its retain-until, if any):
 * it must be in the future (InvalidArgument), and a retention still running can only be extended: "once
 * an object is locked, unlocking or shortening the retention period is not supported" [doc: Object Lock
 * Overview]; COS's 409 InvalidLockedTime [doc: Error Codes], S3's AccessDenied for S3 callers.
 */
export function checkRetentionChange(current: number | undefined, requested: number, now: number, dialect: ApiDialect): void {
  requireFuture(requested, now);
  if (current !== undefined && now < current && requested < current) {
    throw dialect === 's3' ? objectLockedError(dialect) : cosError('InvalidLockedTime');
  }
}

/**
 * The refusal of a delete or overwrite of a locked version: COS's `409 ObjectLocked` [doc: Error Codes];
 * an S3 caller gets what S3 answers for a version its object lock protects (403 AccessDenied).
 */
export function objectLockedError(dialect: ApiDialect): CosError {
  return dialect === 's3'
    ? cosError('AccessDenied', { message: 'Access Denied because object protected by object lock.' })
    : cosError('ObjectLocked');
}
