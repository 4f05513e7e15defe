// Remembers single-use V4 signatures ("单次有效签名": e = 0) so that each is accepted once.

export class SingleUseLedger {
  /** Signature -> epoch second after which its time check refuses it anyway, so it can be forgotten. */
  readonly #until = new Map<string, number>();

  /** True the first time a signature is claimed, false on every replay. */
  claim(signature: string, until: number, now: number): boolean {
    for (const [seen, end] of this.#until) if (end < now) this.#until.delete(seen);
    if (this.#until.has(signature)) return false;
    this.#until.set(signature, until);
    return true;
  }
}
