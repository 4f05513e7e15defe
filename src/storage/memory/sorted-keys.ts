// A set of strings kept in UTF-8 byte order, for listings that start at a marker and read a page in order.
import { compareUtf8 } from './utf8-order.ts';

/**
 * A sorted array: a page of a listing is a binary search for its start and then consecutive reads, no
 * scan or sort per page. An insert or delete moves the array's tail (a memmove of pointers, ~0.1 ms for
 * 100k keys); keys written in order, as most bulk loads write them, are appended.
 */
export class SortedKeys {
  readonly #keys: string[] = [];

  at(index: number): string | undefined {
    return this.#keys[index];
  }

  /** Adds the key; false when it was there already. */
  add(key: string): boolean {
    const index = this.#search(key);
    if (this.#keys[index] === key) return false;
    if (index === this.#keys.length) this.#keys.push(key);
    else this.#keys.splice(index, 0, key);
    return true;
  }

  /** Removes the key; false when it was not there. */
  delete(key: string): boolean {
    const index = this.#search(key);
    if (this.#keys[index] !== key) return false;
    this.#keys.splice(index, 1);
    return true;
  }

  /** The index of the first key at or after `key` (inclusive) or after it (exclusive). */
  indexFrom(key: string, inclusive: boolean): number {
    const index = this.#search(key);
    return !inclusive && this.#keys[index] === key ? index + 1 : index;
  }

  /**
   * Where a listing under `prefix` that resumes after `after` ('' from the start) begins: the first key
   * that is past `after` (or is `after`, when the listing resumes within that key) and not before `prefix`.
   */
  listingStart(prefix: string, after: string, withinAfter = false): number {
    if (after === '' || compareUtf8(after, prefix) < 0) return this.indexFrom(prefix, true);
    return this.indexFrom(after, withinAfter);
  }

  /** The index of the first key not before `key`. */
  #search(key: string): number {
    let low = 0;
    let high = this.#keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareUtf8(this.#keys[middle] ?? '', key) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
