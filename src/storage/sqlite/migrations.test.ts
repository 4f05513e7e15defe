// Upgrading a database written at schema version 3 (ACLs inline) keeps every bucket and object ACL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import Database from 'better-sqlite3';
import { SyncBatcher } from '../fs/sync-batcher.ts';
import { MIGRATIONS } from './migrations.ts';
import { SqliteMetadata } from './sqlite-metadata.ts';

const dir = mkdtempSync(join(tmpdir(), 'coslocal-migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('moves inline ACLs (v3) into the acls table (v4)', async () => {
  const path = join(dir, 'meta.db');
  const db = new Database(path);
  for (const sql of MIGRATIONS.slice(0, 3)) db.exec(sql);
  db.pragma('user_version = 3');
  const privateAcl = '{"grants":[],"canned":"private"}';
  const publicAcl = '{"grants":[{"grantee":{"type":"Group","uri":"http://cam.qcloud.com/groups/global/AllUsers"},"permission":"READ"}],"canned":"public-read"}';
  db.exec(`INSERT INTO accounts VALUES ('100000000001', '1250000000', 'a')`);
  db.prepare(`INSERT INTO buckets (name, owner_uin, region, created_at, acl) VALUES ('b-1250000000', '100000000001', 'ap-guangzhou', 0, ?)`).run(privateAcl);
  const insertObject = db.prepare(
    `INSERT INTO objects (bucket, key, size, etag, crc64, last_modified, blob, headers, storage_class, acl) VALUES ('b-1250000000', ?, 1, '"e"', '0', 0, ?, '{}', 'STANDARD', ?)`,
  );
  insertObject.run('public', '0/a', publicAcl);
  insertObject.run('public-too', '0/b', publicAcl);
  insertObject.run('default', '0/c', null);
  db.close();

  const meta = new SqliteMetadata(path, new SyncBatcher());
  assert.deepEqual((await meta.getBucket('b-1250000000'))?.acl, JSON.parse(privateAcl));
  assert.deepEqual((await meta.getObject('b-1250000000', 'public'))?.acl, JSON.parse(publicAcl));
  assert.deepEqual((await meta.getObject('b-1250000000', 'public-too'))?.acl, JSON.parse(publicAcl));
  assert.equal((await meta.getObject('b-1250000000', 'default'))?.acl, undefined);
  await meta.close();
  const check = new Database(path);
  assert.equal((check.prepare('SELECT count(*) AS n FROM acls').get() as { n: number }).n, 2, 'identical ACLs stored once');
  check.close();
});
