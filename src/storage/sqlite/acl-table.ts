// ACL documents stored once each (content-addressed) and referenced by id from buckets and objects.
import type Database from 'better-sqlite3';
import type { Acl } from '../../domain/acl.ts';

/**
 * Rows carry a small integer instead of the ACL text, so reading a bucket or object with a 100-grant
 * ACL neither copies nor parses ~10 KB per request: an ACL is parsed once per id and kept (ids are
 * never reused for another document). Identical ACLs share one row. Unreferenced rows are kept;
 * they are few and small.
 */
export class AclTable {
  readonly #parsed = new Map<number, Acl>();
  readonly #byId;
  readonly #insert;
  readonly #idOf;

  constructor(db: Database.Database) {
    this.#byId = db.prepare('SELECT body FROM acls WHERE id = ?');
    this.#insert = db.prepare('INSERT INTO acls (body) VALUES (?) ON CONFLICT (body) DO NOTHING');
    this.#idOf = db.prepare('SELECT id FROM acls WHERE body = ?');
  }

  read(id: number | null): Acl | undefined {
    if (id === null) return undefined;
    let acl = this.#parsed.get(id);
    if (!acl) {
      const row = this.#byId.get(id) as { body: string } | undefined;
      if (!row) throw new Error(`ACL ${id} is missing`);
      // Shared between records, so frozen: nothing may edit one record's ACL through another.
      acl = Object.freeze(JSON.parse(row.body) as Acl);
      this.#parsed.set(id, acl);
    }
    return acl;
  }

  /** The id of this ACL's document, stored if new; must run inside the caller's transaction. */
  intern(acl: Acl | undefined): number | null {
    if (acl === undefined) return null;
    const body = JSON.stringify(acl);
    this.#insert.run(body);
    return (this.#idOf.get(body) as { id: number }).id;
  }
}
