// An object's bytes: small ones inline in the metadata store, the rest in the blob store.
//
// A blob file costs a 4 KiB PUT a file create, write, fsync and close plus its share of a directory
// fsync, and a GET an open, read and close, each a thread-pool round trip. Kept in the metadata store,
// a small object's bytes ride the commit its metadata needs anyway (one group-committed WAL fsync for
// many objects) and come back with the lookup GET makes anyway. MinIO inlines small objects into its
// metadata for the same reason. Only bodies of known length up to the cap go inline, so the bytes a
// request holds in memory are bounded (64 concurrent uploads: 4 MiB at most).
import { Readable } from 'node:stream';
import { cosError } from '../errors/cos-error.ts';
import type { ObjectContent } from '../domain/object.ts';
import type { BlobKeeper } from './blob-keeper.ts';
import { verifyWritten, type BlobExpectation, type ByteRange } from './blobs.ts';
import { inlineHasher } from './hash/hash-pool.ts';

/** Objects up to this size (by Content-Length, or a copy source's size) keep their bytes in metadata. */
export const INLINE_CONTENT_MAX_BYTES = 64 * 1024;

export interface WrittenContent {
  content: ObjectContent;
  size: number;
  md5Hex: string;
  crc64: string;
}

export const asStream = (body: Buffer | Readable): Readable => (Buffer.isBuffer(body) ? Readable.from([body]) : body);

/** Stores a body inline or as a blob (see above), hashed and checked against `expect` either way. */
export async function writeContent(blobs: BlobKeeper, body: Buffer | Readable, expect: BlobExpectation): Promise<WrittenContent> {
  if (expect.size !== undefined && expect.size <= INLINE_CONTENT_MAX_BYTES) return readInline(body, { ...expect, size: expect.size });
  const written = await blobs.write(asStream(body), expect);
  return { content: { blob: written.ref }, size: written.size, md5Hex: written.md5Hex, crc64: written.crc64 };
}

/** The bytes (or one range of them): inline content as it is, a blob as a stream. */
export function readContent(blobs: BlobKeeper, content: ObjectContent, range?: ByteRange): Buffer | Readable {
  if ('blob' in content) return blobs.read(content.blob, range);
  return range ? content.inline.subarray(range.start, range.end + 1) : content.inline;
}

/** Gives up content that was never committed: a blob goes to the collector; inline bytes were never stored. */
export async function dropContent(blobs: BlobKeeper, content: ObjectContent): Promise<void> {
  if ('blob' in content) await blobs.discard(content.blob);
}

async function readInline(body: Buffer | Readable, expect: BlobExpectation & { size: number }): Promise<WrittenContent> {
  const hasher = inlineHasher();
  const chunks: Buffer[] = [];
  let size = 0;
  const take = (chunk: Buffer): void => {
    size += chunk.length;
    // HTTP framing stops a body at its Content-Length; this only bounds memory should a decoder not.
    if (size > expect.size) throw cosError('IncompleteBody', { detail: `more than ${expect.size} bytes` });
    expect.check?.update(chunk);
    hasher.update(chunk);
    chunks.push(chunk);
  };
  if (Buffer.isBuffer(body)) take(body);
  else for await (const chunk of body as AsyncIterable<Buffer>) take(chunk);
  const { md5Hex, crc64 } = await hasher.digest();
  await verifyWritten(expect, size, md5Hex);
  const inline = chunks.length === 1 ? (chunks[0] ?? Buffer.alloc(0)) : Buffer.concat(chunks, size);
  return { content: { inline }, size, md5Hex, crc64 };
}
