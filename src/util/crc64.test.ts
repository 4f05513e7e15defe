import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Crc64, crc64, crc64Combine } from './crc64.ts';
import { seededBytes } from '../../test/helpers/seeded-bytes.ts';

// Slow, obviously-correct bit-at-a-time CRC-64/XZ, used as the oracle.
function referenceCrc64(data: Uint8Array): string {
  const poly = 0xc96c5795d7870f42n;
  const mask = 0xffffffffffffffffn;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return (crc ^ mask).toString();
}

test('check value of "123456789" is 0x995DC9BBDF1939FA', () => {
  const expected = 0x995dc9bbdf1939fan.toString();
  assert.equal(expected, '11051210869376104954');
  assert.equal(crc64(new TextEncoder().encode('123456789')), expected);
});

test('empty input gives "0"', () => {
  assert.equal(crc64(new Uint8Array(0)), '0');
  assert.equal(new Crc64().digest(), '0');
});

test('values with the top bit set stay unsigned', () => {
  // 0xFF... results would go negative if digest used signed arithmetic anywhere.
  for (let seed = 1; seed <= 64; seed++) {
    const data = seededBytes(seed, seed);
    const got = crc64(data);
    assert.match(got, /^\d+$/);
    assert.equal(got, referenceCrc64(data));
  }
});

test('matches the bit-by-bit reference for every length 0..1000', () => {
  const data = seededBytes(1000, 42);
  for (let len = 0; len <= 1000; len++) {
    const slice = data.subarray(0, len);
    assert.equal(crc64(slice), referenceCrc64(slice), `length ${len}`);
  }
});

test('matches the reference on unaligned views of a shared buffer', () => {
  const data = seededBytes(300, 7);
  for (let offset = 0; offset < 20; offset++) {
    const view = data.subarray(offset, offset + 257);
    assert.equal(crc64(view), referenceCrc64(view), `offset ${offset}`);
  }
});

test('matches the reference on 1 MiB', () => {
  const data = seededBytes(1024 * 1024, 1234);
  assert.equal(crc64(data), referenceCrc64(data));
});

test('incremental updates across arbitrary chunk boundaries equal one-shot', () => {
  const data = seededBytes(100_000, 99);
  const whole = crc64(data);
  const cuts = seededBytes(4096, 5);
  for (let trial = 0; trial < 50; trial++) {
    const c = new Crc64();
    let pos = 0;
    let k = trial * 80;
    while (pos < data.length) {
      // Chunk sizes 0..~2000 with plenty of small and empty ones, around the 16-byte block size.
      const r = cuts[k++ % cuts.length]!;
      const size = trial % 2 === 0 ? r % 37 : r * 8;
      c.update(data.subarray(pos, pos + size));
      pos += size;
    }
    assert.equal(c.digest(), whole, `trial ${trial}`);
  }
});

test('random buffers split at random points match the bit-by-bit reference', () => {
  // Lengths past the 288 KiB the kernel takes per call, cut anywhere (also inside a 16-byte step).
  for (const [length, seed] of [[300_001, 11], [65_537, 12], [4_099, 13]] as const) {
    const data = seededBytes(length, seed);
    const cuts = seededBytes(64, seed + 100);
    const c = new Crc64();
    let pos = 0;
    for (let k = 0; pos < data.length; k++) {
      const size = (cuts[k % cuts.length]! * 997 + k) % 70_001;
      c.update(data.subarray(pos, pos + size));
      pos += size;
    }
    assert.equal(c.digest(), referenceCrc64(data), `length ${length}`);
  }
});

test('digest does not reset state; updates may continue after it', () => {
  const data = seededBytes(1000, 3);
  const c = new Crc64();
  c.update(data.subarray(0, 400));
  assert.equal(c.digest(), crc64(data.subarray(0, 400)));
  assert.equal(c.digest(), crc64(data.subarray(0, 400)));
  c.update(data.subarray(400));
  assert.equal(c.digest(), crc64(data));
});

test('accepts Buffer as well as Uint8Array', () => {
  assert.equal(crc64(Buffer.from('123456789')), '11051210869376104954');
});

test('crc64Combine equals the direct CRC of the concatenation', () => {
  const cases: Array<[number, number]> = [[0, 0], [0, 5], [7, 0], [1, 1], [13, 100], [1000, 4096], [65537, 12345], [3, 300000]];
  for (const [lengthA, lengthB] of cases) {
    const a = seededBytes(lengthA, lengthA + 1);
    const b = seededBytes(lengthB, lengthB + 7);
    const whole = new Uint8Array(lengthA + lengthB);
    whole.set(a);
    whole.set(b, lengthA);
    assert.equal(crc64Combine(crc64(a), crc64(b), lengthB), crc64(whole), `${lengthA} + ${lengthB}`);
  }
});

test('crc64Combine folds many parts in order, as Complete Multipart Upload does', () => {
  const parts = [1, 4096, 777, 0, 65536, 3].map((n, i) => seededBytes(n, 100 + i));
  const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  let combined = crc64(new Uint8Array(0));
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
    combined = crc64Combine(combined, crc64(part), part.length);
  }
  assert.equal(combined, crc64(whole));
});

test('crc64Combine walks lengths beyond 2^32 bit by bit: splitting a long B anywhere gives the same CRC', () => {
  // Z(n) appends n zero bytes and is linear, so combine(combine(a, b, m), c, n) = combine(a, combine(b, c, n), m + n)
  // for any register values; lengths past 2^32 exercise the arithmetic (not >>>) walk over their bits.
  const [a, b, c] = [crc64(seededBytes(64, 1)), crc64(seededBytes(64, 2)), crc64(seededBytes(64, 3))];
  for (const [m, n] of [[2 ** 32 + 5, 3 * 2 ** 31], [5 * 1024 ** 3, 1], [1, 2 ** 40 + 17]] as const) {
    assert.equal(crc64Combine(crc64Combine(a, b, m), c, n), crc64Combine(a, crc64Combine(b, c, n), m + n), `${m} + ${n}`);
  }
});
