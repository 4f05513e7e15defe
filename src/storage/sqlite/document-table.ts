// Documents stored once each (content-addressed) and referenced by id from other rows: ACLs (of objects
// and uploads) and bucket settings (one kind each).
import type Database from 'better-sqlite3';
import type { DocumentCodec } from '../../domain/codec.ts';
import type { BucketConfigKind } from '../../domain/bucket-config.ts';
import { DecodedDocuments } from '../decoded-documents.ts';

/**
 * Where the documents are: `acls` (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE), or one kind's rows of
 * `config_documents` (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (kind, body)).
 */
export type DocumentSource = { table: 'acls' } | { table: 'config_documents'; kind: BucketConfigKind };

/**
 * Identical documents share one row; rows carry its id (decoded-documents.ts says why). Unreferenced rows
 * are kept: without AUTOINCREMENT, deleting the newest row would let SQLite give its id (max + 1) to the
 * next new document, which a process still holding the old decoded copy would then misread.
 */
export class DocumentTable<T> {
  readonly #decoded: DecodedDocuments<T>;
  readonly #byId: Database.Statement;
  readonly #insert: Database.Statement;
  readonly #idOf: Database.Statement;

  /** The named parameters that pick the source's rows besides the body. */
  readonly #scope: Record<string, string>;

  constructor(db: Database.Database, source: DocumentSource, codec: DocumentCodec<T>) {
    this.#decoded = new DecodedDocuments(codec);
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
    return this.#decoded.read(id, () => {
      const row = this.#byId.get(id) as { body: string } | undefined;
      if (!row) throw new Error(`document ${id} is missing`);
      return row.body;
    });
  }

  /** The id of this document, stored if new; must run inside the caller's transaction. */
  intern(document: T | undefined): number | null {
    return document === undefined ? null : this.#store(this.#decoded.encode(document));
  }

  /** intern for a document's text; throws, storing nothing, when the codec cannot decode it. */
  internText(body: string): number {
    this.#decoded.check(body);
    return this.#store(body);
  }

  #store(body: string): number {
    this.#insert.run({ ...this.#scope, body });
    return this.#idOf.get({ ...this.#scope, body }) as number;
  }
}
