// The write end of a blob file: appends a body to a new file, hashes each chunk once it is written,
// syncs while the body streams, and fsyncs before it finishes.
//
// Hashing after the write (not before) lets the hasher take a chunk for good: the file no longer needs
// it, so an owned chunk's memory moves to the hash worker instead of being copied (hash-pool.ts says why
// that matters). One Writable does what a hashing Transform and fs.WriteStream did, one stream stage fewer.
import { close, fdatasync, fsync, open, writev } from 'node:fs';
import { Writable } from 'node:stream';
import type { BlobExpectation } from '../blobs.ts';
import type { BodyDigests, BodyHasher } from '../hash/hash-pool.ts';

/**
 * Buffering between the socket and the file. With the 16 KiB default every 64 KiB socket chunk stalls
 * the socket until its file write returns; 1 MiB lets reads, writes and hashing overlap (and batches
 * chunks into one writev). Measured: 1 GiB PUT without hashing ~340 -> ~640 MB/s.
 */
const STREAM_BUFFER_BYTES = 1024 * 1024;
/**
 * A large body is synced while it streams, each time this many more bytes have been written (RocksDB's
 * bytes_per_sync): the disk writes back while the rest arrives and hashes, instead of the whole body
 * waiting in the page cache for the final fsync. Measured on a 1 GiB PUT: that final fsync alone took
 * 0.4-1 s after the last byte arrived. The final fsync still makes the body durable.
 */
const SYNC_EVERY_BYTES = 32 * 1024 * 1024;

export class BlobFileSink extends Writable {
  readonly #path: string;
  readonly #hasher: BodyHasher;
  readonly #check: BlobExpectation['check'];
  #fd: number | undefined;
  #size = 0;
  #syncedAt = 0;
  /** The write (with its hashing) or in-stream sync under way: the descriptor is closed only after both. */
  #writing: Promise<void> = Promise.resolve();
  #syncing: Promise<void> | undefined;
  #digests: Promise<BodyDigests> | undefined;

  /** `path` must not exist yet (opened with O_EXCL). */
  constructor(path: string, hasher: BodyHasher, check: BlobExpectation['check']) {
    super({ highWaterMark: STREAM_BUFFER_BYTES });
    this.#path = path;
    this.#hasher = hasher;
    this.#check = check;
  }

  /** Bytes written so far (all of them once the stream has finished). */
  get size(): number {
    return this.#size;
  }

  /** The body's digests; only after the stream has finished. */
  digests(): Promise<BodyDigests> {
    if (!this.#digests) return Promise.reject(new Error('blob body did not finish'));
    return this.#digests;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.#path, 'wx', (error, fd) => {
      this.#fd = fd;
      callback(error);
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#append([chunk], callback);
  }

  override _writev(entries: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.#append(
      entries.map((entry) => entry.chunk),
      callback,
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    // The last batch hashes while the file is fsynced.
    this.#digests = this.#hasher.digest();
    this.#digests.catch(() => undefined);
    const fd = this.#descriptor();
    void Promise.resolve(this.#syncing).then(() => fsync(fd, (error) => callback(error)));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error) this.#hasher.abort();
    // Closing under a write or sync still using the descriptor could let them reach whichever file gets
    // its number next.
    void Promise.allSettled([this.#writing, this.#syncing]).then(() => {
      if (this.#fd === undefined) return callback(error);
      close(this.#fd, (closeError) => callback(error ?? closeError));
    });
  }

  #append(chunks: Buffer[], callback: (error?: Error | null) => void): void {
    for (const chunk of chunks) {
      this.#size += chunk.length;
      this.#check?.update(chunk);
    }
    this.#writing = writeAll(this.#descriptor(), chunks).then(async () => {
      this.#syncSoFar();
      for (const chunk of chunks) {
        const room = this.#hasher.update(chunk);
        if (room) await room;
      }
    });
    this.#writing.then(() => callback(), callback);
  }

  #syncSoFar(): void {
    if (this.#syncing || this.#size - this.#syncedAt < SYNC_EVERY_BYTES) return;
    this.#syncedAt = this.#size;
    const fd = this.#descriptor();
    // Best effort, errors ignored: the final fsync, which is awaited, reports any failure.
    this.#syncing = new Promise<void>((resolve) => fdatasync(fd, () => resolve())).then(() => {
      this.#syncing = undefined;
    });
  }

  #descriptor(): number {
    if (this.#fd === undefined) throw new Error('blob file is not open');
    return this.#fd;
  }
}

/** writev until every byte is written (a write may take fewer bytes than it was given). */
function writeAll(fd: number, chunks: readonly Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const next = (rest: readonly Buffer[]): void => {
      writev(fd, rest, (error, written) => {
        if (error) return reject(error);
        const left = dropBytes(rest, written);
        if (left.length === 0) resolve();
        else next(left);
      });
    };
    next(chunks);
  });
}

function dropBytes(chunks: readonly Buffer[], count: number): Buffer[] {
  const left: Buffer[] = [];
  for (const chunk of chunks) {
    if (count >= chunk.length) count -= chunk.length;
    else {
      left.push(count > 0 ? chunk.subarray(count) : chunk);
      count = 0;
    }
  }
  return left;
}
