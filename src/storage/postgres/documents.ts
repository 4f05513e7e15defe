// Content-addressed documents in PostgreSQL (acls, config_documents): stored once per distinct text, decoded once per id.
import { createHash } from 'node:crypto';
import type { DocumentCodec } from '../../domain/codec.ts';
import { DecodedDocuments } from '../decoded-documents.ts';
import type { Db } from './db.ts';

/**
 * One statement finds or stores a document: the insert's RETURNING when it is new, else the row that was
 * there. A concurrent transaction inserting the same text makes one of the two wait or fail to serialize
 * (then tx() runs it again), so one text never gets two ids.
 */
const INTERN_ACL = {
  name: 'intern_acl',
  text: `WITH ins AS (INSERT INTO acls (digest, body) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING RETURNING id)
         SELECT id FROM ins UNION ALL SELECT id FROM acls WHERE digest = $1`,
};
const INTERN_CONFIG = {
  name: 'intern_config',
  text: `WITH ins AS (INSERT INTO config_documents (kind, digest, body) VALUES ($3, $1, $2) ON CONFLICT (kind, digest) DO NOTHING RETURNING id)
         SELECT id FROM ins UNION ALL SELECT id FROM config_documents WHERE kind = $3 AND digest = $1`,
};

/** Documents of `acls`, or of one kind in `config_documents`; their rows are read joined to what refers to them. */
export class PgDocuments<T> {
  readonly #decoded: DecodedDocuments<T>;
  readonly #kind: string | undefined;

  /** kind: the config_documents kind, or undefined for acls. */
  constructor(codec: DocumentCodec<T>, kind?: string) {
    this.#decoded = new DecodedDocuments(codec);
    this.#kind = kind;
  }

  /** The document a row refers to, with its body read in the same query (one round trip per request). */
  read(id: number | null, body: string | null): T | undefined {
    if (id === null) return undefined;
    return this.#decoded.read(id, () => {
      if (body === null) throw new Error(`document ${id} is missing`);
      return body;
    });
  }

  /** The id of this document, stored if new; must run inside the caller's transaction. */
  intern(db: Db, document: T | undefined): Promise<number | null> {
    return document === undefined ? Promise.resolve(null) : this.#store(db, this.#decoded.encode(document));
  }

  /** intern for a document's text; throws, storing nothing, when the codec cannot decode it. */
  internText(db: Db, body: string): Promise<number> {
    this.#decoded.check(body);
    return this.#store(db, body);
  }

  async #store(db: Db, body: string): Promise<number> {
    const digest = createHash('sha256').update(body).digest();
    const rows =
      this.#kind === undefined ? await db.rows<{ id: number }>(INTERN_ACL, [digest, body]) : await db.rows<{ id: number }>(INTERN_CONFIG, [digest, body, this.#kind]);
    const id = rows[0]?.id;
    if (id === undefined) throw new Error('a stored document vanished while its id was read');
    return id;
  }
}
