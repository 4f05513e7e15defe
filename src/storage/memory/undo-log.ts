// The rollback of the in-memory metadata store: every write made in a transaction records how to undo
// itself, and a failed transaction runs those undos newest first.
import type { SortedKeys } from './sorted-keys.ts';

export class UndoLog {
  #entries: (() => void)[] | undefined;

  begin(): void {
    this.#entries = [];
  }

  commit(): void {
    this.#entries = undefined;
  }

  rollback(): void {
    const entries = this.#entries ?? [];
    this.#entries = undefined;
    for (let i = entries.length - 1; i >= 0; i--) entries[i]?.();
  }

  /** Records the undo of a write just made; a write outside a transaction is a bug (nothing could undo it). */
  push(undo: () => void): void {
    if (!this.#entries) throw new Error('metadata written outside a transaction');
    this.#entries.push(undo);
  }

  set<K, V>(map: Map<K, V>, key: K, value: V): void {
    const previous = map.get(key);
    this.push(previous === undefined ? () => map.delete(key) : () => map.set(key, previous));
    map.set(key, value);
  }

  /** Removes the entry and returns what it held. */
  delete<K, V>(map: Map<K, V>, key: K): V | undefined {
    const previous = map.get(key);
    if (previous === undefined) return undefined;
    this.push(() => map.set(key, previous));
    map.delete(key);
    return previous;
  }

  addKey(keys: SortedKeys, key: string): void {
    if (keys.add(key)) this.push(() => keys.delete(key));
  }

  deleteKey(keys: SortedKeys, key: string): void {
    if (keys.delete(key)) this.push(() => keys.add(key));
  }

  insertAt<T>(array: T[], index: number, item: T): void {
    array.splice(index, 0, item);
    this.push(() => array.splice(index, 1));
  }

  removeAt<T>(array: T[], index: number): T | undefined {
    const [removed] = array.splice(index, 1);
    if (removed !== undefined) this.push(() => array.splice(index, 0, removed));
    return removed;
  }
}
