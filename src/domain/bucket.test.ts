// Bucket names: `<BucketName>-<APPID>`, lower-case letters, digits and inner hyphens, at most 63 characters in all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CosError } from '../errors/cos-error.ts';
import { checkBucketName } from './bucket.ts';

const refusedWith = (code: string) => (e: unknown): boolean => e instanceof CosError && e.code === code;

describe('checkBucketName', () => {
  it('takes the names the official suites and CI scripts use, up to 63 characters', () => {
    const names = [
      'examplebucket-1250000000',
      'cos-python-v5-test-3-11-ap-guangzhou-1250000000',
      'bucket-inventory1733580000-1250000000',
      'buckettest-maz-ofs3-1250000000',
      'clients-rclone-path-1733580000-1250000000',
      `${'a'.repeat(52)}-1250000000`,
    ];
    for (const name of names) assert.doesNotThrow(() => checkBucketName(name), name);
    assert.equal(names.at(-1)?.length, 63);
  });

  it('refuses 64 characters with BucketNameTooLong', () => {
    assert.throws(() => checkBucketName(`${'a'.repeat(53)}-1250000000`), refusedWith('BucketNameTooLong'));
  });

  it('keeps the other naming rules (InvalidBucketName)', () => {
    for (const name of ['Upper-1250000000', '-lead-1250000000', 'trail--1250000000', 'under_score-1250000000', 'dot.ted-1250000000', 'noappid', '-1250000000']) {
      assert.throws(() => checkBucketName(name), refusedWith('InvalidBucketName'), name);
    }
  });
});
