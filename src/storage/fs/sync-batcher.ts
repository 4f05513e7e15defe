// Group commit for fsync: concurrent requests to sync the same file or directory share one fsync call.
import { open } from 'node:fs/promises';

/**
 * A caller asking for a sync after its write must get an fsync that *starts* after its call: if one is
 * already running it may predate the write, so the caller joins the next one, which all callers
 * arriving meanwhile share. This is what lets many small PUTs be durable with far fewer fsyncs than
 * objects (the disk here does only a few thousand fsyncs per second).
 */
export class SyncBatcher {
  readonly #running = new Map<string, Promise<void>>();
  readonly #queued = new Map<string, Promise<void>>();

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
          await fsyncPath(path);
        } finally {
          if (this.#running.get(path) === next) this.#running.delete(path);
        }
      });
    this.#queued.set(path, next);
    return next;
  }
}

/** fsync runs on libuv's thread pool, so the event loop never waits on the disk. */
async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
