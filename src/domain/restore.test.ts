// How long a restore takes per class and tier, and where it stands at a time.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CosError } from '../errors/cos-error.ts';
import { DAY, newRestoreJob, requireReadable, restoreState } from './restore.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = 1_700_000_000_000;

it('takes COS\'s longest quoted time for each class and tier', () => {
  const cases: [string, string, number][] = [
    ['ARCHIVE', 'Expedited', 5 * MINUTE],
    ['ARCHIVE', 'Standard', 5 * HOUR],
    ['ARCHIVE', 'Bulk', 12 * HOUR],
    ['DEEP_ARCHIVE', 'Standard', 24 * HOUR],
    ['DEEP_ARCHIVE', 'Bulk', 48 * HOUR],
  ];
  for (const [storageClass, tier, delay] of cases) {
    assert.equal(newRestoreJob(storageClass, 3, tier, T0).readyAt - T0, delay, `${storageClass} ${tier}`);
  }
});

it('refuses other classes (RestoreNonArchiveObject), days outside 1-365 and tiers a class lacks (InvalidArgument)', () => {
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
      return undefined;
    } catch (error) {
      return error instanceof CosError ? error.code : 'not a CosError';
    }
  };
  assert.equal(code(() => newRestoreJob('STANDARD_IA', 1, 'Standard', T0)), 'RestoreNonArchiveObject');
  for (const days of [0, 366, 1.5]) assert.equal(code(() => newRestoreJob('ARCHIVE', days, 'Standard', T0)), 'InvalidArgument', String(days));
  assert.equal(code(() => newRestoreJob('DEEP_ARCHIVE', 1, 'Expedited', T0)), 'InvalidArgument');
  assert.equal(code(() => newRestoreJob('ARCHIVE', 365, 'Bulk', T0)), undefined);
});

it('is ongoing until ready, restored for its days from then, and over after', () => {
  const job = newRestoreJob('ARCHIVE', 2, 'Expedited', T0);
  assert.deepEqual(restoreState(undefined, T0), { phase: 'none' });
  assert.deepEqual(restoreState(job, job.readyAt - 1), { phase: 'ongoing' });
  assert.deepEqual(restoreState(job, job.readyAt), { phase: 'restored', expiresAt: job.readyAt + 2 * DAY });
  assert.deepEqual(restoreState(job, job.readyAt + 2 * DAY), { phase: 'none' });
});

it('reads archived objects only while restored; other classes always', () => {
  const job = newRestoreJob('ARCHIVE', 1, 'Expedited', T0);
  assert.throws(() => requireReadable({ storageClass: 'ARCHIVE' }, T0), (e: unknown) => e instanceof CosError && e.code === 'InvalidObjectState' && e.status === 409);
  assert.throws(() => requireReadable({ storageClass: 'ARCHIVE', restore: job }, T0), (e: unknown) => e instanceof CosError && e.code === 'InvalidObjectState');
  assert.doesNotThrow(() => requireReadable({ storageClass: 'ARCHIVE', restore: job }, job.readyAt));
  assert.doesNotThrow(() => requireReadable({ storageClass: 'STANDARD_IA' }, T0));
});
