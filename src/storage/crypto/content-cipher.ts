// AES-256-CTR over stored bytes. CTR keeps a byte's ciphertext at its plaintext's offset, so sizes stay
// as they are and a range is decrypted on its own: its counter block is the segment's IV plus the range's
// block offset. Every segment (a PUT's body, a part) gets a fresh random IV, so no keystream is reused.
import { createCipheriv, randomBytes, type Cipher } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { CipherSegment } from '../../domain/encryption.ts';

const BLOCK_BYTES = 16;

/** A fresh initial counter block for a new segment. */
export const newIv = (): Buffer => randomBytes(BLOCK_BYTES);

/** A keystream `offset` bytes into a segment: the counter advanced by whole blocks, then the rest of a block skipped. */
function keystreamAt(key: Buffer, iv: Buffer, offset: number): Cipher {
  // OpenSSL's CTR increments the whole 128-bit block, big-endian; so does this.
  const start = BigInt.asUintN(128, ((iv.readBigUInt64BE(0) << 64n) | iv.readBigUInt64BE(8)) + BigInt(Math.floor(offset / BLOCK_BYTES)));
  const counter = Buffer.alloc(BLOCK_BYTES);
  counter.writeBigUInt64BE(start >> 64n, 0);
  counter.writeBigUInt64BE(BigInt.asUintN(64, start), 8);
  const cipher = createCipheriv('aes-256-ctr', key, counter);
  cipher.update(Buffer.alloc(offset % BLOCK_BYTES));
  return cipher;
}

/**
 * Encrypts (or, the same operation in CTR, decrypts) bytes at increasing offsets of content made of
 * segments, starting at `start`: each byte goes through the keystream of the segment it falls in.
 */
export class SegmentCipher {
  readonly #key: Buffer;
  readonly #segments: readonly CipherSegment[];
  #index = -1;
  #segmentEnd = 0;
  #cipher: Cipher | undefined;
  /** The offset of the next byte in the content. */
  #position = 0;

  constructor(key: Buffer, segments: readonly CipherSegment[], start: number) {
    this.#key = key;
    this.#segments = segments;
    // Skip to the segment holding `start`; nothing is opened if the content ends there (an empty range).
    while (this.#index + 1 < segments.length) {
      const next = segments[this.#index + 1];
      if (!next || start < this.#segmentEnd + next.size) break;
      this.#index++;
      this.#segmentEnd += next.size;
    }
    if (this.#index + 1 < segments.length) this.#open(start - this.#segmentEnd);
  }

  update(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    for (let at = 0; at < chunk.length; ) {
      const cipher = this.#cipher;
      if (!cipher) throw new Error('the content is longer than its cipher segments');
      const take = Math.min(chunk.length - at, this.#segmentEnd - this.#position);
      out.push(cipher.update(chunk.subarray(at, at + take)));
      at += take;
      this.#position += take;
      if (this.#position === this.#segmentEnd) this.#next();
    }
    return out.length === 1 ? (out[0] ?? Buffer.alloc(0)) : Buffer.concat(out);
  }

  /** Opens segment #index+1 at `offset` into it. */
  #open(offset: number): void {
    this.#index++;
    const segment = this.#segments[this.#index];
    if (!segment) {
      this.#cipher = undefined;
      return;
    }
    const segmentStart = this.#segmentEnd;
    this.#segmentEnd = segmentStart + segment.size;
    this.#position = segmentStart + offset;
    this.#cipher = segment.size > offset ? keystreamAt(this.#key, Buffer.from(segment.iv, 'base64'), offset) : undefined;
    // An empty segment (an empty part) holds no byte: go on to the next.
    if (segment.size === 0) this.#next();
  }

  #next(): void {
    this.#open(0);
  }
}

/** A stream stage through SegmentCipher. */
export function cipherStream(key: Buffer, segments: readonly CipherSegment[], start: number): Transform {
  const cipher = new SegmentCipher(key, segments, start);
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      try {
        done(null, cipher.update(chunk));
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
