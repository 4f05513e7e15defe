// What the in-memory blob store holds: copies of a body in buffers of its own (never the request's),
// shared, not copied, by composed blobs and ranged reads.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, it } from 'node:test';
import { HashPool } from '../hash/hash-pool.ts';
import { MemoryBlobStore } from './memory-blob-store.ts';

const hashers = new HashPool();
after(() => hashers.close());
const store = new MemoryBlobStore(hashers);

async function chunksOf(stream: Readable): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks;
}

const memoryOf = (chunks: readonly Buffer[]): Set<ArrayBufferLike> => new Set(chunks.map((c) => c.buffer));
const bytesHeld = (chunks: readonly Buffer[]): number => [...memoryOf(chunks)].reduce((sum, buffer) => sum + buffer.byteLength, 0);

it('keeps a body in buffers of its own, as large as the body and no larger, whatever its chunks were views of', async () => {
  // Socket reads are views of larger buffers: keeping them would keep those buffers whole.
  const socketBuffer = randomBytes(8 * 1024 * 1024);
  const size = 5 * 1024 * 1024 + 123;
  const chunks = Array.from({ length: Math.ceil(size / 65536) }, (_, i) => socketBuffer.subarray(i * 65536, Math.min(size, (i + 1) * 65536)));
  for (const expect of [{ size }, {}]) {
    const written = await store.write(store.newRef(), Readable.from(chunks), expect);
    const stored = await chunksOf(store.read(written.ref));
    assert.ok(Buffer.concat(stored).equals(socketBuffer.subarray(0, size)));
    assert.ok(!memoryOf(stored).has(socketBuffer.buffer), 'no request buffer is kept');
    assert.equal(bytesHeld(stored), size, `memory held = bytes stored (Content-Length ${expect.size ?? 'unknown'})`);
    await store.delete(written.ref);
  }
});

it('a composed blob and ranged reads share the pieces\' buffers: no byte is copied', async () => {
  const parts = [randomBytes(2 * 1024 * 1024), randomBytes(1024 * 1024 + 1)];
  const pieces = await Promise.all(parts.map(async (bytes) => ({ ...(await store.write(store.newRef(), Readable.from([bytes]), { size: bytes.length })), size: bytes.length })));
  const composed = store.newRef();
  await store.compose(composed, pieces);
  const pieceMemory = new Set<ArrayBufferLike>();
  for (const piece of pieces) for (const buffer of memoryOf(await chunksOf(store.read(piece.ref)))) pieceMemory.add(buffer);
  const whole = await chunksOf(store.read(composed));
  assert.ok(Buffer.concat(whole).equals(Buffer.concat(parts)));
  assert.deepEqual(memoryOf(whole), pieceMemory);
  const range = await chunksOf(store.read(composed, { start: 1024 * 1024 - 1, end: 2 * 1024 * 1024 + 1 }));
  assert.ok(Buffer.concat(range).equals(Buffer.concat(parts).subarray(1024 * 1024 - 1, 2 * 1024 * 1024 + 2)));
  assert.ok([...memoryOf(range)].every((buffer) => pieceMemory.has(buffer)), 'a range is views of the stored buffers');
});
