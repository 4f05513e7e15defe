// Object bytes as files: streamed to blobs/<shard>/<fresh uuid> (blob-file-sink.ts: hashed on the fly, fsynced).
// A composed blob (a completed multipart upload) is a manifest file listing hard links to its pieces.
//
// A blob is written in place under its reserved name (blob-keeper.ts): the metadata commit that follows is
// what makes it an object, so a crash mid-write leaves a reserved file, which the collector frees (no
// temporary file and rename needed: that was one more thread-pool call and journal entry per PUT).
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { verifyWritten, type BlobExpectation, type BlobPiece, type BlobStore, type ByteRange, type WrittenBlob } from '../blobs.ts';
import type { HashPool } from '../hash/hash-pool.ts';
import { BlobFileSink } from './blob-file-sink.ts';
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
  readonly #blobs: string;
  readonly #batcher: SyncBatcher;
  readonly #hashers: HashPool;
  #writes = 0;
  readonly compose: BlobStore['compose'];

  private constructor(root: string, batcher: SyncBatcher, hashers: HashPool, links: boolean) {
    this.#blobs = join(root, 'blobs');
    this.#batcher = batcher;
    this.#hashers = hashers;
    if (links) this.compose = (ref, pieces) => this.#compose(ref, pieces);
  }

  static async open(root: string, batcher: SyncBatcher, hashers: HashPool): Promise<FsBlobStore> {
    const blobs = join(root, 'blobs');
    await Promise.all([...SHARDS].map((s) => mkdir(join(blobs, s), { recursive: true })));
    return new FsBlobStore(root, batcher, hashers, await hardLinksWork(blobs));
  }

  newRef(kind: 'plain' | 'composed'): string {
    const shard = SHARDS[Math.floor(this.#writes++ / WRITES_PER_SHARD) % SHARDS.length] ?? '0';
    return `${shard}/${randomUUID()}${kind === 'composed' ? '.parts' : ''}`;
  }

  async write(ref: string, body: Readable, expect: BlobExpectation): Promise<WrittenBlob> {
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
   * the upload's part files can be removed independently of the object made from them. The manifest
   * goes first, so that whatever a failure or a crash leaves is reachable from the (reserved) manifest
   * and freed with it; the links and the manifest are durable before this resolves. A composed piece
   * (Append Object grows a composed object) gives its own pieces: a link to its manifest would be text.
   */
  async #compose(manifest: string, composedOf: readonly BlobPiece[]): Promise<void> {
    const pieces = (await Promise.all(composedOf.map((p) => (MANIFEST_REF.test(p.ref) ? this.#manifest(p.ref) : [p])))).flat();
    const links = pieces.map(() => this.newRef('plain'));
    const text = pieces.map((piece, i) => `${links[i] ?? ''} ${piece.size}\n`).join('');
    await writeFile(this.#path(manifest), text, { flag: 'wx', flush: true });
    for (let i = 0; i < pieces.length; i += LINK_BATCH) {
      // allSettled: every link of the batch has landed (or failed) before a failure is reported.
      const results = await Promise.allSettled(
        pieces.slice(i, i + LINK_BATCH).map((piece, j) => link(this.#path(piece.ref), this.#path(links[i + j] ?? ''))),
      );
      const failure = results.find((r) => r.status === 'rejected');
      if (failure) throw failure.reason;
    }
    const shards = new Set([...links, manifest].map(shardOf));
    await Promise.all([...shards].map((shard) => this.#batcher.sync(join(this.#blobs, shard))));
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

  /**
   * A composed blob's pieces go before its manifest, so a delete cut short can be done again. Its pieces
   * go one by one, like separate deletes, so a large upload's pieces never take the whole thread pool
   * from the requests.
   */
  async delete(ref: string): Promise<void> {
    const path = this.#path(ref);
    if (MANIFEST_REF.test(ref)) {
      let pieces: BlobPiece[];
      try {
        pieces = await this.#manifest(ref);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const piece of pieces) await rm(this.#path(piece.ref), { force: true });
    }
    await rm(path, { force: true });
  }

  #path(ref: string): string {
    if (!REF.test(ref) && !MANIFEST_REF.test(ref)) throw new Error(`invalid blob ref ${JSON.stringify(ref)}`);
    return join(this.#blobs, ref);
  }
}

/**
 * Whether this file system makes hard links (compose's way to share bytes); some (FAT, some network and
 * container mounts) refuse them, and then the keeper copies parts instead.
 */
async function hardLinksWork(blobs: string): Promise<boolean> {
  const probe = join(blobs, `link-probe-${randomUUID()}`);
  try {
    await writeFile(probe, '');
    await link(probe, `${probe}.link`);
    return true;
  } catch {
    return false;
  } finally {
    await Promise.all([rm(probe, { force: true }), rm(`${probe}.link`, { force: true })]);
  }
}
