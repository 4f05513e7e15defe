// Which class an upload's header names, and the name each dialect reads back.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CosError } from '../errors/cos-error.ts';
import { requestedStorageClass, storageClassName, STORAGE_CLASSES } from './storage-class.ts';

it('reads every COS class in any case, S3 GLACIER as ARCHIVE, and no header as STANDARD', () => {
  for (const name of STORAGE_CLASSES) assert.equal(requestedStorageClass(name.toLowerCase()), name);
  assert.equal(requestedStorageClass('Standard_IA'), 'STANDARD_IA');
  assert.equal(requestedStorageClass('GLACIER'), 'ARCHIVE');
  assert.equal(requestedStorageClass(undefined), 'STANDARD');
  assert.equal(requestedStorageClass(''), 'STANDARD');
});

it('refuses what is neither a COS class nor an S3 name of one with InvalidArgument', () => {
  for (const bad of ['ONEZONE_IA', 'REDUCED_REDUNDANCY', 'GLACIER_IR', 'COLD', 'STANDARD ']) {
    assert.throws(() => requestedStorageClass(bad), (e: unknown) => e instanceof CosError && e.code === 'InvalidArgument' && e.status === 400);
  }
});

it("answers S3 callers with S3's names and COS callers with COS's", () => {
  assert.equal(storageClassName('ARCHIVE', 's3'), 'GLACIER');
  assert.equal(storageClassName('ARCHIVE', 'cos'), 'ARCHIVE');
  assert.equal(storageClassName('DEEP_ARCHIVE', 's3'), 'DEEP_ARCHIVE');
  assert.equal(storageClassName('MAZ_STANDARD', 's3'), 'MAZ_STANDARD');
});
