import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { CipherSegment } from '../../domain/encryption.ts';
import { cipherStream, newIv, SegmentCipher } from './content-cipher.ts';

const key = randomBytes(32);

/** Plaintext in segments, each encrypted whole from its own IV, as writes store them. */
function sealedSegments(sizes: readonly number[]): { plain: Buffer; sealed: Buffer; segments: CipherSegment[] } {
  const plains = sizes.map((size) => randomBytes(size));
  const ivs = sizes.map(() => newIv());
  const sealed = Buffer.concat(plains.map((plain, i) => createCipheriv('aes-256-ctr', key, ivs[i] ?? Buffer.alloc(16)).update(plain)));
  return { plain: Buffer.concat(plains), sealed, segments: sizes.map((size, i) => ({ size, iv: (ivs[i] ?? Buffer.alloc(16)).toString('base64') })) };
}

describe('SegmentCipher', () => {
  it('decrypts every range of content made of segments (odd sizes, an empty segment, block-unaligned starts)', () => {
    const { plain, sealed, segments } = sealedSegments([37, 0, 100, 16, 5]);
    for (let start = 0; start <= plain.length; start += 3) {
      for (const end of [start, Math.min(plain.length, start + 17), plain.length]) {
        const got = new SegmentCipher(key, segments, start).update(sealed.subarray(start, end));
        assert.deepEqual(got, plain.subarray(start, end), `range ${start}-${end}`);
      }
    }
  });

  it('takes the bytes in chunks that cross segment boundaries', () => {
    const { plain, sealed, segments } = sealedSegments([10, 30, 7]);
    const cipher = new SegmentCipher(key, segments, 4);
    const got = Buffer.concat([cipher.update(sealed.subarray(4, 12)), cipher.update(sealed.subarray(12, 45)), cipher.update(sealed.subarray(45))]);
    assert.deepEqual(got, plain.subarray(4));
  });

  it('counts the counter block past 2^64 as OpenSSL does (a carry into the high half)', () => {
    const iv = Buffer.from('00000000000000ffffffffffffffffff', 'hex');
    const plain = randomBytes(64);
    const sealed = createCipheriv('aes-256-ctr', key, iv).update(plain);
    const segments = [{ size: 64, iv: iv.toString('base64') }];
    assert.deepEqual(new SegmentCipher(key, segments, 33).update(sealed.subarray(33)), plain.subarray(33));
  });

  it('refuses more bytes than its segments describe instead of passing them through', () => {
    const { sealed, segments } = sealedSegments([8]);
    assert.throws(() => new SegmentCipher(key, segments, 0).update(Buffer.concat([sealed, Buffer.alloc(1)])), /longer than its cipher segments/);
  });

  it('works as a stream stage', async () => {
    const { plain, sealed, segments } = sealedSegments([1000, 24]);
    const chunks: Buffer[] = [];
    for await (const chunk of Readable.from([sealed.subarray(100, 600), sealed.subarray(600)]).pipe(cipherStream(key, segments, 100))) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), plain.subarray(100));
  });
});
