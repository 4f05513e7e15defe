// Blob files are freed in the background, after the request that freed them has been answered.
//
// Freeing a large file costs little CPU but can take long: on the ext4 (mounted with discard) of the
// machines we measure on, unlinking a 1 GiB file blocks for ~0.5 s while using ~30 ms of CPU. Done before
// replying, that was a quarter of a 1 GiB overwrite's time (and of a 1 GiB multipart Complete replacing
// an object), with the client waiting on bytes nothing referred to any more. A delete is queued only
// once the commit that unreferenced the blob is durable, so a crash before it runs leaves an
// unreferenced file, which the start-up sweep removes; shutdown leaves the backlog to the sweep too.
//
// Deletes run one at a time: they hold at most one thread-pool thread, leaving the others to requests.
// Beyond MAX_BACKLOG queued deletes the caller waits for its own, so garbage cannot outrun the disk
// without bound.

/** Queued deletes beyond which delete() resolves only once the blob is gone. */
export const MAX_BACKLOG = 1000;

interface Pending {
  ref: string;
  /** Set when a caller waits for this delete (the backlog was full). */
  done?: () => void;
}

export class DeferredDeletes {
  readonly #remove: (ref: string) => Promise<void>;
  readonly #onError: (ref: string, error: unknown) => void;
  readonly #queue: Pending[] = [];
  #draining: Promise<void> | undefined;

  /** `remove` frees one blob now; `onError` hears of a failure (the blob then stays until the sweep). */
  constructor(remove: (ref: string) => Promise<void>, onError: (ref: string, error: unknown) => void) {
    this.#remove = remove;
    this.#onError = onError;
  }

  /** Queues ref's delete; resolves at once unless the backlog is full, then once ref is deleted. */
  add(ref: string): Promise<void> {
    const full = this.#queue.length >= MAX_BACKLOG;
    const queued = full ? new Promise<void>((done) => this.#queue.push({ ref, done })) : Promise.resolve();
    if (!full) this.#queue.push({ ref });
    this.#draining ??= this.#drain();
    return queued;
  }

  /** Resolves once the queue is empty: every delete queued so far has run, and any queued while they ran. */
  idle(): Promise<void> {
    return this.#draining ?? Promise.resolve();
  }

  /**
   * For shutdown: drops the deletes not yet started (their blobs stay unreferenced, so the next start's
   * sweep frees them) and waits only for the one under way, so a long backlog cannot hold up an exit.
   */
  stop(): Promise<void> {
    for (const dropped of this.#queue.splice(0)) dropped.done?.();
    return this.idle();
  }

  async #drain(): Promise<void> {
    // add() queued an entry first, so this awaits before it can finish: #draining is set by then. And
    // the queue is seen empty in the same tick as #draining is cleared, so no entry is left behind.
    for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
      try {
        await this.#remove(next.ref);
      } catch (error) {
        this.#onError(next.ref, error);
      }
      next.done?.();
    }
    this.#draining = undefined;
  }
}
