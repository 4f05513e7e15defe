// Object bytes as files: streamed to tmp/, hashed on the fly, fsynced, renamed into blobs/<shard>/.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cosError } from '../../errors/cos-error.ts';
import { Crc64 } from '../../util/crc64.ts';
import type { BlobExpectation, BlobStore, ByteRange, WrittenBlob } from '../blobs.ts';
import type { SyncBatcher } from './sync-batcher.ts';

// Refs are generated here, never derived from object keys, so no key can name a path.
const REF = /^[0-9a-f]\/[0-9a-f-]{36}$/;
const SHARDS = '0123456789abcdef';

export class FsBlobStore implements BlobStore {
  readonly #tmp: string;
  readonly #blobs: string;
  readonly #batcher: SyncBatcher;

  private constructor(root: string, batcher: SyncBatcher) {
    this.#tmp = join(root, 'tmp');
    this.#blobs = join(root, 'blobs');
    this.#batcher = batcher;
  }

  static async open(root: string, batcher: SyncBatcher): Promise<FsBlobStore> {
    const store = new FsBlobStore(root, batcher);
    await mkdir(store.#tmp, { recursive: true });
    await Promise.all([...SHARDS].map((s) => mkdir(join(store.#blobs, s), { recursive: true })));
    return store;
  }

  async write(body: Readable, expect: BlobExpectation): Promise<WrittenBlob> {
    const id = randomUUID();
    const tmpPath = join(this.#tmp, id);
    const md5 = createHash('md5');
    const crc = new Crc64();
    let size = 0;
    const hasher = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        crc.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      // flush: the stream fsyncs before closing, saving a reopen just to sync.
      await pipeline(body, hasher, createWriteStream(tmpPath, { flags: 'wx', flush: true }));
      if (expect.size !== undefined && size !== expect.size) {
        throw cosError('IncompleteBody', { detail: `got ${size} of ${expect.size} bytes` });
      }
      const digest = md5.digest();
      if (expect.md5Base64 !== undefined && digest.toString('base64') !== expect.md5Base64) {
        throw cosError('BadDigest', { detail: `body md5 ${digest.toString('base64')} != ${expect.md5Base64}` });
      }
      const shard = id[0] ?? '0';
      const ref = `${shard}/${id}`;
      await rename(tmpPath, this.#path(ref));
      // The rename is durable only once its directory is synced; concurrent writes share that fsync.
      await this.#batcher.sync(join(this.#blobs, shard));
      return { ref, size, md5Hex: digest.toString('hex'), crc64: crc.digest() };
    } catch (error) {
      await rm(tmpPath, { force: true });
      throw error;
    }
  }

  read(ref: string, range?: ByteRange): Readable {
    return createReadStream(this.#path(ref), range ? { start: range.start, end: range.end } : {});
  }

  async delete(ref: string): Promise<void> {
    await rm(this.#path(ref), { force: true });
  }

  async sweep(inUse: (ref: string) => Promise<boolean>): Promise<{ removed: number }> {
    let removed = 0;
    for (const name of await readdir(this.#tmp)) {
      await rm(join(this.#tmp, name), { force: true, recursive: true });
      removed++;
    }
    for (const shard of SHARDS) {
      for (const name of await readdir(join(this.#blobs, shard))) {
        const ref = `${shard}/${name}`;
        if (!REF.test(ref) || !(await inUse(ref))) {
          await unlink(join(this.#blobs, shard, name));
          removed++;
        }
      }
    }
    return { removed };
  }

  #path(ref: string): string {
    if (!REF.test(ref)) throw new Error(`invalid blob ref ${JSON.stringify(ref)}`);
    return join(this.#blobs, ref);
  }
}
