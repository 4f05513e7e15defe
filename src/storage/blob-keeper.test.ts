// Blob lifetime through the keeper, on the SQLite store and the file blob store: reservations protect
// writes in flight from every collector, garbage is freed by the collector alone, composing copies when
// the blob store cannot share bytes. And the same freeing on the in-memory engine.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, it } from 'node:test';
import { eventually } from '../../test/helpers/eventually.ts';
import type { ObjectRecord } from '../domain/object.ts';
import { BlobKeeper } from './blob-keeper.ts';
import type { BlobStore } from './blobs.ts';
import { FsBlobStore } from './fs/fs-blob-store.ts';
import { SyncBatcher } from './fs/sync-batcher.ts';
import { HashPool } from './hash/hash-pool.ts';
import { MemoryBlobStore } from './memory/memory-blob-store.ts';
import { MemoryMetadata } from './memory/memory-metadata.ts';
import type { MetadataStore } from './metadata.ts';
import { SqliteMetadata } from './sqlite/sqlite-metadata.ts';

const BUCKET = 'keeper-1250000000';
const hashers = new HashPool();
const dirs: string[] = [];
const toClose: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of toClose.splice(0).reverse()) await close();
});
after(async () => {
  await hashers.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function setUp(): Promise<{ dir: string; meta: SqliteMetadata; files: FsBlobStore }> {
  const dir = await mkdtemp(join(tmpdir(), 'coslocal-keeper-'));
  dirs.push(dir);
  const meta = new SqliteMetadata(join(dir, 'meta.db'), new SyncBatcher());
  toClose.push(() => meta.close());
  await meta.tx(async (tx) => {
    await tx.putAccount({ uin: '100000000001', appid: '1250000000', name: 'owner' });
    await tx.insertBucket({ name: BUCKET, ownerUin: '100000000001', region: 'ap-guangzhou', createdAt: 1 });
  });
  return { dir, meta, files: await FsBlobStore.open(dir, new SyncBatcher(), hashers) };
}

function keeperOf(meta: MetadataStore, store: BlobStore, holder: string, leaseMs?: number): BlobKeeper {
  const fail = (what: string, error: unknown): never => assert.fail(`${what}: ${String(error)}`);
  const keeper = new BlobKeeper(meta, store, {
    holder,
    clock: Date.now,
    ...(leaseMs !== undefined && { leaseMs }),
    onCollectError: (ref, error) => fail(String(ref), error),
    onRenewError: (error) => fail('renew', error),
  });
  toClose.push(() => keeper.close());
  return keeper;
}

async function blobFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const shard of await readdir(join(dir, 'blobs'))) for (const name of await readdir(join(dir, 'blobs', shard))) out.push(`${shard}/${name}`);
  return out.sort();
}

const text = async (stream: Readable): Promise<string> => {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
};

const objectOf = (key: string, blob: string, size: number): ObjectRecord => ({
  bucket: BUCKET,
  key,
  versionId: 'null',
  size,
  etag: '"e"',
  crc64: '0',
  lastModified: 1,
  content: { blob },
  headers: {},
  storageClass: 'STANDARD',
  acl: undefined,
});

it("a collector never takes another process's write in flight (the start-up sweep did)", async () => {
  const { dir, meta, files } = await setUp();
  const writer = keeperOf(meta, files, 'writer');
  const other = keeperOf(meta, files, 'other');
  const body = new PassThrough();
  const writing = writer.write(body, {});
  body.write('first half, ');
  // The file is there, referenced by nothing yet: only its reservation keeps a collector off it.
  await eventually('the blob file exists', async () => (await blobFiles(dir)).length === 1);
  assert.deepEqual(await meta.tx((tx) => tx.claimGarbage('other', Date.now(), 100, Date.now() + 60_000)), [], 'nothing to claim while the write is reserved');
  other.collectSoon();
  await other.idle();
  body.end('second half');
  const written = await writing;
  await meta.tx((tx) => tx.putObject(objectOf('k', written.ref, written.size)));
  assert.equal(await text(writer.read(written.ref)), 'first half, second half');
  assert.deepEqual(await blobFiles(dir), [written.ref]);
});

it('frees what a removal handed over, and a write given up, and nothing else', async () => {
  const { dir, meta, files } = await setUp();
  const keeper = keeperOf(meta, files, 'me');
  const kept = await keeper.write(Readable.from([Buffer.from('kept')]), {});
  const replaced = await keeper.write(Readable.from([Buffer.from('old')]), {});
  await meta.tx((tx) => tx.putObject(objectOf('a', kept.ref, kept.size)));
  await meta.tx((tx) => tx.putObject(objectOf('b', replaced.ref, replaced.size)));
  const replacement = await keeper.write(Readable.from([Buffer.from('new')]), {});
  await meta.tx((tx) => tx.putObject(objectOf('b', replacement.ref, replacement.size)));
  const givenUp = await keeper.write(Readable.from([Buffer.from('never committed')]), {});
  await keeper.discard(givenUp.ref);
  await assert.rejects(keeper.write(Readable.from([Buffer.from('too short')]), { size: 100 }), (error: Error & { code?: string }) => error.code === 'IncompleteBody');
  keeper.collectSoon();
  await keeper.idle();
  assert.deepEqual(await blobFiles(dir), [kept.ref, replacement.ref].sort());
});

it('a restart that owns the store alone collects the writes an earlier process left reserved', async () => {
  const { dir, meta, files } = await setUp();
  const dead = keeperOf(meta, files, 'dead');
  const orphan = await dead.write(Readable.from([Buffer.from('killed before its commit')]), {});
  assert.deepEqual(await blobFiles(dir), [orphan.ref]);
  const next = keeperOf(meta, files, 'next');
  assert.deepEqual(await next.start(true), { lapsed: 1 });
  await next.idle();
  assert.deepEqual(await blobFiles(dir), []);
});

it("a node sharing the store lapses nobody's reservation at start: a dead writer's blob goes when its lease runs out", async () => {
  const { dir, meta, files } = await setUp();
  const dead = keeperOf(meta, files, 'dead', 300);
  const orphan = await dead.write(Readable.from([Buffer.from('killed before its commit')]), {});
  const node = keeperOf(meta, files, 'node', 300);
  assert.deepEqual(await node.start(false), { lapsed: 0 });
  await node.idle();
  assert.deepEqual(await blobFiles(dir), [orphan.ref], 'still within its lease: perhaps a live node\'s write');
  await eventually('the lapsed reservation is collected', async () => (await blobFiles(dir)).length === 0);
});

it('the heartbeat keeps a slow write reserved past its lease; the write commits', async () => {
  const { dir, meta, files } = await setUp();
  const writer = keeperOf(meta, files, 'writer', 200);
  await writer.start(true);
  const collector = keeperOf(meta, files, 'collector', 200);
  await collector.start(false);
  const body = new PassThrough();
  const writing = writer.write(body, {});
  body.write('slow ');
  await sleep(700);
  collector.collectSoon();
  await collector.idle();
  assert.equal((await blobFiles(dir)).length, 1, 'renewed, so not collected');
  body.end('write');
  const written = await writing;
  await meta.tx((tx) => tx.putObject(objectOf('k', written.ref, written.size)));
  assert.equal(await text(writer.read(written.ref)), 'slow write');
});

it('composes by copying when the blob store cannot share bytes; the parts stay independent', async () => {
  const { dir, meta, files } = await setUp();
  const copyOnly: BlobStore = {
    newRef: (kind) => files.newRef(kind),
    write: (ref, body, expect) => files.write(ref, body, expect),
    read: (ref, range) => files.read(ref, range),
    delete: (ref) => files.delete(ref),
    compose: undefined,
  };
  const keeper = keeperOf(meta, copyOnly, 'me');
  const parts = [];
  for (const piece of ['one ', 'two ', 'three']) parts.push(await keeper.write(Readable.from([Buffer.from(piece)]), {}));
  const composed = await keeper.compose(parts.map((p) => ({ ref: p.ref, size: p.size })));
  assert.ok(!composed.endsWith('.parts'), 'a plain blob, not a manifest of links');
  for (const part of parts) await keeper.discard(part.ref);
  await meta.tx((tx) => tx.putObject(objectOf('k', composed, 13)));
  await keeper.idle();
  assert.deepEqual(await blobFiles(dir), [composed]);
  assert.equal(await text(keeper.read(composed)), 'one two three');
  assert.equal(await text(keeper.read(composed, { start: 2, end: 8 })), 'e two t');
});

it('on the in-memory engine too: frees what a removal handed over and a write given up; a composed blob keeps its parts\' bytes', async () => {
  const meta = new MemoryMetadata();
  await meta.tx(async (tx) => {
    await tx.putAccount({ uin: '100000000001', appid: '1250000000', name: 'owner' });
    await tx.insertBucket({ name: BUCKET, ownerUin: '100000000001', region: 'ap-guangzhou', createdAt: 1 });
  });
  const keeper = keeperOf(meta, new MemoryBlobStore(hashers), 'me');
  const write = (body: string): ReturnType<BlobKeeper['write']> => keeper.write(Readable.from([Buffer.from(body)]), {});
  const replaced = await write('old');
  await meta.tx((tx) => tx.putObject(objectOf('a', replaced.ref, replaced.size)));
  const replacement = await write('new');
  await meta.tx((tx) => tx.putObject(objectOf('a', replacement.ref, replacement.size)));
  const givenUp = await write('never committed');
  await keeper.discard(givenUp.ref);
  const parts = [await write('one '), await write('two')];
  const composed = await keeper.compose(parts.map(({ ref, size }) => ({ ref, size })));
  await meta.tx((tx) => tx.putObject(objectOf('b', composed, 7)));
  for (const part of parts) await keeper.discard(part.ref);
  keeper.collectSoon();
  await keeper.idle();

  const gone = (ref: string): Promise<boolean> => text(keeper.read(ref)).then(() => false, (error: NodeJS.ErrnoException) => error.code === 'ENOENT');
  for (const ref of [replaced.ref, givenUp.ref, ...parts.map((p) => p.ref)]) assert.ok(await gone(ref), ref);
  assert.equal(await text(keeper.read(replacement.ref)), 'new');
  assert.equal(await text(keeper.read(composed)), 'one two');
  assert.deepEqual(await meta.tx((tx) => tx.claimGarbage('me', Date.now(), 100, Date.now() + 60_000)), [], 'nothing left to collect');
});
