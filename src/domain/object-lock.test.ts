import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRetentionChange, isLocked, objectLockedError, retainUntilFor } from './object-lock.ts';
import type { ObjectRecord } from './object.ts';

const DAY = 86_400_000;
const written = Date.UTC(2030, 0, 1);
const enabled = { ObjectLockEnabled: 'Enabled' };
const withDays = (days: string) => ({ ...enabled, Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: days } } });
const version = (retainUntil?: number): ObjectRecord => ({
  bucket: 'b',
  key: 'k',
  versionId: 'null',
  size: 0,
  etag: '""',
  crc64: '0',
  lastModified: written,
  content: { inline: Buffer.alloc(0) },
  headers: {},
  storageClass: 'STANDARD',
  acl: undefined,
  ...(retainUntil !== undefined && { retainUntil }),
});

describe('retainUntilFor', () => {
  it('is the write time plus DefaultRetention Days; none without a configuration or a rule', () => {
    assert.equal(retainUntilFor(withDays('30'), written), written + 30 * DAY);
    assert.equal(retainUntilFor(withDays('36500'), written), written + 36500 * DAY);
    assert.equal(retainUntilFor(enabled, written), undefined);
    assert.equal(retainUntilFor(undefined, written), undefined);
  });
});

describe('isLocked', () => {
  const until = written + DAY;
  it('until the retain-until instant, not from it on', () => {
    assert.equal(isLocked(version(until), until - 1), true);
    assert.equal(isLocked(version(until), until), false);
  });
  it('never for a version without retention, a delete marker or no version', () => {
    assert.equal(isLocked(version(), written), false);
    assert.equal(isLocked({ bucket: 'b', key: 'k', versionId: 'm', deleteMarker: true, lastModified: written }, written), false);
    assert.equal(isLocked(undefined, written), false);
  });
});

describe('checkRetentionChange', () => {
  const now = written;
  const codeOf = (run: () => void): string | undefined => {
    try {
      run();
      return undefined;
    } catch (error) {
      return (error as { code: string }).code;
    }
  };
  it('takes a future date for a version without retention, or one no earlier than a running retention', () => {
    assert.equal(codeOf(() => checkRetentionChange(undefined, now + 1, now, 'cos')), undefined);
    assert.equal(codeOf(() => checkRetentionChange(now + DAY, now + DAY, now, 'cos')), undefined);
    assert.equal(codeOf(() => checkRetentionChange(now - DAY, now + 1, now, 'cos')), undefined, 'an ended retention may be set anew');
  });
  it('refuses a date not in the future, and shortening a running retention', () => {
    assert.equal(codeOf(() => checkRetentionChange(undefined, now, now, 'cos')), 'InvalidArgument');
    assert.equal(codeOf(() => checkRetentionChange(now + DAY, now + DAY - 1, now, 'cos')), 'InvalidLockedTime');
    assert.equal(codeOf(() => checkRetentionChange(now + DAY, now + DAY - 1, now, 's3')), 'AccessDenied');
  });
});

describe('objectLockedError', () => {
  it("is COS's 409 ObjectLocked, and S3's 403 AccessDenied for S3 callers", () => {
    assert.deepEqual([objectLockedError('cos').code, objectLockedError('cos').status], ['ObjectLocked', 409]);
    assert.deepEqual([objectLockedError('s3').code, objectLockedError('s3').status], ['AccessDenied', 403]);
  });
});
