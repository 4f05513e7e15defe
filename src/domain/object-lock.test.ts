import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRetentionChange, isLocked, objectLockedError, requestedRetainUntil, retainUntilFor } from './object-lock.ts';
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

/** The COS error code `run` throws, undefined when it returns. */
function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code: string }).code;
  }
}

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

describe('requestedRetainUntil', () => {
  const headers = (date: string, mode = 'COMPLIANCE') => ({ 'x-cos-object-lock-mode': mode, 'x-cos-object-lock-retain-until-date': date });
  it('is the header date, in any ISO 8601 zone; undefined without the headers', () => {
    assert.equal(requestedRetainUntil(headers('2030-01-02T00:00:00.000Z'), true, written), written + DAY);
    assert.equal(requestedRetainUntil(headers('2030-01-02T08:00:00+08:00'), true, written), written + DAY);
    assert.equal(requestedRetainUntil({}, false, written), undefined);
  });
  it('refuses one header alone, another mode, a date that is not ISO 8601 or not in the future, a bucket without object lock', () => {
    assert.equal(codeOf(() => requestedRetainUntil({ 'x-cos-object-lock-mode': 'COMPLIANCE' }, true, written)), 'InvalidArgument');
    assert.equal(codeOf(() => requestedRetainUntil(headers('2030-01-02T00:00:00Z', 'GOVERNANCE'), true, written)), 'InvalidArgument');
    assert.equal(codeOf(() => requestedRetainUntil(headers('2030-01-02'), true, written)), 'InvalidArgument');
    assert.equal(codeOf(() => requestedRetainUntil(headers('2030-01-01T00:00:00Z'), true, written)), 'InvalidArgument');
    assert.equal(codeOf(() => requestedRetainUntil(headers('2030-01-02T00:00:00Z'), false, written)), 'InvalidRequest');
  });
});

describe('objectLockedError', () => {
  it("is COS's 409 ObjectLocked, and S3's 403 AccessDenied for S3 callers", () => {
    assert.deepEqual([objectLockedError('cos').code, objectLockedError('cos').status], ['ObjectLocked', 409]);
    assert.deepEqual([objectLockedError('s3').code, objectLockedError('s3').status], ['AccessDenied', 403]);
  });
});
