// The BlobStore contract (src/storage/blobs.ts) as tests every blob store runs: call describeBlobStore
// with a factory of fresh, empty stores from the store's own test file.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import type { BlobExpectation, BlobPiece, BlobStore, WrittenBlob } from '../../src/storage/blobs.ts';
import { INLINE_MAX_BYTES } from '../../src/storage/hash/hash-pool.ts';
import { Crc64 } from '../../src/util/crc64.ts';

export interface OpenBlobStore {
  store: BlobStore;
  /** Closes the store and frees what it holds (its directory, its hash workers). */
  close(): Promise<void>;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const crc64Of = (bytes: Buffer): string => {
  const crc = new Crc64();
  crc.update(bytes);
  return crc.digest();
};

/** `bytes` as a body arriving in chunks of `chunkSize`. */
const body = (bytes: Buffer, chunkSize = 64 * 1024): Readable =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / chunkSize) }, (_, i) => bytes.subarray(i * chunkSize, (i + 1) * chunkSize)));

/** Whether reading the blob fails as for one that does not exist. */
const isGone = (store: BlobStore, ref: string): Promise<boolean> =>
  readAll(store.read(ref)).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
  );

/** Writes a new blob as the blob keeper does: under a fresh ref of the store's. */
const write = (store: BlobStore, body: Readable, expect: BlobExpectation): Promise<WrittenBlob> => store.write(store.newRef('plain'), body, expect);

/**
 * A composed blob of the pieces, when the store can compose (the keeper copies the pieces otherwise).
 * Called as a plain function, as the keeper calls it: `compose` is a property, not a method.
 */
async function compose(store: BlobStore, pieces: readonly BlobPiece[], ref = store.newRef('composed')): Promise<string> {
  const composeInto = store.compose;
  assert.ok(composeInto, 'the store composes');
  await composeInto(ref, pieces);
  return ref;
}

export function describeBlobStore(engine: string, makeStore: () => Promise<OpenBlobStore>): void {
  describe(`BlobStore contract: ${engine}`, () => {
    let open: OpenBlobStore | undefined;
    afterEach(async () => {
      await open?.close();
      open = undefined;
    });
    async function fresh(): Promise<BlobStore> {
      open = await makeStore();
      return open.store;
    }
    const put = async (store: BlobStore, text: string): Promise<{ ref: string; size: number }> => {
      const written = await write(store, Readable.from([Buffer.from(text)]), {});
      return { ref: written.ref, size: written.size };
    };

    it('writes bodies of every size (empty, small, hashed off the event loop) and reads them back with their size, MD5 and CRC-64', async () => {
      const store = await fresh();
      for (const bytes of [Buffer.alloc(0), Buffer.from('hello'), randomBytes(INLINE_MAX_BYTES * 3 + 17)]) {
        const written = await write(store, body(bytes), { size: bytes.length, md5Base64: createHash('md5').update(bytes).digest('base64') });
        assert.equal(written.size, bytes.length);
        assert.equal(written.md5Hex, createHash('md5').update(bytes).digest('hex'));
        assert.equal(written.crc64, crc64Of(bytes));
        assert.ok((await readAll(store.read(written.ref))).equals(bytes));
      }
    });

    it('keeps the bytes of a body whose chunks a hash worker takes away (ownedChunks)', async () => {
      const store = await fresh();
      const bytes = randomBytes(4 * 1024 * 1024);
      // Each chunk a buffer of its own, as a socket's reads are: the hasher may move (detach) them.
      const chunks = Array.from({ length: 64 }, (_, i) => Buffer.from(bytes.subarray(i * 65536, (i + 1) * 65536)));
      const written = await write(store, Readable.from(chunks), { size: bytes.length, ownedChunks: true });
      assert.equal(written.md5Hex, createHash('md5').update(bytes).digest('hex'));
      assert.ok((await readAll(store.read(written.ref))).equals(bytes));
    });

    it('reads every range of a blob, also across the chunks it arrived in', async () => {
      const store = await fresh();
      const text = 'abcdefghijklmnop';
      const written = await write(store, body(Buffer.from(text), 3), {});
      for (let start = 0; start < text.length; start++) {
        for (let end = start; end < text.length; end++) {
          assert.equal((await readAll(store.read(written.ref, { start, end }))).toString(), text.slice(start, end + 1), `${start}-${end}`);
        }
      }
      const large = randomBytes(3 * 1024 * 1024 + 5);
      const big = await write(store, body(large), { size: large.length });
      const [start, end] = [1024 * 1024 - 3, 2 * 1024 * 1024 + 7];
      assert.ok((await readAll(store.read(big.ref, { start, end }))).equals(large.subarray(start, end + 1)));
    });

    it('composes pieces into one blob, readable whole and at every range, independent of the pieces both ways', async () => {
      const store = await fresh();
      const pieces = [await put(store, 'abc'), await put(store, ''), await put(store, 'defgh'), await put(store, 'ij')];
      const whole = 'abcdefghij';
      const composed = await compose(store, pieces);
      const again = await compose(store, pieces);
      for (const piece of pieces) await store.delete(piece.ref);
      assert.equal((await readAll(store.read(composed))).toString(), whole, 'deleting the pieces leaves the composed blob');
      for (let start = 0; start < whole.length; start++) {
        for (let end = start; end < whole.length; end++) {
          assert.equal((await readAll(store.read(composed, { start, end }))).toString(), whole.slice(start, end + 1), `${start}-${end}`);
        }
      }
      await store.delete(composed);
      assert.ok(await isGone(store, composed));
      assert.equal((await readAll(store.read(again))).toString(), whole, 'deleting one composed blob leaves another of the same pieces');
    });

    it('composes a composed blob with more pieces (Append Object grows an object this way), independent of the blob it grew from', async () => {
      const store = await fresh();
      const first = await compose(store, [await put(store, 'ab'), await put(store, 'cd')]);
      const grown = await compose(store, [{ ref: first, size: 4 }, await put(store, 'ef')]);
      const again = await compose(store, [{ ref: grown, size: 6 }, { ref: first, size: 4 }]);
      await store.delete(first);
      assert.equal((await readAll(store.read(grown))).toString(), 'abcdef', 'deleting the blob it grew from leaves it whole');
      assert.equal((await readAll(store.read(grown, { start: 1, end: 4 }))).toString(), 'bcde');
      assert.equal((await readAll(store.read(again))).toString(), 'abcdefabcd');
    });

    it('refuses to compose a piece that is gone (ENOENT); deleting what the attempt left is no error', async () => {
      const store = await fresh();
      const a = await put(store, 'a');
      const b = await put(store, 'b');
      await store.delete(b.ref);
      const ref = store.newRef('composed');
      await assert.rejects(compose(store, [a, b], ref), (error: NodeJS.ErrnoException) => error.code === 'ENOENT');
      await store.delete(ref);
      assert.ok(await isGone(store, ref));
      assert.equal((await readAll(store.read(a.ref))).toString(), 'a', 'the piece left is untouched');
    });

    it('rejects a body of the wrong size or MD5, or one its check refuses, keeping nothing under its ref', async () => {
      const store = await fresh();
      const bytes = randomBytes(INLINE_MAX_BYTES + 1);
      const refused = new Error('payload hash mismatch');
      let seen = 0;
      const check = { update: (chunk: Buffer) => void (seen += chunk.length), verify: () => Promise.reject(refused) };
      const cases: [BlobExpectation, (error: unknown) => boolean][] = [
        [{ size: bytes.length + 1 }, (error) => (error as { code?: string }).code === 'IncompleteBody'],
        [{ md5Base64: createHash('md5').update('other').digest('base64') }, (error) => (error as { code?: string }).code === 'BadDigest'],
        [{ check }, (error) => error === refused],
      ];
      for (const [expect, expected] of cases) {
        const ref = store.newRef('plain');
        await assert.rejects(store.write(ref, body(bytes), expect), expected);
        assert.ok(await isGone(store, ref));
      }
      assert.equal(seen, bytes.length, 'the check saw every byte');
    });

    it('rejects with the error of a body that fails mid-way, keeping nothing under its ref', async () => {
      const store = await fresh();
      const failing = new Readable({ read() {} });
      failing.push(randomBytes(1000));
      setImmediate(() => failing.destroy(new Error('client went away')));
      const ref = store.newRef('plain');
      await assert.rejects(store.write(ref, failing, {}), /client went away/);
      assert.ok(await isGone(store, ref));
    });

    it('deletes a plain or composed blob (a missing one is no error), after which reading it fails with ENOENT', async () => {
      const store = await fresh();
      const blob = await put(store, 'gone soon');
      const composed = await compose(store, [await put(store, 'p1'), await put(store, 'p2')]);
      for (const ref of [blob.ref, blob.ref, composed, composed]) await store.delete(ref);
      assert.ok(await isGone(store, blob.ref));
      assert.ok(await isGone(store, composed));
    });
  });
}
