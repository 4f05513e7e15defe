// The versioning rules as a table: what each state does to a write and to a delete.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NULL_VERSION, isWellFormedVersionId, newVersionId, parseVersioningStatus, planDelete, versionIdForWrite, type VersioningStatus } from './versioning.ts';

const fresh = (): string => 'FRESH';
const states: (VersioningStatus | undefined)[] = [undefined, 'Enabled', 'Suspended'];

describe('versioning rules', () => {
  it('a write gets a fresh id only while Enabled; otherwise it is (and replaces) the null version', () => {
    assert.deepEqual(
      states.map((s) => versionIdForWrite(s, fresh)),
      [NULL_VERSION, 'FRESH', NULL_VERSION],
    );
  });

  it('DELETE without versionId: remove the null object, stack a marker, or put a null marker', () => {
    assert.deepEqual(
      states.map((s) => planDelete(s, undefined, fresh)),
      [
        { kind: 'remove', versionId: NULL_VERSION },
        { kind: 'marker', versionId: 'FRESH' },
        { kind: 'marker', versionId: NULL_VERSION },
      ],
    );
  });

  it('DELETE with a versionId removes exactly that version in every state', () => {
    for (const s of states) {
      assert.deepEqual(planDelete(s, 'abc', fresh), { kind: 'remove', versionId: 'abc' });
      assert.deepEqual(planDelete(s, NULL_VERSION, fresh), { kind: 'remove', versionId: NULL_VERSION });
    }
  });

  it('versioning status: only Enabled and Suspended', () => {
    assert.equal(parseVersioningStatus('Enabled'), 'Enabled');
    assert.equal(parseVersioningStatus('Suspended'), 'Suspended');
    for (const bad of [undefined, '', 'enabled', 'Disabled', 'Off']) assert.equal(parseVersioningStatus(bad), undefined);
  });

  it('minted ids are well formed, distinct and never "null"', () => {
    const ids = new Set(Array.from({ length: 1000 }, newVersionId));
    assert.equal(ids.size, 1000);
    for (const id of ids) assert.ok(isWellFormedVersionId(id) && id !== NULL_VERSION);
    for (const bad of ['a b', 'x/y', '%00', 'a'.repeat(129)]) assert.equal(isWellFormedVersionId(bad), false);
  });
});
