// Remembers single-use V4 signatures ("单次有效签名": e = 0) so that each is accepted once, by every
// process sharing the metadata store (--workers, nodes): the used ones are kept in the store.
import type { MetadataStore } from '../../storage/metadata.ts';

export class SingleUseLedger {
  readonly #meta: MetadataStore;

  constructor(meta: MetadataStore) {
    this.#meta = meta;
  }

  /** True the first time a signature is claimed, false on every replay; `until` and `now` in epoch seconds. */
  claim(signature: string, until: number, now: number): Promise<boolean> {
    return this.#meta.tx((tx) => tx.claimSingleUse(signature, until, now));
  }
}
