// Blob lifetime, the same for every engine: the metadata store records which blobs may exist (a
// reservation before any byte is written, a version's or part's reference after the commit) and one
// collector frees the rest through the store's contract (metadata.ts, "Blob lifetime").
//
// Nothing is ever freed for merely looking unreferenced: a start-up sweep that deleted every file no
// row referred to destroyed the upload in flight of any other process sharing the directory. The
// collector frees only what the store hands it: blobs whose last reference went, writes given up, and
// reservations lapsed.
//
// A reservation is a lease: its writer's heartbeat renews the reservations of all its writes in flight
// (one transaction every lease/4), so a process killed mid-write stops renewing and its reservations
// lapse within the lease; any collector sharing the store then frees them (within the lease and one
// collection interval of the death: 90 s by default). A reservation outlives the end of its write by at
// least 3/4 of the lease, the time the caller has to commit the reference. Claims are leases too: a
// collector that dies holding some is retaken after the lease. A process that owns the store alone (the
// data-dir lock, exclusive) also lapses the others' at start, so their blobs go at once.
import { Readable } from 'node:stream';
import type { BlobExpectation, BlobPiece, BlobStore, ByteRange, WrittenBlob } from './blobs.ts';
import type { MetadataStore } from './metadata.ts';

/**
 * How long a reservation or a claim stands unrenewed, by default. Longer than any event-loop stall of a
 * live process (a stall past 3/4 of it lets a write's reservation lapse: its commit then fails, nothing
 * acknowledged is lost); short enough that a dead node's blobs go soon.
 */
export const DEFAULT_LEASE_MS = 60_000;
/** Blobs claimed per collection transaction. */
const COLLECT_BATCH = 100;
/** Lapsed reservations are looked for at least this often besides after every commit that freed a blob. */
const MAX_COLLECT_INTERVAL_MS = 60_000;

export interface BlobKeeperOptions {
  /** Names this process in its reservations and claims. */
  holder: string;
  /** Epoch milliseconds. */
  clock: () => number;
  /** How long this process's reservations and claims stand unrenewed; DEFAULT_LEASE_MS if absent. */
  leaseMs?: number;
  /**
   * Hears of a blob the collector could not free (it stays claimed; once the claim lapses, a collector
   * tries again), or, with ref undefined, of a collection the metadata store failed (tried again on the
   * next wake-up or tick).
   */
  onCollectError: (ref: string | undefined, error: unknown) => void;
  /** Hears of a heartbeat that could not renew the reservations in flight (tried again on the next beat). */
  onRenewError: (error: unknown) => void;
}

/** What the request path does with bytes: write, compose, read, and report garbage. */
export class BlobKeeper {
  readonly #meta: MetadataStore;
  readonly #store: BlobStore;
  readonly #options: BlobKeeperOptions;
  readonly #leaseMs: number;
  /** The blobs this process is writing now: the heartbeat renews their reservations. */
  readonly #inFlight = new Set<string>();
  #heartbeat: NodeJS.Timeout | undefined;
  #collecting: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(meta: MetadataStore, store: BlobStore, options: BlobKeeperOptions) {
    this.#meta = meta;
    this.#store = store;
    this.#options = options;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /**
   * Starts the heartbeat and collecting, now and every half lease (at most a minute). `ownsStoreAlone`:
   * no other process shares the store, so the reservations of others are of processes gone (their writes
   * died with them) and lapse now; a node sharing the store leaves them to their leases.
   */
  async start(ownsStoreAlone: boolean): Promise<{ lapsed: number }> {
    const lapsed = ownsStoreAlone ? await this.#meta.tx((tx) => tx.lapseReservations(this.#options.holder)) : 0;
    this.#heartbeat = setInterval(() => void this.#renew(), this.#leaseMs / 4).unref();
    this.#timer = setInterval(() => this.collectSoon(), Math.min(MAX_COLLECT_INTERVAL_MS, this.#leaseMs / 2)).unref();
    this.collectSoon();
    return { lapsed };
  }

  /** Reserves a fresh blob, then streams body into it; a failed write is given up to the collector. */
  async write(body: Readable, expect: BlobExpectation): Promise<WrittenBlob> {
    // The body may fail while the reservation commits (a form's size guard, a client gone): that error is
    // the write's to report (the store's pipeline finds it on the destroyed stream), not an unheard event.
    const heard = (): void => undefined;
    body.on('error', heard);
    try {
      const ref = await this.#reserve('plain');
      try {
        return await this.#store.write(ref, body, expect);
      } catch (error) {
        await this.discard(ref);
        throw error;
      } finally {
        this.#inFlight.delete(ref);
      }
    } finally {
      body.off('error', heard);
    }
  }

  /** A new blob of the pieces' contents, shared when the store can compose, else copied. */
  async compose(pieces: readonly BlobPiece[]): Promise<string> {
    const compose = this.#store.compose;
    const ref = await this.#reserve(compose ? 'composed' : 'plain');
    try {
      if (compose) await compose(ref, pieces);
      else await this.#store.write(ref, this.#concatenation(pieces), {});
      return ref;
    } catch (error) {
      await this.discard(ref);
      throw error;
    } finally {
      this.#inFlight.delete(ref);
    }
  }

  read(ref: string, range?: ByteRange): Readable {
    return this.#store.read(ref, range);
  }

  /** Gives up a blob written but never committed (the commit failed): the collector frees it. */
  async discard(ref: string): Promise<void> {
    await this.#meta.tx((tx) => tx.releaseBlob(ref));
    this.collectSoon();
  }

  /** After a commit that left blobs nothing refers to (the store recorded them): collect them in the background. */
  collectSoon(): void {
    if (this.#closed) return;
    if (this.#collecting) {
      this.#again = true;
      return;
    }
    // A failure must not reject unheard (the process would exit): the next wake-up or tick tries again.
    this.#collecting = this.#collect().catch((error: unknown) => this.#options.onCollectError(undefined, error)).finally(() => {
      this.#collecting = undefined;
      if (this.#again) {
        this.#again = false;
        this.collectSoon();
      }
    });
  }

  /** Resolves once every collection asked for so far has finished. */
  async idle(): Promise<void> {
    while (this.#collecting) await this.#collecting;
  }

  /** Stops collecting after the batch under way; what is left is collected after the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    clearInterval(this.#heartbeat);
    await this.idle();
  }

  async #reserve(kind: 'plain' | 'composed'): Promise<string> {
    const ref = this.#store.newRef(kind);
    await this.#meta.tx((tx) => tx.reserveBlob(ref, this.#options.holder, this.#options.clock() + this.#leaseMs));
    this.#inFlight.add(ref);
    return ref;
  }

  /** The heartbeat: one transaction renews every write in flight. */
  async #renew(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    try {
      // The refs are read when the transaction runs, not when it is queued: a write ended meanwhile is not renewed.
      await this.#meta.tx((tx) => tx.renewReservations([...this.#inFlight], this.#options.clock() + this.#leaseMs));
    } catch (error) {
      this.#options.onRenewError(error);
    }
  }

  /**
   * Claims garbage in batches and frees it one blob at a time, so that freeing never takes more than one
   * thread-pool thread from the requests (unlinking a 1 GiB file can block for ~0.5 s on ext4 with discard).
   */
  async #collect(): Promise<void> {
    const { holder, clock, onCollectError } = this.#options;
    for (;;) {
      const claimed = await this.#meta.tx((tx) => {
        const now = clock();
        return tx.claimGarbage(holder, now, COLLECT_BATCH, now + this.#leaseMs);
      });
      if (claimed.length === 0) return;
      const freed: string[] = [];
      for (const ref of claimed) {
        try {
          await this.#store.delete(ref);
          freed.push(ref);
        } catch (error) {
          // It stays claimed, so this loop moves on; once the claim lapses a collector tries again.
          onCollectError(ref, error);
        }
      }
      await this.#meta.tx((tx) => tx.forgetBlobs(freed));
      if (this.#closed) return;
    }
  }

  /** The pieces' bytes one after another, for a store that cannot compose. */
  #concatenation(pieces: readonly BlobPiece[]): Readable {
    const store = this.#store;
    return Readable.from(
      (async function* () {
        for (const piece of pieces) yield* store.read(piece.ref) as AsyncIterable<Buffer>;
      })(),
      { objectMode: false },
    );
  }
}
