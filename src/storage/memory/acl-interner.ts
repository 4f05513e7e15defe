// Decoded ACLs shared by the in-memory records that carry the same one, as the SQLite engine's
// DocumentTable shares them: a 100-grant ACL decodes to 10-20 KB, and canned ACLs repeat on every object.
import { ACL_CODEC, type Acl } from '../../domain/acl.ts';

const MAX_INTERNED_ACLS = 1024;

export class AclInterner {
  /** Oldest first, so the first key is the one to evict. */
  readonly #acls = new Map<string, Acl>();

  /**
   * The stored form of an ACL: frozen, decoded from its text, the same object for every record with that
   * text while it is cached (first in, first out; an evicted ACL stays shared by the records holding it).
   * Nothing here is undone on rollback: the cache only saves decoding, it holds no state.
   */
  intern(acl: Acl | undefined): Acl | undefined {
    if (acl === undefined) return undefined;
    const text = ACL_CODEC.encode(acl);
    let interned = this.#acls.get(text);
    if (!interned) {
      interned = ACL_CODEC.decode(text);
      if (this.#acls.size >= MAX_INTERNED_ACLS) this.#acls.delete(this.#acls.keys().next().value ?? '');
      this.#acls.set(text, interned);
    }
    return interned;
  }
}
