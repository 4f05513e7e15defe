// Group commit for fsync: concurrent requests to sync the same file or directory share one fsync call.
import { open, type FileHandle } from 'node:fs/promises';

/**
 * A caller asking for a sync after its write must get an fsync that *starts* after its call: if one is
 * already running it may predate the write, so the caller joins the next one, which all callers
 * arriving meanwhile share. This is what lets many small PUTs be durable with far fewer fsyncs than
 * objects (the disk here does only a few thousand fsyncs per second).
 *
 * The file or directory stays open between syncs: opening and closing it around every fsync tripled
 * the thread-pool work of a sync. Paths given here must not be replaced while in use (directories of
 * the data dir; a database's WAL file, which SQLite keeps while a connection is open), and their
 * owner calls release() when done.
 */
export class SyncBatcher {
  readonly #running = new Map<string, Promise<void>>();
  readonly #queued = new Map<string, Promise<void>>();
  readonly #handles = new Map<string, Promise<FileHandle>>();

  sync(path: string): Promise<void> {
    const queued = this.#queued.get(path);
    if (queued) return queued;
    const previous = this.#running.get(path) ?? Promise.resolve();
    const next: Promise<void> = previous
      .catch(() => undefined)
      .then(async () => {
        this.#queued.delete(path);
        this.#running.set(path, next);
        try {
          await this.#fsync(path);
        } finally {
          if (this.#running.get(path) === next) this.#running.delete(path);
        }
      });
    this.#queued.set(path, next);
    return next;
  }

  /** Closes the handle kept for path, after the syncs already asked for. */
  async release(path: string): Promise<void> {
    await this.#queued.get(path)?.catch(() => undefined);
    await this.#running.get(path)?.catch(() => undefined);
    const handle = this.#handles.get(path);
    this.#handles.delete(path);
    await (await handle?.catch(() => undefined))?.close();
  }

  /** Closes every kept handle. */
  async close(): Promise<void> {
    await Promise.all([...this.#handles.keys()].map((path) => this.release(path)));
  }

  /** fsync runs on libuv's thread pool, so the event loop never waits on the disk. */
  async #fsync(path: string): Promise<void> {
    let handle = this.#handles.get(path);
    if (!handle) {
      handle = open(path, 'r');
      this.#handles.set(path, handle);
    }
    try {
      await (await handle).sync();
    } catch (error) {
      // Do not keep a handle that failed to open or sync; the next sync starts afresh.
      if (this.#handles.get(path) === handle) {
        this.#handles.delete(path);
        await (await handle.catch(() => undefined))?.close().catch(() => undefined);
      }
      throw error;
    }
  }
}
