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

export interface BlobStore {
  /** Streams body to durable storage; resolves when the bytes are on disk, rejects (leaving nothing) on mismatch. */
  write(body: Readable, expect: BlobExpectation): Promise<WrittenBlob>;
  /**
   * A new blob whose content is the pieces' contents in order, without copying their bytes; durable
   * when it resolves. The pieces stay what they were (deleting either side never affects the other).
   * Rejects with a NotFound-coded error when a piece no longer exists.
   */
  compose(pieces: readonly BlobPiece[]): Promise<string>;
  read(ref: string, range?: ByteRange): Readable;
  /**
   * Frees a blob (a composed one with all its pieces) that nothing refers to any more; a missing blob is
   * no error. The bytes may go in the background after this resolves (the sweep takes them if the
   * process dies first).
   */
  delete(ref: string): Promise<void>;
  /** Resolves once every delete so far has freed its bytes. */
  idle(): Promise<void>;
  /** For shutdown: deletes not yet under way are left to the next start's sweep. */
  close(): Promise<void>;
  /** Removes leftovers of interrupted writes and blobs no metadata refers to. */
  sweep(inUse: (ref: string) => Promise<boolean>): Promise<{ removed: number }>;
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
