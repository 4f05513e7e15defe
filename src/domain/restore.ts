// Archive restore (POST Object restore): how long a restore takes per class and tier, and what a version's restore state is at a time.
import { cosError } from '../errors/cos-error.ts';

/** A restore asked for: when, how fast, and for how long the restored copy stays readable. */
export interface RestoreJob {
  /** Epoch ms of the request, on the server's clock. */
  readonly requestedAt: number;
  /** Epoch ms at which the restored copy becomes readable. */
  readonly readyAt: number;
  readonly days: number;
  readonly tier: RestoreTier;
}

export type RestoreTier = 'Expedited' | 'Standard' | 'Bulk';
const TIERS: readonly RestoreTier[] = ['Expedited', 'Standard', 'Bulk'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * The longest time COS quotes per class and tier [doc: Restoring Archived Objects,
 * https://cloud.tencent.com/document/product/436/12633: ARCHIVE Expedited 1-5 min, Standard 3-5 h,
 * Bulk 5-12 h; DEEP_ARCHIVE Standard within 24 h, Bulk within 48 h, no Expedited].
 */
const DELAYS: Readonly<Record<'ARCHIVE' | 'DEEP_ARCHIVE', Partial<Record<RestoreTier, number>>>> = {
  ARCHIVE: { Expedited: 5 * MINUTE, Standard: 5 * HOUR, Bulk: 12 * HOUR },
  DEEP_ARCHIVE: { Standard: 24 * HOUR, Bulk: 48 * HOUR },
};

/** The classes whose objects are read only once restored. */
export const isArchived = (storageClass: string): storageClass is 'ARCHIVE' | 'DEEP_ARCHIVE' =>
  storageClass === 'ARCHIVE' || storageClass === 'DEEP_ARCHIVE';

/** COS restores for 1 to 365 days [doc: POST Object restore, Days]. */
const MAX_DAYS = 365;

/** A new job for an object of that class: RestoreNonArchiveObject for a class that is read directly, InvalidArgument for days or a tier COS refuses. */
export function newRestoreJob(storageClass: string, days: number, tier: string, now: number): RestoreJob {
  if (!isArchived(storageClass)) throw cosError('RestoreNonArchiveObject');
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw cosError('InvalidArgument', { message: `Days must be an integer from 1 to ${MAX_DAYS}` });
  const known = TIERS.find((t) => t === tier);
  const delay = known && DELAYS[storageClass][known];
  if (known === undefined || delay === undefined) throw cosError('InvalidArgument', { message: `Tier ${tier} is not available for ${storageClass}` });
  return { requestedAt: now, readyAt: now + delay, days, tier: known };
}

/** Where a restore stands at `now`: in progress, done until `expiresAt`, or expired (the copy is gone again). */
export type RestoreState = { phase: 'ongoing' } | { phase: 'restored'; expiresAt: number } | { phase: 'none' };

export function restoreState(job: RestoreJob | undefined, now: number): RestoreState {
  if (!job) return { phase: 'none' };
  if (now < job.readyAt) return { phase: 'ongoing' };
  const expiresAt = job.readyAt + job.days * DAY;
  return now < expiresAt ? { phase: 'restored', expiresAt } : { phase: 'none' };
}

/** InvalidObjectState for the bytes of an archived version without a restored copy at `now` (GET Object, copy sources). */
export function requireReadable(object: { storageClass: string; restore?: RestoreJob }, now: number): void {
  if (isArchived(object.storageClass) && restoreState(object.restore, now).phase !== 'restored') {
    throw cosError('InvalidObjectState', { message: 'The object is archived; restore it (POST Object restore) before reading it.' });
  }
}
