// The "did you mean" hints: nearest names by edit distance, case ignored.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { didYouMean, nearestNames } from './nearest.ts';

it('finds the names within a third of the input length, closest first, at most three', () => {
  const names = ['GetObject', 'PutObject', 'HeadObject', 'GetObjectACL', 'DeleteBucket', 'GetBucket'];
  assert.deepEqual(nearestNames('GetObjekt', names), ['GetObject', 'PutObject']);
  assert.deepEqual(nearestNames('DeleteBuckt', names), ['DeleteBucket']);
  assert.deepEqual(nearestNames('getobject', names), ['GetObject'], 'a name differing in case only is the answer');
  assert.deepEqual(nearestNames('prot', ['port', 'host', 'data-dir']), ['port']);
  assert.deepEqual(nearestNames('Xyzzy', names), []);
});

it('words the hint, or says nothing when no name is near', () => {
  assert.equal(didYouMean('prot', ['port', 'host']), ' (did you mean port?)');
  assert.equal(didYouMean('GetObjekt', ['GetObject', 'PutObject'], (n) => `name/cos:${n}`), ' (did you mean name/cos:GetObject or name/cos:PutObject?)');
  assert.equal(didYouMean('Xyzzy', ['GetObject']), '');
});
