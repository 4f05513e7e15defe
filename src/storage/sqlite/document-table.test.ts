// Documents are stored once per distinct text and decoded once per id, with a bounded number kept decoded.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import Database from 'better-sqlite3';
import { ACL_CODEC, type Acl } from '../../domain/acl.ts';
import { camId } from '../../domain/identity.ts';
import { MAX_DECODED_DOCUMENTS } from '../decoded-documents.ts';
import { DocumentTable } from './document-table.ts';

function aclTable(): DocumentTable<Acl> {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE acls (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)');
  return new DocumentTable(db, { table: 'acls' }, ACL_CODEC);
}

/** A distinct ACL per n: one READ grant to account n. */
const aclFor = (n: number): Acl => ({ grants: [{ grantee: { type: 'CanonicalUser', id: camId(String(n), String(n)) }, permission: 'READ' }] });

it('stores identical documents once and hands out one decoded, frozen copy per id', () => {
  const table = aclTable();
  const id = table.intern(aclFor(1));
  assert.equal(table.intern(aclFor(1)), id);
  assert.notEqual(table.intern(aclFor(2)), id);
  assert.equal(table.intern(undefined), null);
  assert.equal(table.read(null), undefined);
  const first = table.read(id);
  assert.deepEqual(first, aclFor(1));
  assert.equal(table.read(id), first);
  assert.ok(Object.isFrozen(first));
});

it('keeps at most MAX_DECODED_DOCUMENTS decoded, dropping the oldest, and still reads every document', () => {
  const table = aclTable();
  const ids = Array.from({ length: MAX_DECODED_DOCUMENTS + 10 }, (_, n) => table.intern(aclFor(n)));
  const firstRead = ids.map((id) => table.read(id));
  // The oldest ten were dropped to make room for the last ten: reading them decodes them again.
  for (let n = 0; n < 10; n++) {
    const again = table.read(ids[n] ?? null);
    assert.notEqual(again, firstRead[n]);
    assert.deepEqual(again, aclFor(n));
  }
  // The newest are still the copies handed out before.
  const last = ids.length - 1;
  assert.equal(table.read(ids[last] ?? null), firstRead[last]);
});
