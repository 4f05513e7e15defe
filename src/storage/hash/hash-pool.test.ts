import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { after, test } from 'node:test';
import { crc64 } from '../../util/crc64.ts';
import { HashPool, INLINE_MAX_BYTES, inlineHasher, type BodyHasher, type BodyDigests } from './hash-pool.ts';
import { seededBytes } from '../../../test/helpers/seeded-bytes.ts';

const expected = (data: Buffer): BodyDigests => ({ md5Hex: createHash('md5').update(data).digest('hex'), crc64: crc64(data) });

/** Feeds data in the given chunk sizes (cycled), honouring update()'s back-pressure, and digests. */
async function feed(hasher: BodyHasher, data: Buffer, sizes: readonly number[]): Promise<{ digests: BodyDigests; waits: number }> {
  let waits = 0;
  for (let at = 0, k = 0; at < data.length; k++) {
    const size = sizes[k % sizes.length]!;
    const pending = hasher.update(data.subarray(at, at + size));
    at += size;
    if (pending) {
      waits++;
      await pending;
    }
  }
  return { digests: await hasher.digest(), waits };
}

const pool = new HashPool();
after(() => pool.close());

test('small known sizes hash inline, large and unknown sizes on a worker thread', async () => {
  const fresh = new HashPool();
  await feed(fresh.hasherFor(INLINE_MAX_BYTES), seededBytes(10, 1), [10]);
  assert.equal(fresh.threads, 0);
  await feed(fresh.hasherFor(undefined), seededBytes(10, 1), [10]);
  assert.equal(fresh.threads, 1);
  await fresh.close();
});

test('the worker path gives the same MD5 and CRC-64 as the inline path', async () => {
  const cases: Array<[string, number, number[]]> = [
    ['empty body', 0, [1]],
    ['one byte', 1, [1]],
    ['exactly one block', 256 * 1024, [256 * 1024]],
    ['exactly two blocks in one chunk', 512 * 1024, [512 * 1024]],
    ['odd chunks across block boundaries', 1_500_007, [1, 7, 65_536, 3, 100_003, 0, 524_289]],
    ['more than the blocks in flight, in socket-sized chunks', 5 * 1024 * 1024 + 13, [65_536]],
    ['one chunk larger than all blocks together', 3 * 1024 * 1024 + 1, [3 * 1024 * 1024 + 1]],
  ];
  for (const [name, length, sizes] of cases) {
    const data = seededBytes(length, length + 1);
    const want = expected(data);
    assert.deepEqual((await feed(pool.hasherFor(undefined), data, sizes)).digests, want, `${name} (worker)`);
    assert.deepEqual((await feed(inlineHasher(), data, sizes)).digests, want, `${name} (inline)`);
  }
});

test('at most 1 MiB is sent ahead of the worker: update() asks the caller to wait', async () => {
  // Acknowledgements arrive only through the event loop, so feeding 3 MiB without yielding must hit the bound.
  const data = seededBytes(3 * 1024 * 1024, 9);
  const { digests, waits } = await feed(pool.hasherFor(data.length), data, [65_536]);
  assert.ok(waits >= 1, `waited ${waits} times`);
  assert.deepEqual(digests, expected(data));
});

test('concurrent bodies do not mix, and an aborted body leaves the others intact', async () => {
  const bodies = [seededBytes(2_000_000, 21), seededBytes(700_000, 22), seededBytes(3_100_000, 23)];
  const dropped = pool.hasherFor(undefined);
  await dropped.update(seededBytes(1_000_000, 24));
  dropped.abort();
  const results = await Promise.all(bodies.map((data, i) => feed(pool.hasherFor(undefined), data, [65_536 + i * 1001])));
  results.forEach((r, i) => assert.deepEqual(r.digests, expected(bodies[i]!), `body ${i}`));
});

test('close() stops the worker threads; bodies in flight fail instead of hanging, later ones hash inline', async () => {
  const closing = new HashPool();
  const inFlight = closing.hasherFor(undefined);
  await inFlight.update(seededBytes(600_000, 31));
  assert.equal(closing.threads, 1);
  await closing.close();
  assert.equal(closing.threads, 0);
  await assert.rejects(inFlight.digest(), /hash worker exited/);
  const data = seededBytes(1_000_000, 32);
  assert.deepEqual((await feed(closing.hasherFor(undefined), data, [65_536])).digests, expected(data));
  assert.equal(closing.threads, 0);
});

// The timeouts turn a regression (a wait left pending) into a failure instead of a stalled file.
test('abort() settles what the body was waiting for: a pending update() and digest() reject instead of staying pending', { timeout: 60_000 }, async () => {
  // 3 MiB in one call outruns the 1 MiB of blocks, so update() must wait for the worker.
  const waiting = pool.hasherFor(undefined);
  const update = waiting.update(seededBytes(3 * 1024 * 1024, 41));
  assert.ok(update, 'update() asked to wait');
  waiting.abort();
  await assert.rejects(update, /aborted/);

  const digesting = pool.hasherFor(undefined);
  await digesting.update(seededBytes(700_000, 42));
  const digest = digesting.digest();
  digesting.abort();
  await assert.rejects(digest, /aborted/);

  // The worker is still there for the next body.
  const data = seededBytes(1_000_000, 43);
  assert.deepEqual((await feed(pool.hasherFor(undefined), data, [65_536])).digests, expected(data));
});

test('a worker that goes away while update() waits on it fails the body', { timeout: 60_000 }, async () => {
  const closing = new HashPool();
  const waiting = closing.hasherFor(undefined);
  const update = waiting.update(seededBytes(3 * 1024 * 1024, 51));
  assert.ok(update, 'update() asked to wait');
  await closing.close();
  // Acks may still free the wait before the worker stops; then the digest is what fails.
  await assert.rejects(
    (async () => {
      await update;
      await waiting.digest();
    })(),
    /hash worker exited/,
  );
});

test('CRC-64/ECMA-182 as COS reports it, on the event loop (a lone body) and on a worker (a concurrent one)', async () => {
  // The first body starts alone and keeps its CRC-64 on the event loop; the second, concurrent, has it on a worker.
  const lone = pool.hasherFor(undefined);
  const concurrent = pool.hasherFor(undefined);
  const check = Buffer.from('123456789');
  for (const hasher of [lone, concurrent]) {
    const { digests } = await feed(hasher, check, [4, 5]);
    assert.equal(digests.crc64, '11051210869376104954');
    assert.equal(digests.md5Hex, '25f9e794323b453885f5181f1b624d0b');
  }
  const data = seededBytes(2_345_679, 61);
  const [a, b] = await Promise.all([feed(pool.hasherFor(undefined), data, [65_536]), feed(pool.hasherFor(undefined), data, [9_999])]);
  assert.deepEqual(a.digests, expected(data));
  assert.deepEqual(b.digests, expected(data));
});

test('concurrent bodies spread over the workers (one per core); sequential bodies reuse one', async () => {
  const fresh = new HashPool();
  const first = fresh.hasherFor(undefined);
  const second = fresh.hasherFor(undefined);
  const data = seededBytes(1_200_000, 41);
  const both = await Promise.all([feed(first, data, [65_536]), feed(second, data, [100_000])]);
  both.forEach((r) => assert.deepEqual(r.digests, expected(data)));
  const spread = fresh.threads;
  assert.equal(spread, Math.min(2, availableParallelism()));
  for (let i = 0; i < 3; i++) assert.deepEqual((await feed(fresh.hasherFor(undefined), data, [65_536])).digests, expected(data));
  assert.equal(fresh.threads, spread);
  await fresh.close();
});

test('plain Uint8Array chunks (not Buffers) hash the same on the worker path', async () => {
  const data = seededBytes(700_001, 51);
  const hasher = pool.hasherFor(undefined);
  for (let at = 0; at < data.length; at += 70_000) {
    const chunk = new Uint8Array(data.subarray(at, at + 70_000)); // a copy with its own ArrayBuffer
    await hasher.update(chunk);
  }
  assert.deepEqual(await hasher.digest(), expected(data));
});

test('owned chunks move to the worker with their buffer (left empty), also views of one buffer in a row; the rest are copied and left intact', async () => {
  const data = seededBytes(3_000_007, 71);
  // Whole buffers of 16 KiB and more move, as do runs of views into one (a decoder's slices of a socket
  // chunk); views of a smaller buffer are copied.
  const sizes = [65_536, 1_000, 200_000, 16_384, 16_383, 5, 300_000];
  const chunks: Array<{ chunk: Uint8Array; bytes: Buffer; moves: boolean }> = [];
  for (let at = 0, k = 0; at < data.length; k++) {
    const bytes = data.subarray(at, at + sizes[k % sizes.length]!);
    at += bytes.length;
    if (k % 3 === 2) {
      // Three views of one buffer, with framing bytes around them.
      const parts = [bytes.subarray(0, 10), bytes.subarray(10, 20), bytes.subarray(20)];
      const framing = Buffer.from('<>');
      const framed = Buffer.concat([framing, ...parts.flatMap((part) => [part, framing])]);
      const moves = framed.buffer.byteLength >= 16_384;
      let offset = framing.length;
      for (const part of parts) {
        chunks.push({ chunk: framed.subarray(offset, offset + part.length), bytes: part, moves });
        offset += part.length + framing.length;
      }
    } else {
      chunks.push({ chunk: new Uint8Array(bytes), bytes, moves: bytes.length >= 16_384 });
    }
  }
  const owned = pool.hasherFor(undefined, true);
  for (const { chunk } of chunks) await owned.update(chunk);
  assert.deepEqual(await owned.digest(), expected(data));
  for (const [i, { chunk, bytes, moves }] of chunks.entries()) {
    if (moves) assert.equal(chunk.byteLength, 0, `chunk ${i} (${bytes.length} bytes) moved`);
    else assert.ok(Buffer.from(chunk).equals(bytes), `chunk ${i} (${bytes.length} bytes) intact`);
  }

  const borrowed = pool.hasherFor(undefined);
  const whole = new Uint8Array(data);
  await borrowed.update(whole);
  assert.deepEqual(await borrowed.digest(), expected(data));
  assert.equal(whole.byteLength, data.length, 'a borrowed chunk is never moved');
});
