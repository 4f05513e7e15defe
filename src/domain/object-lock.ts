// Object lock (WORM): the retain-until date a bucket's object lock configuration gives a new version, and
// whether a version may be deleted or overwritten at a time. Pure: the caller passes the clock's `now`.
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

/**
 * Checks the date a PUT Object Retention asks for a version that has `current` (its retain-until, if any):
 * it must be in the future (InvalidArgument), and a retention still running can only be extended: "once
 * an object is locked, unlocking or shortening the retention period is not supported" [doc: Object Lock
 * Overview]; COS's 409 InvalidLockedTime [doc: Error Codes], S3's AccessDenied for S3 callers.
 */
export function checkRetentionChange(current: number | undefined, requested: number, now: number, dialect: ApiDialect): void {
  if (requested <= now) throw cosError('InvalidArgument', { message: 'The retain until date must be in the future.' });
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
