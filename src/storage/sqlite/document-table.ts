// Documents stored once each (content-addressed) and referenced by id from other rows: ACLs (of buckets,
// objects and uploads) and bucket policies.
import type Database from 'better-sqlite3';
import type { Acl } from '../../domain/acl.ts';

export interface DocumentCodec<T> {
  encode(document: T): string;
  decode(body: string): T;
}

/** ACLs as JSON; shared between records, so frozen: nothing may edit one record's ACL through another. */
export const ACL_CODEC: DocumentCodec<Acl> = { encode: (acl) => JSON.stringify(acl), decode: (body) => Object.freeze(JSON.parse(body) as Acl) };
/** Bucket policies as the text their owner wrote (GET Bucket policy returns it). */
export const TEXT_CODEC: DocumentCodec<string> = { encode: (text) => text, decode: (body) => body };

/**
 * Decoded documents kept per table. Most stores hold a handful of distinct ACLs and policies (canned ACLs
 * are shared by every record that uses them), but one that grants each object to different users has as
 * many distinct ACLs as objects, and a 100-grant ACL decodes to ~10-20 KB: the bound keeps that to tens
 * of MB instead of growing with the store.
 */
export const MAX_DECODED_DOCUMENTS = 1024;

/**
 * Rows carry a small integer instead of the document, so reading a bucket or object with a 100-grant
 * ACL or a 100-statement policy neither copies nor decodes 10-20 KB per request: a document is decoded
 * once per id and kept, up to MAX_DECODED_DOCUMENTS, oldest first out (ids are never reused for another
 * document). Handing out the same decoded document also lets the compiled-policy cache recognise a
 * policy by identity instead of comparing its text. Identical documents share one row. Unreferenced
 * rows are kept: without AUTOINCREMENT, deleting the newest row would let SQLite give its id (max + 1) to
 * the next new document, which a process still holding the old decoded copy would then misread.
 */
export class DocumentTable<T> {
  readonly #codec: DocumentCodec<T>;
  /** In insertion order, so the first key is the oldest. */
  readonly #decoded = new Map<number, T>();
  readonly #byId;
  readonly #insert;
  readonly #idOf;

  /** `table` has the columns (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE). */
  constructor(db: Database.Database, table: 'acls' | 'policies', codec: DocumentCodec<T>) {
    this.#codec = codec;
    this.#byId = db.prepare(`SELECT body FROM ${table} WHERE id = ?`);
    this.#insert = db.prepare(`INSERT INTO ${table} (body) VALUES (?) ON CONFLICT (body) DO NOTHING`);
    this.#idOf = db.prepare(`SELECT id FROM ${table} WHERE body = ?`);
  }

  read(id: number | null): T | undefined {
    if (id === null) return undefined;
    let document = this.#decoded.get(id);
    if (document === undefined) {
      const row = this.#byId.get(id) as { body: string } | undefined;
      if (!row) throw new Error(`document ${id} is missing`);
      document = this.#codec.decode(row.body);
      // First in, first out: a hit costs no bookkeeping; an evicted document still in use is decoded again on its next read.
      if (this.#decoded.size >= MAX_DECODED_DOCUMENTS) this.#decoded.delete(this.#decoded.keys().next().value as number);
      this.#decoded.set(id, document);
    }
    return document;
  }

  /** The id of this document, stored if new; must run inside the caller's transaction. */
  intern(document: T | undefined): number | null {
    if (document === undefined) return null;
    const body = this.#codec.encode(document);
    this.#insert.run(body);
    return (this.#idOf.get(body) as { id: number }).id;
  }
}
