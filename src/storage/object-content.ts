// An object's bytes: small ones inline in the metadata store, the rest in the blob store.
//
// A blob file costs a 4 KiB PUT a file create, write, fsync and close plus its share of a directory
// fsync, and a GET an open, read and close, each a thread-pool round trip. Kept in the metadata store,
// a small object's bytes ride the commit its metadata needs anyway (one group-committed WAL fsync for
// many objects) and come back with the lookup GET makes anyway. MinIO inlines small objects into its
// metadata for the same reason. Only bodies of known length up to the cap go inline, so the bytes a
// request holds in memory are bounded (64 concurrent uploads: 4 MiB at most).
import { createCipheriv, createHash } from 'node:crypto';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import { cosError } from '../errors/cos-error.ts';
import { etagFor, type Encryption, type SseScheme } from '../domain/encryption.ts';
import type { ObjectContent } from '../domain/object.ts';
import type { BlobKeeper } from './blob-keeper.ts';
import { verifyWritten, type BlobExpectation, type ByteRange } from './blobs.ts';
import { cipherStream, newIv, SegmentCipher } from './crypto/content-cipher.ts';
import { inlineHasher, type BodyDigests } from './hash/hash-pool.ts';

/** Objects up to this size (by Content-Length, or a copy source's size) keep their bytes in metadata. */
export const INLINE_CONTENT_MAX_BYTES = 64 * 1024;

export interface WrittenContent {
  content: ObjectContent;
  size: number;
  /** Of the body as sent (the plaintext), as is crc64. */
  md5Hex: string;
  crc64: string;
  /** Quoted, as the ETag header sends it (domain/encryption.ts etagFor). */
  etag: string;
  /** Absent when stored as sent. */
  encryption?: Encryption;
}

/** How to encrypt a body as it is stored: the key, and the scheme the record names. */
export interface Seal {
  key: Buffer;
  scheme: SseScheme;
}

/** Stored bytes as a version records them: where they are, and how they are encrypted. */
export interface StoredContent {
  readonly content: ObjectContent;
  readonly encryption?: Encryption | undefined;
}

export const asStream = (body: Buffer | Readable): Readable => (Buffer.isBuffer(body) ? Readable.from([body]) : body);

/**
 * Stores a body inline or as a blob (see above), hashed and checked against `expect` either way; with a
 * seal, encrypted on the way: digests and checks are of the body as sent, the stored bytes are ciphertext.
 */
export async function writeContent(blobs: BlobKeeper, body: Buffer | Readable, expect: BlobExpectation, seal?: Seal): Promise<WrittenContent> {
  if (expect.size !== undefined && expect.size <= INLINE_CONTENT_MAX_BYTES) {
    const plain = await readInline(body, { ...expect, size: expect.size });
    return seal ? sealInline(plain, seal) : plain;
  }
  return writeBlob(blobs, body, expect, seal);
}

/** A written body that went to a blob. */
export type WrittenBlobContent = WrittenContent & { content: { readonly blob: string } };

/** Stores a body as a blob whatever its size (a multipart part), encrypted when sealed. */
export async function writeBlob(blobs: BlobKeeper, body: Buffer | Readable, expect: BlobExpectation, seal?: Seal): Promise<WrittenBlobContent> {
  if (seal) return writeSealedBlob(blobs, body, expect, seal);
  const written = await blobs.write(asStream(body), expect);
  return { content: { blob: written.ref }, size: written.size, md5Hex: written.md5Hex, crc64: written.crc64, etag: `"${written.md5Hex}"` };
}

/**
 * The bytes as sent (or one range of them): inline content from memory, a blob as a stream, decrypted
 * with `key` when encrypted. Encrypted content without its key is a bug in the caller, never ciphertext
 * handed out as the object's bytes.
 */
export function readContent(blobs: BlobKeeper, { content, encryption }: StoredContent, range?: ByteRange, key?: Buffer): Buffer | Readable {
  const stored = 'blob' in content ? blobs.read(content.blob, range) : range ? content.inline.subarray(range.start, range.end + 1) : content.inline;
  if (!encryption) return stored;
  if (!key) {
    if (!Buffer.isBuffer(stored)) stored.destroy();
    throw new Error('encrypted content read without its key');
  }
  const start = range?.start ?? 0;
  if (Buffer.isBuffer(stored)) return new SegmentCipher(key, encryption.segments, start).update(stored);
  // The read's errors reach the reader as the decrypting stage's.
  return pipeline(stored, cipherStream(key, encryption.segments, start), () => undefined);
}

const oneSegment = (scheme: SseScheme, size: number, iv: Buffer): Encryption => ({ scheme, segments: [{ size, iv: iv.toString('base64') }] });

/** Inline bytes read and checked in the clear, then encrypted whole. */
function sealInline(plain: WrittenContent, seal: Seal): WrittenContent {
  if (!('inline' in plain.content)) throw new Error('sealInline takes inline content');
  const iv = newIv();
  const sealed = createCipheriv('aes-256-ctr', seal.key, iv).update(plain.content.inline);
  return {
    ...plain,
    content: { inline: sealed },
    etag: etagFor(seal.scheme, plain.md5Hex, createHash('md5').update(sealed).digest('hex')),
    encryption: oneSegment(seal.scheme, plain.size, iv),
  };
}

/**
 * A blob written as ciphertext. The body is hashed and checked in the clear as it passes the sealing
 * stage; the blob store sees ciphertext only and verifies, through `check`, what was found of the plaintext.
 */
async function writeSealedBlob(blobs: BlobKeeper, body: Buffer | Readable, expect: BlobExpectation, seal: Seal): Promise<WrittenBlobContent> {
  const iv = newIv();
  const cipher = createCipheriv('aes-256-ctr', seal.key, iv);
  const hasher = inlineHasher();
  let size = 0;
  let plain: BodyDigests | undefined;
  const sealing = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      size += chunk.length;
      expect.check?.update(chunk);
      void hasher.update(chunk);
      done(null, cipher.update(chunk));
    },
  });
  const check = {
    update: (): void => undefined,
    async verify(): Promise<void> {
      plain = await hasher.digest();
      await verifyWritten(expect, size, plain.md5Hex);
    },
  };
  // A failing body destroys the sealing stage with its error, which the store's write reports.
  pipeline(asStream(body), sealing, () => undefined);
  const written = await blobs.write(sealing, { ...(expect.size !== undefined && { size: expect.size }), check });
  if (!plain) throw new Error('the blob store kept a blob without verifying it');
  return {
    content: { blob: written.ref },
    size,
    md5Hex: plain.md5Hex,
    crc64: plain.crc64,
    etag: etagFor(seal.scheme, plain.md5Hex, written.md5Hex),
    encryption: oneSegment(seal.scheme, size, iv),
  };
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
  return { content: { inline }, size, md5Hex, crc64, etag: `"${md5Hex}"` };
}
