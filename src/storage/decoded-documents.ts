// The engine-neutral half of content-addressed documents (ACLs, bucket settings): decoded copies kept by id.
import type { DocumentCodec } from '../domain/codec.ts';

/**
 * Decoded documents kept per table. Most stores hold a handful of distinct ACLs and policies (canned ACLs
 * are shared by every record that uses them), but one that grants each object to different users has as
 * many distinct ACLs as objects, and a 100-grant ACL decodes to ~10-20 KB: the bound keeps that to tens
 * of MB instead of growing with the store.
 */
export const MAX_DECODED_DOCUMENTS = 1024;

/**
 * Rows carry a small integer instead of the document, so reading a bucket or object with a 100-grant ACL
 * or a 100-statement policy does not decode 10-20 KB per request: a document is decoded once per id and
 * kept, up to MAX_DECODED_DOCUMENTS, oldest first out. Handing out the same decoded document also lets the
 * compiled-policy cache recognise a policy by identity instead of comparing its text.
 *
 * Correct only while an id never names another document, in this process or any other sharing the store:
 * each engine's table must never reuse an id (sqlite/document-table.ts, postgres/schema.ts say how).
 */
export class DecodedDocuments<T> {
  readonly #codec: DocumentCodec<T>;
  /** In insertion order, so the first key is the oldest. */
  readonly #decoded = new Map<number, T>();

  constructor(codec: DocumentCodec<T>) {
    this.#codec = codec;
  }

  /** The document of this id, decoded from `body()` unless a decoded copy is kept. */
  read(id: number, body: () => string): T {
    let document = this.#decoded.get(id);
    if (document === undefined) {
      document = this.#codec.decode(body());
      // First in, first out: a hit costs no bookkeeping; an evicted document still in use is decoded again on its next read.
      if (this.#decoded.size >= MAX_DECODED_DOCUMENTS) this.#decoded.delete(this.#decoded.keys().next().value as number);
      this.#decoded.set(id, document);
    }
    return document;
  }

  /** The text to store for a document. */
  encode(document: T): string {
    return this.#codec.encode(document);
  }

  /** Throws when no reader could decode this text (a store refuses to keep it). */
  check(body: string): void {
    this.#codec.decode(body);
  }
}
