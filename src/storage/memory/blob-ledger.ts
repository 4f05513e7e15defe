// Which blobs may exist, for the in-memory metadata store: references (versions' and parts') counted per
// blob, and reservations (metadata.ts, "Blob lifetime"), as the SQLite engine's blob_reservations table.
import type { UndoLog } from './undo-log.ts';

interface Reservation {
  holder: string;
  /** Epoch ms; 0: lapsed (given up, or nothing refers to the blob any more). A claim's: its collector's lease. */
  expiresAt: number;
  /** Claimed by a collector: no write may reserve or refer to it again. */
  collecting: boolean;
}

export class BlobLedger {
  readonly #undo: UndoLog;
  /** How many versions and parts refer to each blob. */
  readonly #references = new Map<string, number>();
  readonly #reservations = new Map<string, Reservation>();

  constructor(undo: UndoLog) {
    this.#undo = undo;
  }

  inUse(ref: string): boolean {
    return this.#references.has(ref);
  }

  /** A new reference: it consumes the blob's reservation, or joins references already made; else it throws. */
  adopt(ref: string): void {
    const reservation = this.#reservations.get(ref);
    if (reservation && !reservation.collecting) this.#undo.delete(this.#reservations, ref);
    else if (!this.inUse(ref)) throw new Error(`blob ${ref} is not reserved (or is being collected): its bytes may be gone`);
    this.#undo.set(this.#references, ref, (this.#references.get(ref) ?? 0) + 1);
  }

  /** Drops a reference; when it was the last, the blob goes to the collector and is returned. */
  drop(ref: string): string | undefined {
    const count = this.#references.get(ref) ?? 0;
    if (count > 1) {
      this.#undo.set(this.#references, ref, count - 1);
      return undefined;
    }
    this.#undo.delete(this.#references, ref);
    this.release(ref);
    return ref;
  }

  reserve(ref: string, holder: string, expiresAt: number): void {
    if (this.#reservations.get(ref)?.collecting) throw new Error(`blob ${ref} is being collected`);
    this.#undo.set(this.#reservations, ref, { holder, expiresAt, collecting: false });
  }

  /** Lapses the reservation at once (making one if there is none), unless a collector has it already. */
  release(ref: string): void {
    const reservation = this.#reservations.get(ref);
    if (reservation?.collecting) return;
    this.#undo.set(this.#reservations, ref, { holder: reservation?.holder ?? '', expiresAt: 0, collecting: false });
  }

  /** Extends reservations still standing (not released, not claimed). */
  renew(refs: readonly string[], expiresAt: number): void {
    for (const ref of refs) {
      const reservation = this.#reservations.get(ref);
      if (reservation && !reservation.collecting && reservation.expiresAt > 0) this.#undo.set(this.#reservations, ref, { ...reservation, expiresAt });
    }
  }

  lapse(exceptHolder: string): number {
    let lapsed = 0;
    for (const [ref, reservation] of [...this.#reservations]) {
      if (reservation.holder === exceptHolder) continue;
      this.#undo.set(this.#reservations, ref, { ...reservation, expiresAt: 0, collecting: false });
      lapsed++;
    }
    return lapsed;
  }

  /**
   * Up to `limit` lapsed reservations and lapsed claims, oldest first, of blobs nothing refers to: claimed
   * for `holder` until `claimUntil`.
   */
  claim(holder: string, now: number, limit: number, claimUntil: number): string[] {
    const lapsed = [...this.#reservations]
      .filter(([, r]) => r.expiresAt <= now)
      .sort(([, a], [, b]) => a.expiresAt - b.expiresAt)
      .slice(0, limit);
    const claimed: string[] = [];
    for (const [ref] of lapsed) {
      // Stale: a reference was made without consuming it. The blob is not garbage.
      if (this.inUse(ref)) {
        this.#undo.delete(this.#reservations, ref);
        continue;
      }
      this.#undo.set(this.#reservations, ref, { holder, expiresAt: claimUntil, collecting: true });
      claimed.push(ref);
    }
    return claimed;
  }

  forget(refs: readonly string[]): void {
    for (const ref of refs) if (this.#reservations.get(ref)?.collecting) this.#undo.delete(this.#reservations, ref);
  }
}
