// Upgrades keep data: v3 inline ACLs move to the acls table (v4); v4 objects become current null versions (v7);
// a v7 database (versions, no objects table) gains multipart uploads and parts (v8); small objects' bytes
// go inline (v9); bucket policies move to their own table (v10); versions name the upload they came from (v12);
// bucket settings become documents by kind (v14).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import Database from 'better-sqlite3';
import { SyncBatcher } from '../fs/sync-batcher.ts';
import type { ObjectRecord } from '../../domain/object.ts';
import { MIGRATIONS } from './migrations.ts';
import { SqliteMetadata } from './sqlite-metadata.ts';

const dir = mkdtempSync(join(tmpdir(), 'coslocal-migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A database file at schema `version`, holding the one account the tests' buckets belong to. */
function databaseAt(version: number): { path: string; db: Database.Database } {
  const path = join(dir, `meta-v${version}.db`);
  const db = new Database(path);
  for (const sql of MIGRATIONS.slice(0, version)) db.exec(sql);
  db.pragma(`user_version = ${version}`);
  db.exec(`INSERT INTO accounts VALUES ('100000000001', '1250000000', 'a')`);
  return { path, db };
}

/**
 * A database at schema `version` (8 to 11: the versions columns these use) holding key k of bucket
 * b-1250000000 in blob 0/k, opened (so migrated), and that version as read back.
 */
async function openWithBlobVersion(version: number): Promise<{ path: string; meta: SqliteMetadata; old: ObjectRecord }> {
  const { path, db } = databaseAt(version);
  db.exec(`INSERT INTO buckets (name, owner_uin, region, created_at) VALUES ('b-1250000000', '100000000001', 'ap-guangzhou', 0)`);
  db.exec(
    `INSERT INTO versions (bucket, key, seq, version_id, is_latest, delete_marker, size, etag, crc64, last_modified, blob, headers, storage_class, acl_id)
     VALUES ('b-1250000000', 'k', 1, 'null', 1, 0, 3, '"e"', '7', 5, '0/k', '{}', 'STANDARD', NULL)`,
  );
  db.close();
  const meta = new SqliteMetadata(path, new SyncBatcher());
  const old = await meta.getObject('b-1250000000', 'k');
  assert.ok(old);
  return { path, meta, old };
}

it('moves inline ACLs (v3) into the acls table (v4)', async () => {
  const { path, db } = databaseAt(3);
  const privateAcl = '{"grants":[],"canned":"private"}';
  const publicAcl = '{"grants":[{"grantee":{"type":"Group","uri":"http://cam.qcloud.com/groups/global/AllUsers"},"permission":"READ"}],"canned":"public-read"}';
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

it('turns v4 objects into current null versions (v7), ACLs and blobs kept', async () => {
  const { path, db } = databaseAt(4);
  const publicAcl = '{"grants":[],"canned":"public-read"}';
  db.exec(`INSERT INTO buckets (name, owner_uin, region, created_at) VALUES ('b-1250000000', '100000000001', 'ap-guangzhou', 0)`);
  db.prepare('INSERT INTO acls (body) VALUES (?)').run(publicAcl);
  const insertObject = db.prepare(
    `INSERT INTO objects (bucket, key, size, etag, crc64, last_modified, blob, headers, storage_class, acl_id) VALUES ('b-1250000000', ?, ?, '"e"', '7', 5, ?, '{"content-type":"text/plain"}', 'STANDARD', ?)`,
  );
  insertObject.run('a', 3, '0/a', 1);
  insertObject.run('b', 4, '0/b', null);
  db.close();

  const meta = new SqliteMetadata(path, new SyncBatcher());
  assert.equal((await meta.getBucket('b-1250000000'))?.versioning, undefined, 'never versioned');
  const a = await meta.getObject('b-1250000000', 'a');
  assert.ok(a);
  assert.deepEqual(
    { versionId: a.versionId, size: a.size, content: a.content, headers: a.headers, acl: a.acl },
    { versionId: 'null', size: 3, content: { blob: '0/a' }, headers: { 'content-type': 'text/plain' }, acl: JSON.parse(publicAcl) },
  );
  assert.equal((await meta.getVersion('b-1250000000', 'b', 'null'))?.versionId, 'null');
  const listed = await meta.listVersions({ bucket: 'b-1250000000', prefix: '', after: { key: '' }, limit: 10 });
  assert.deepEqual(listed.map((v) => [v.key, v.versionId, v.isLatest]), [['a', 'null', true], ['b', 'null', true]]);
  assert.equal(await meta.blobInUse('0/b'), true);

  // A later null write replaces the migrated null version and frees its blob; a versioned write stacks on top.
  const freed = await meta.tx(async (tx) => {
    await tx.reserveBlob('1/a', 'test', Date.now() + 60_000);
    return tx.putObject({ ...a, content: { blob: '1/a' }, lastModified: 6 });
  });
  assert.equal(freed, '0/a');
  await meta.tx(async (tx) => {
    await tx.reserveBlob('2/a', 'test', Date.now() + 60_000);
    await tx.putObject({ ...a, versionId: 'v2', content: { blob: '2/a' }, lastModified: 7 });
  });
  const history = await meta.listVersions({ bucket: 'b-1250000000', prefix: 'a', after: { key: '' }, limit: 10 });
  assert.deepEqual(history.map((v) => [v.versionId, v.isLatest]), [['v2', true], ['null', false]]);
  const removed = await meta.tx((tx) => tx.deleteVersion('b-1250000000', 'a', 'v2'));
  assert.equal(removed?.freedBlob, '2/a');
  assert.deepEqual((await meta.getObject('b-1250000000', 'a'))?.content, { blob: '1/a' }, 'the null version is current again');
  await meta.close();
});

it('adds uploads and parts (v8) to a v7 database; blobs in use are those of versions and parts', async () => {
  const { path, db } = databaseAt(7);
  db.exec(`INSERT INTO buckets (name, owner_uin, region, created_at, versioning) VALUES ('b-1250000000', '100000000001', 'ap-guangzhou', 0, 'Enabled')`);
  db.exec(
    `INSERT INTO versions (bucket, key, seq, version_id, is_latest, delete_marker, size, etag, crc64, last_modified, blob, headers, storage_class, acl_id)
     VALUES ('b-1250000000', 'k', 1, 'v1', 1, 0, 3, '"e"', '7', 5, '0/k', '{}', 'STANDARD', NULL)`,
  );
  db.close();

  const meta = new SqliteMetadata(path, new SyncBatcher());
  const bucket = 'b-1250000000';
  const upload = { bucket, key: 'k', uploadId: 'u1', initiated: 1, initiator: 'me', headers: {}, storageClass: 'STANDARD', acl: undefined };
  await meta.tx(async (tx) => {
    await tx.insertUpload(upload);
    await tx.reserveBlob('1/p', 'test', Date.now() + 60_000);
    await tx.putPart({ uploadId: 'u1', partNumber: 1, size: 1, etag: '"p"', crc64: '0', lastModified: 2, blob: '1/p' });
  });
  assert.deepEqual(await meta.getUpload(bucket, 'k', 'u1'), upload);
  assert.equal(await meta.blobInUse('0/k'), true, 'a version blob');
  assert.equal(await meta.blobInUse('1/p'), true, 'a part blob');
  assert.equal(await meta.blobInUse('2/none'), false);
  assert.deepEqual(await meta.bucketContents(bucket), { versions: true, uploads: true });
  assert.equal((await meta.getObject(bucket, 'k'))?.versionId, 'v1', 'the v7 data is untouched');
  assert.deepEqual(await meta.tx((tx) => tx.deleteUpload('u1')), ['1/p']);
  assert.equal(await meta.blobInUse('1/p'), false);
  await meta.close();
  const check = new Database(path);
  assert.equal(check.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.deepEqual(check.prepare(`SELECT name FROM sqlite_master WHERE name IN ('objects', 'uploads', 'parts') ORDER BY name`).pluck().all(), ['parts', 'uploads']);
  check.close();
});

it('keeps small objects inline (v9): v8 blob versions stay blobs, inline bytes round-trip (empty ones too) and free no blob', async () => {
  const { path, meta, old } = await openWithBlobVersion(8);
  assert.deepEqual(old.content, { blob: '0/k' });
  const bytes = Buffer.from('hello, inline');
  assert.equal(await meta.tx((tx) => tx.putObject({ ...old, content: { inline: bytes } })), '0/k', 'the replaced blob is freed');
  assert.deepEqual((await meta.getObject('b-1250000000', 'k'))?.content, { inline: bytes });
  await meta.tx((tx) => tx.putObject({ ...old, key: 'empty', size: 0, content: { inline: Buffer.alloc(0) } }));
  assert.deepEqual((await meta.getObject('b-1250000000', 'empty'))?.content, { inline: Buffer.alloc(0) }, 'an empty object is inline, not a blob');
  const replacement = Buffer.from('replaced inline');
  assert.equal(await meta.tx((tx) => tx.putObject({ ...old, content: { inline: replacement } })), undefined, 'no blob to free');
  assert.deepEqual((await meta.getObject('b-1250000000', 'k'))?.content, { inline: replacement });
  const removed = await meta.tx((tx) => tx.deleteVersion('b-1250000000', 'k', 'null'));
  assert.deepEqual(removed, { deleteMarker: false, freedBlob: undefined });
  await meta.tx((tx) => tx.deleteVersion('b-1250000000', 'empty', 'null'));
  await meta.close();
  const check = new Database(path);
  assert.equal(check.prepare('SELECT count(*) FROM inline_contents').pluck().get(), 0, 'inline bytes leave with their versions');
  check.close();
});

it('moves bucket policies into the policies table (v10): the text is kept as written, equal policies share a row', async () => {
  const { path, db } = databaseAt(9);
  const policy = '{ "version": "2.0", "statement": [] }';
  const insertBucket = db.prepare(`INSERT INTO buckets (name, owner_uin, region, created_at, policy) VALUES (?, '100000000001', 'ap-guangzhou', 0, ?)`);
  insertBucket.run('a-1250000000', policy);
  insertBucket.run('b-1250000000', policy);
  insertBucket.run('c-1250000000', null);
  db.close();

  const meta = new SqliteMetadata(path, new SyncBatcher());
  assert.equal((await meta.getBucket('a-1250000000'))?.policy, policy);
  assert.equal((await meta.getBucket('b-1250000000'))?.policy, policy);
  assert.equal((await meta.getBucket('c-1250000000'))?.policy, undefined);
  const replaced = '{"version":"2.0","statement":[{"effect":"deny"}]}';
  await meta.tx((tx) => tx.putBucketConfig('a-1250000000', 'policy', replaced));
  await meta.tx((tx) => tx.deleteBucketConfig('b-1250000000', 'policy'));
  assert.equal((await meta.getBucket('a-1250000000'))?.policy, replaced);
  assert.equal((await meta.getBucket('b-1250000000'))?.policy, undefined);
  await meta.close();
  const check = new Database(path);
  assert.equal(check.prepare("SELECT count(*) FROM config_documents WHERE kind = 'policy'").pluck().get(), 2, 'the shared policy and the new one');
  check.close();
});

it('records the upload a version was completed from (v12): v11 versions have none, new ones keep theirs', async () => {
  const { meta, old } = await openWithBlobVersion(11);
  assert.equal(old.uploadId, undefined);
  await meta.tx((tx) => tx.putObject({ ...old, key: 'completed', uploadId: 'u1' }));
  assert.equal((await meta.getObject('b-1250000000', 'completed'))?.uploadId, 'u1');
  await meta.close();
});

it('turns the bucket setting columns into documents by kind (v14): each value kept, equal ones sharing a document', async () => {
  const { path, db } = databaseAt(13);
  const publicAcl = '{"grants":[{"grantee":{"type":"Group","uri":"http://cam.qcloud.com/groups/global/AllUsers"},"permission":"READ"}],"canned":"public-read"}';
  const policy = '{ "version": "2.0", "statement": [] }';
  const cors = '{"rules":[{"allowedOrigins":["*"],"allowedMethods":["GET"],"allowedHeaders":[],"exposeHeaders":[]}],"responseVary":false}';
  const aclId = db.prepare('INSERT INTO acls (body) VALUES (?)').run(publicAcl).lastInsertRowid;
  const policyId = db.prepare('INSERT INTO policies (body) VALUES (?)').run(policy).lastInsertRowid;
  const insertBucket = db.prepare(
    `INSERT INTO buckets (name, owner_uin, region, created_at, acl_id, policy_id, cors, versioning) VALUES (?, '100000000001', 'ap-guangzhou', 7, ?, ?, ?, ?)`,
  );
  insertBucket.run('all-1250000000', aclId, policyId, cors, 'Enabled');
  insertBucket.run('same-1250000000', aclId, policyId, cors, 'Suspended');
  insertBucket.run('none-1250000000', null, null, null, null);
  db.close();

  const meta = new SqliteMetadata(path, new SyncBatcher());
  assert.deepEqual(await meta.getBucket('all-1250000000'), {
    name: 'all-1250000000',
    ownerUin: '100000000001',
    region: 'ap-guangzhou',
    createdAt: 7,
    acl: JSON.parse(publicAcl),
    policy,
    cors: JSON.parse(cors),
    versioning: 'Enabled',
  });
  assert.equal((await meta.getBucket('same-1250000000'))?.versioning, 'Suspended');
  assert.deepEqual(await meta.getBucket('none-1250000000'), { name: 'none-1250000000', ownerUin: '100000000001', region: 'ap-guangzhou', createdAt: 7 });
  assert.equal(await meta.getBucketConfig('same-1250000000', 'policy'), policy, 'the policy text as written');
  await meta.tx((tx) => tx.deleteBucket('all-1250000000'));
  await meta.close();
  const check = new Database(path);
  const documents = check.prepare('SELECT kind, count(*) AS n FROM config_documents GROUP BY kind ORDER BY kind').all();
  assert.deepEqual(documents, [
    { kind: 'acl', n: 1 },
    { kind: 'cors', n: 1 },
    { kind: 'policy', n: 1 },
    { kind: 'versioning', n: 2 },
  ]);
  assert.equal(check.prepare('SELECT count(*) FROM bucket_configs').pluck().get(), 4, "the deleted bucket's settings went with it");
  check.close();
});

it("moves the appendable mark out of an object's headers into its object type (v19, after the jobs table and object lock)", async () => {
  const { path, db } = databaseAt(16);
  db.exec(`INSERT INTO buckets (name, owner_uin, region, created_at) VALUES ('b-1250000000', '100000000001', 'ap-guangzhou', 0)`);
  const insert = db.prepare(
    `INSERT INTO versions (bucket, key, seq, version_id, is_latest, delete_marker, size, etag, crc64, last_modified, blob, headers, storage_class)
     VALUES ('b-1250000000', ?, 1, 'null', 1, 0, 3, '"e"', '7', 5, ?, ?, 'STANDARD')`,
  );
  insert.run('log', '0/log', JSON.stringify({ 'content-type': 'text/plain', ':object-type': 'appendable', 'x-cos-meta-a': 'b' }));
  insert.run('plain', '0/plain', JSON.stringify({ 'content-type': 'text/plain' }));
  db.close();

  const meta = new SqliteMetadata(path, new SyncBatcher());
  const [log, plain] = await Promise.all([meta.getObject('b-1250000000', 'log'), meta.getObject('b-1250000000', 'plain')]);
  assert.deepEqual(log && [log.objectType, log.headers], ['appendable', { 'content-type': 'text/plain', 'x-cos-meta-a': 'b' }]);
  assert.deepEqual(plain && [plain.objectType, plain.headers], [undefined, { 'content-type': 'text/plain' }]);
  await meta.close();
});
