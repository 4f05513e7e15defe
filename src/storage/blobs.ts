// The blob store interface: object bytes, streamed in and out, addressed by an opaque ref.
import type { Readable } from 'node:stream';

export interface BlobExpectation {
  /** Exact byte count the body must have (Content-Length). */
  size?: number;
  /** Base64 MD5 the body must hash to (Content-MD5). */
  md5Base64?: string;
  /** Fed every chunk as it passes; verify() settles once the body has ended, before the blob is kept. */
  check?: { update(chunk: Buffer): void; verify(): Promise<void> };
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
  /** Frees a blob (a composed one with all its pieces); a missing blob is no error. */
  delete(ref: string): Promise<void>;
  /** Removes leftovers of interrupted writes and blobs no metadata refers to. */
  sweep(inUse: (ref: string) => Promise<boolean>): Promise<{ removed: number }>;
}
