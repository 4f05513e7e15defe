// The blob store interface: object bytes, streamed in and out, addressed by an opaque ref.
import type { Readable } from 'node:stream';
import { cosError } from '../errors/cos-error.ts';

export interface BlobExpectation {
  /** Exact byte count the body must have (Content-Length). */
  size?: number;
  /** Base64 MD5 the body must hash to (Content-MD5). */
  md5Base64?: string;
  /** Fed every chunk as it passes; verify() settles once the body has ended, before the blob is kept. */
  check?: { update(chunk: Buffer): void; verify(): Promise<void> };
  /**
   * Nothing else reads the body's chunks, nor the rest of their ArrayBuffers, once the store has them (a
   * request's own, or views of them in order), so the store may move their memory to another thread.
   */
  ownedChunks?: boolean;
}

export interface WrittenBlob {
  ref: string;
  size: number;
  md5Hex: string;
  crc64: string;
}

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/** A blob and its length, as one piece of a composed blob. */
export interface BlobPiece {
  ref: string;
  size: number;
}

/**
 * Bytes by ref, and nothing about their lifetime: storage/blob-keeper.ts reserves a blob in the metadata
 * store before writing it and alone decides when one is garbage. So a store never deletes on its own
 * and needs no sweep; a crash leaves at most a reserved blob, which the collector frees.
 */
export interface BlobStore {
  /** A fresh ref for a new blob (`composed`: for compose), valid for this store only. */
  newRef(kind: 'plain' | 'composed'): string;
  /** Streams body to durable storage under ref; resolves when the bytes are durable, rejects (leaving nothing) on mismatch. */
  write(ref: string, body: Readable, expect: BlobExpectation): Promise<WrittenBlob>;
  /**
   * Present only when the store can make a blob of the pieces' contents in order without copying their
   * bytes (the file store with hard links, the memory store by sharing); durable when it resolves. The
   * pieces stay what they were (deleting either side never affects the other). Rejects with an
   * ENOENT-coded error when a piece no longer exists. Without it, the keeper copies the pieces.
   */
  readonly compose: ((ref: string, pieces: readonly BlobPiece[]) => Promise<void>) | undefined;
  read(ref: string, range?: ByteRange): Readable;
  /** Frees a blob now (a composed one with its own names for the pieces); a missing blob, or a part of it, is no error. */
  delete(ref: string): Promise<void>;
}

/**
 * What every stored body must pass before it is kept, whether it went to a blob or stays inline: the
 * caller's check (SigV4 payload hash, S3 checksums), its declared length, its Content-MD5.
 */
export async function verifyWritten(expect: BlobExpectation, size: number, md5Hex: string): Promise<void> {
  await expect.check?.verify();
  if (expect.size !== undefined && size !== expect.size) {
    throw cosError('IncompleteBody', { detail: `got ${size} of ${expect.size} bytes` });
  }
  if (expect.md5Base64 === undefined) return;
  const md5Base64 = Buffer.from(md5Hex, 'hex').toString('base64');
  if (md5Base64 !== expect.md5Base64) throw cosError('BadDigest', { detail: `body md5 ${md5Base64} != ${expect.md5Base64}` });
}
