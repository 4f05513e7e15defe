// Blob files: streamed writes (errors, in-stream syncs), composed blobs (ranged reads across pieces, independence from the pieces' own names), delete.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import { HashPool } from '../hash/hash-pool.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import { SyncBatcher } from './sync-batcher.ts';

let root: string;
let store: FsBlobStore;
const hashers = new HashPool();
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'coslocal-blobs-'));
  store = await FsBlobStore.open(root, new SyncBatcher(), hashers);
});
after(async () => {
  await hashers.close();
  await rm(root, { recursive: true, force: true });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The blob files. */
async function files(): Promise<string[]> {
  const out: string[] = [];
  for (const shard of await readdir(join(root, 'blobs'))) for (const name of await readdir(join(root, 'blobs', shard))) out.push(`${shard}/${name}`);
  return out.sort();
}

/** The file store composes with hard links (this machine's file systems make them). */
async function compose(pieces: readonly { ref: string; size: number }[]): Promise<string> {
  assert.ok(store.compose, 'hard links work here');
  const ref = store.newRef('composed');
  await store.compose(ref, pieces);
  return ref;
}

const put = async (text: string): Promise<{ ref: string; size: number }> => {
  const written = await store.write(store.newRef('plain'), Readable.from([Buffer.from(text)]), {});
  return { ref: written.ref, size: written.size };
};

it('reads a composed blob whole and at every range, also after the pieces are deleted', async () => {
  const pieces = [await put('abc'), await put(''), await put('defgh'), await put('ij')];
  const whole = 'abcdefghij';
  const composed = await compose(pieces);
  for (const piece of pieces) await store.delete(piece.ref);
  assert.equal((await readAll(store.read(composed))).toString(), whole);
  for (let start = 0; start < whole.length; start++) {
    for (let end = start; end < whole.length; end++) {
      assert.equal((await readAll(store.read(composed, { start, end }))).toString(), whole.slice(start, end + 1), `${start}-${end}`);
    }
  }
  await store.delete(composed);
  assert.deepEqual(await files(), [], 'the manifest and its links are gone');
});

it('a compose that fails (a piece gone) leaves only what deleting its ref removes', async () => {
  const a = await put('a');
  const b = await put('b');
  await store.delete(b.ref);
  const ref = store.newRef('composed');
  assert.ok(store.compose);
  await assert.rejects(store.compose(ref, [a, b]), (error: NodeJS.ErrnoException) => error.code === 'ENOENT');
  await store.delete(ref);
  assert.deepEqual(await files(), [a.ref]);
  await store.delete(a.ref);
});

it('deleting a composed blob again after a delete cut short (the manifest left) removes the rest', async () => {
  const pieces = [await put('x1'), await put('x2')];
  const composed = await compose(pieces);
  for (const piece of pieces) await store.delete(piece.ref);
  const links = (await files()).filter((name) => !name.endsWith('.parts'));
  await rm(join(root, 'blobs', links[0] ?? ''));
  await store.delete(composed);
  assert.deepEqual(await files(), []);
});

it('rejects with a body error raised before the file is even open, leaving nothing (no unheard error event)', async () => {
  const before = await files();
  const body = new Readable({ read() {} });
  // Fails on the next tick, while the file's open is still on the thread pool.
  process.nextTick(() => body.destroy(new Error('client went away')));
  await assert.rejects(store.write(store.newRef('plain'), body, {}), /client went away/);
  assert.deepEqual(await files(), before);
});

it('writes a body larger than the in-stream sync interval intact', async () => {
  const chunk = Buffer.alloc(1024 * 1024, 7);
  const total = 40;
  const written = await store.write(store.newRef('plain'), Readable.from(Array.from({ length: total }, () => chunk)), { size: total * chunk.length });
  assert.equal(written.size, total * chunk.length);
  const back = await readAll(store.read(written.ref));
  assert.ok(back.equals(Buffer.alloc(total * chunk.length, 7)));
  await store.delete(written.ref);
});
