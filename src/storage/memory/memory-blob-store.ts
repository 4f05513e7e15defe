// Object bytes in memory (--in-memory): each blob is a list of buffers of the store's own, hashed while
// they stream in as the file store hashes (hash-pool.ts); a composed blob shares its pieces' buffers.
import { randomUUID } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { verifyWritten, type BlobExpectation, type BlobPiece, type BlobStore, type ByteRange, type WrittenBlob } from '../blobs.ts';
import type { BodyDigests, BodyHasher, HashPool } from '../hash/hash-pool.ts';

/** Bytes are kept in buffers of up to this size: few enough buffers for a large body, little slack at its end. */
const SLAB_BYTES = 1024 * 1024;

interface StoredBlob {
  /** Never empty buffers, never changed once stored: readers and composed blobs share them. */
  readonly chunks: readonly Buffer[];
  readonly size: number;
}

/** What compose() and read() throw for a blob that is gone: ENOENT, as the file store's link() and open(). */
const missing = (ref: string): NodeJS.ErrnoException => Object.assign(new Error(`ENOENT: no blob ${ref}`), { code: 'ENOENT' });

export class MemoryBlobStore implements BlobStore {
  readonly #hashers: HashPool;
  readonly #blobs = new Map<string, StoredBlob>();

  constructor(hashers: HashPool) {
    this.#hashers = hashers;
  }

  /** Any fresh name: a composed blob is stored like any other (its own list of the pieces' buffers). */
  newRef(): string {
    return randomUUID();
  }

  async write(ref: string, body: Readable, expect: BlobExpectation): Promise<WrittenBlob> {
    const sink = new MemoryBlobSink(this.#hashers.hasherFor(expect.size, expect.ownedChunks), expect);
    await pipeline(body, sink);
    const { md5Hex, crc64 } = await sink.digests();
    await verifyWritten(expect, sink.size, md5Hex);
    this.#blobs.set(ref, { chunks: sink.chunks, size: sink.size });
    return { ref, size: sink.size, md5Hex, crc64 };
  }

  /**
   * The new blob refers to the pieces' buffers, so deleting a piece leaves it whole, and no byte is copied.
   * A property (BlobStore's contract): the keeper calls it unbound.
   */
  readonly compose = async (ref: string, pieces: readonly BlobPiece[]): Promise<void> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for (const piece of pieces) {
      const blob = this.#blobs.get(piece.ref);
      if (!blob) throw missing(piece.ref);
      chunks.push(...blob.chunks);
      size += blob.size;
    }
    this.#blobs.set(ref, { chunks, size });
  };

  /** Streams views of the stored buffers (a range's slices of them), never one concatenated copy. */
  read(ref: string, range?: ByteRange): Readable {
    const blob = this.#blobs.get(ref);
    if (!blob) return new Readable({ read: () => undefined }).destroy(missing(ref));
    return Readable.from(slices(blob.chunks, range?.start ?? 0, range?.end ?? Infinity), { objectMode: false });
  }

  /** The buffers go once no other blob (a composed one, or one it was composed of) and no read shares them. */
  async delete(ref: string): Promise<void> {
    this.#blobs.delete(ref);
  }
}

/** The parts of `chunks` between byte offsets `start` and `end` (inclusive), in order. */
function* slices(chunks: readonly Buffer[], start: number, end: number): Generator<Buffer> {
  let offset = 0;
  for (const chunk of chunks) {
    const next = offset + chunk.length;
    if (next > start) yield chunk.subarray(Math.max(0, start - offset), Math.min(chunk.length, end - offset + 1));
    offset = next;
    if (offset > end) return;
  }
}

/**
 * Copies a body into buffers of its own as it arrives (a request's chunks are views of its socket's
 * buffers, which must not be kept), then hands each chunk on to the hasher, which may take the chunk's
 * memory (BlobExpectation.ownedChunks) now that it is copied.
 */
class MemoryBlobSink extends Writable {
  readonly #hasher: BodyHasher;
  readonly #expect: BlobExpectation;
  readonly chunks: Buffer[] = [];
  #size = 0;
  #slab: Buffer | undefined;
  #filled = 0;
  #digests: Promise<BodyDigests> | undefined;

  constructor(hasher: BodyHasher, expect: BlobExpectation) {
    super();
    this.#hasher = hasher;
    this.#expect = expect;
  }

  get size(): number {
    return this.#size;
  }

  /** Only after the stream has finished. */
  digests(): Promise<BodyDigests> {
    return this.#digests ?? Promise.reject(new Error('blob body did not finish'));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    let room: Promise<void> | undefined;
    try {
      this.#expect.check?.update(chunk);
      this.#copy(chunk);
      room = this.#hasher.update(chunk);
    } catch (error) {
      return callback(error as Error);
    }
    if (room) room.then(() => callback(), callback);
    else callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#endSlab();
    this.#digests = this.#hasher.digest();
    this.#digests.then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error) this.#hasher.abort();
    callback(error);
  }

  #copy(chunk: Buffer): void {
    for (let at = 0; at < chunk.length; ) {
      if (this.#slab === undefined) {
        // Sized to what Content-Length says is left, so a body of known length ends without slack.
        const left = (this.#expect.size ?? 0) - this.#size;
        this.#slab = Buffer.allocUnsafeSlow(left > 0 ? Math.min(SLAB_BYTES, left) : SLAB_BYTES);
      }
      const copied = chunk.copy(this.#slab, this.#filled, at);
      at += copied;
      this.#filled += copied;
      this.#size += copied;
      if (this.#filled === this.#slab.length) this.#endSlab();
    }
  }

  /** Keeps the slab being filled; a partly filled one (the end of a body of unknown length) is trimmed to its bytes. */
  #endSlab(): void {
    const slab = this.#slab;
    if (slab === undefined || this.#filled === 0) return;
    if (this.#filled === slab.length) this.chunks.push(slab);
    else {
      const trimmed = Buffer.allocUnsafeSlow(this.#filled);
      slab.copy(trimmed, 0, 0, this.#filled);
      this.chunks.push(trimmed);
    }
    this.#slab = undefined;
    this.#filled = 0;
  }
}
