// Documents stored once each (content-addressed) and referenced by id from other rows: ACLs (of objects
// and uploads) and bucket settings (one kind each).
import type Database from 'better-sqlite3';
import type { DocumentCodec } from '../../domain/codec.ts';
import type { BucketConfigKind } from '../../domain/bucket-config.ts';

/**
 * Where the documents are: `acls` (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE), or one kind's rows of
 * `config_documents` (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (kind, body)).
 */
export type DocumentSource = { table: 'acls' } | { table: 'config_documents'; kind: BucketConfigKind };

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
  readonly #byId: Database.Statement;
  readonly #insert: Database.Statement;
  readonly #idOf: Database.Statement;

  /** The named parameters that pick the source's rows besides the body. */
  readonly #scope: Record<string, string>;

  constructor(db: Database.Database, source: DocumentSource, codec: DocumentCodec<T>) {
    this.#codec = codec;
    this.#byId = db.prepare(`SELECT body FROM ${source.table} WHERE id = ?`);
    if (source.table === 'acls') {
      this.#scope = {};
      this.#insert = db.prepare('INSERT INTO acls (body) VALUES (@body) ON CONFLICT (body) DO NOTHING');
      this.#idOf = db.prepare('SELECT id FROM acls WHERE body = @body').pluck();
    } else {
      this.#scope = { kind: source.kind };
      this.#insert = db.prepare('INSERT INTO config_documents (kind, body) VALUES (@kind, @body) ON CONFLICT (kind, body) DO NOTHING');
      this.#idOf = db.prepare('SELECT id FROM config_documents WHERE kind = @kind AND body = @body').pluck();
    }
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
    return document === undefined ? null : this.#store(this.#codec.encode(document));
  }

  /** intern for a document's text; throws, storing nothing, when the codec cannot decode it. */
  internText(body: string): number {
    this.#codec.decode(body);
    return this.#store(body);
  }

  #store(body: string): number {
    this.#insert.run({ ...this.#scope, body });
    return this.#idOf.get({ ...this.#scope, body }) as number;
  }
}
