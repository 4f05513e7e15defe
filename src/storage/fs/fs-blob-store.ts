// Object bytes as files: streamed to blobs/<shard>/<fresh uuid> (blob-file-sink.ts: hashed on the fly, fsynced).
// A composed blob (a completed multipart upload) is a manifest file listing hard links to its pieces.
//
// A blob is written in place under a name nothing refers to yet: the metadata commit that follows is what
// makes it an object, so a crash mid-write leaves only an unreferenced file, which the sweep at start
// removes (no temporary file and rename needed: that was one more thread-pool call and journal entry per PUT).
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { verifyWritten, type BlobExpectation, type BlobPiece, type BlobStore, type ByteRange, type WrittenBlob } from '../blobs.ts';
import type { HashPool } from '../hash/hash-pool.ts';
import { BlobFileSink } from './blob-file-sink.ts';
import { DeferredDeletes } from './deferred-deletes.ts';
import { FileReader, type FileSegment } from './file-reader.ts';
import type { SyncBatcher } from './sync-batcher.ts';

// Refs are generated here, never derived from object keys, so no key can name a path.
const REF = /^[0-9a-f]\/[0-9a-f-]{36}$/;
// A composed blob's manifest: one `<piece ref> <size>` line per piece, in order.
const MANIFEST_REF = /^[0-9a-f]\/[0-9a-f-]{36}\.parts$/;
const SHARDS = '0123456789abcdef';
/** Links made at once while composing: enough to keep the thread pool busy, few enough to leave it to others. */
const LINK_BATCH = 64;

const shardOf = (ref: string): string => ref.slice(0, 1);
/**
 * New blobs fill one shard directory at a time, moving on every this many writes: a new file is durable
 * only once its directory is fsynced, and concurrent writes into one directory share that fsync (a random
 * shard per blob split 64 concurrent small PUTs 16 ways, so nearly every PUT paid a directory fsync of
 * its own). Shards still fill evenly over time.
 */
const WRITES_PER_SHARD = 256;
export class FsBlobStore implements BlobStore {
  readonly #tmp: string;
  readonly #blobs: string;
  readonly #batcher: SyncBatcher;
  readonly #hashers: HashPool;
  readonly #deletes: DeferredDeletes;
  #writes = 0;

  private constructor(root: string, batcher: SyncBatcher, hashers: HashPool, onDeleteError: (ref: string, error: unknown) => void) {
    this.#tmp = join(root, 'tmp');
    this.#blobs = join(root, 'blobs');
    this.#batcher = batcher;
    this.#hashers = hashers;
    this.#deletes = new DeferredDeletes((ref) => this.#remove(ref), onDeleteError);
  }

  /** `onDeleteError` hears of a background delete that failed (the file stays until the next start's sweep). */
  static async open(root: string, batcher: SyncBatcher, hashers: HashPool, onDeleteError: (ref: string, error: unknown) => void): Promise<FsBlobStore> {
    const store = new FsBlobStore(root, batcher, hashers, onDeleteError);
    await Promise.all([...SHARDS].map((s) => mkdir(join(store.#blobs, s), { recursive: true })));
    return store;
  }

  async write(body: Readable, expect: BlobExpectation): Promise<WrittenBlob> {
    const ref = this.#newRef();
    const path = this.#path(ref);
    const file = new BlobFileSink(path, this.#hashers.hasherFor(expect.size, expect.ownedChunks), expect.check);
    try {
      await pipeline(body, file);
      const digests = await file.digests();
      await verifyWritten(expect, file.size, digests.md5Hex);
      // The new name is durable only once its directory is synced; concurrent writes share that fsync.
      await this.#batcher.sync(join(this.#blobs, shardOf(ref)));
      return { ref, size: file.size, md5Hex: digests.md5Hex, crc64: digests.crc64 };
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /**
   * Hard links give the composed blob its own names for the pieces' files: no byte is copied, and
   * the upload's part files can be removed (or swept) independently of the object made from them.
   * The links and the manifest are durable before this resolves; until metadata refers to the
   * manifest, a crash leaves them unreferenced and the start-up sweep removes them.
   */
  async compose(pieces: readonly BlobPiece[]): Promise<string> {
    const links = pieces.map(() => this.#newRef());
    const manifest = this.#newRef('.parts');
    const made: string[] = [];
    try {
      for (let i = 0; i < pieces.length; i += LINK_BATCH) {
        // allSettled: every link of the batch has landed (or failed) before a failure cleans up.
        const results = await Promise.allSettled(
          pieces.slice(i, i + LINK_BATCH).map(async (piece, j) => {
            const target = links[i + j] ?? '';
            await link(this.#path(piece.ref), this.#path(target));
            made.push(target);
          }),
        );
        const failure = results.find((r) => r.status === 'rejected');
        if (failure) throw failure.reason;
      }
      const text = pieces.map((piece, i) => `${links[i] ?? ''} ${piece.size}\n`).join('');
      made.push(manifest);
      await writeFile(this.#path(manifest), text, { flag: 'wx', flush: true });
      const shards = new Set([...links, manifest].map(shardOf));
      await Promise.all([...shards].map((shard) => this.#batcher.sync(join(this.#blobs, shard))));
      return manifest;
    } catch (error) {
      await Promise.all(made.map((ref) => rm(this.#path(ref), { force: true })));
      throw error;
    }
  }

  read(ref: string, range?: ByteRange): Readable {
    const path = this.#path(ref);
    if (!MANIFEST_REF.test(ref)) return new FileReader(async () => [{ path, start: range?.start ?? 0, end: range?.end ?? Infinity }]);
    return new FileReader(async () => this.#pieceSegments(ref, range));
  }

  /** The ranges of a composed blob's pieces that `range` covers (all of each without one), in order. */
  async #pieceSegments(ref: string, range: ByteRange | undefined): Promise<FileSegment[]> {
    const segments: FileSegment[] = [];
    let offset = 0;
    for (const piece of await this.#manifest(ref)) {
      const pieceStart = offset;
      offset += piece.size;
      const start = Math.max(range?.start ?? 0, pieceStart);
      const end = Math.min(range?.end ?? Infinity, offset - 1);
      if (start <= end) segments.push({ path: this.#path(piece.ref), start: start - pieceStart, end: end - pieceStart });
    }
    return segments;
  }

  async #manifest(ref: string): Promise<BlobPiece[]> {
    const text = await readFile(this.#path(ref), 'utf8');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [piece = '', size = ''] = line.split(' ');
        return { ref: piece, size: Number(size) };
      });
  }

  /** Frees the blob in the background (deferred-deletes.ts says why). */
  async delete(ref: string): Promise<void> {
    this.#path(ref); // an invalid ref fails its caller, not the background delete
    await this.#deletes.add(ref);
  }

  idle(): Promise<void> {
    return this.#deletes.idle();
  }

  close(): Promise<void> {
    return this.#deletes.stop();
  }

  /**
   * A composed blob goes manifest first: a crash mid-way leaves only unreferenced pieces, which the sweep
   * removes. Its pieces go one by one, like separate deletes, so a large upload's pieces never take the
   * whole thread pool from the requests.
   */
  async #remove(ref: string): Promise<void> {
    if (!MANIFEST_REF.test(ref)) {
      await rm(this.#path(ref), { force: true });
      return;
    }
    let pieces: BlobPiece[];
    try {
      pieces = await this.#manifest(ref);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await rm(this.#path(ref), { force: true });
    for (const piece of pieces) await rm(this.#path(piece.ref), { force: true });
  }

  async sweep(inUse: (ref: string) => Promise<boolean>): Promise<{ removed: number }> {
    let removed = 0;
    // Earlier versions streamed into tmp/ and renamed; whatever a crash left there is debris.
    await rm(this.#tmp, { force: true, recursive: true });
    // Pieces of composed blobs still in use are in use too; manifests nothing refers to go first.
    const pieces = new Set<string>();
    for (const shard of SHARDS) {
      for (const name of await readdir(join(this.#blobs, shard))) {
        const ref = `${shard}/${name}`;
        if (!MANIFEST_REF.test(ref)) continue;
        if (await inUse(ref)) {
          for (const piece of await this.#manifest(ref)) pieces.add(piece.ref);
        } else {
          await unlink(join(this.#blobs, shard, name));
          removed++;
        }
      }
    }
    for (const shard of SHARDS) {
      for (const name of await readdir(join(this.#blobs, shard))) {
        const ref = `${shard}/${name}`;
        if (MANIFEST_REF.test(ref) || pieces.has(ref)) continue;
        if (!REF.test(ref) || !(await inUse(ref))) {
          await unlink(join(this.#blobs, shard, name));
          removed++;
        }
      }
    }
    return { removed };
  }

  /** A fresh name in the shard currently being filled (WRITES_PER_SHARD). */
  #newRef(suffix = ''): string {
    const shard = SHARDS[Math.floor(this.#writes++ / WRITES_PER_SHARD) % SHARDS.length] ?? '0';
    return `${shard}/${randomUUID()}${suffix}`;
  }

  #path(ref: string): string {
    if (!REF.test(ref) && !MANIFEST_REF.test(ref)) throw new Error(`invalid blob ref ${JSON.stringify(ref)}`);
    return join(this.#blobs, ref);
  }
}
