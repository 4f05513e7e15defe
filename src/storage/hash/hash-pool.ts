// MD5 (the ETag) and CRC-64 (x-cos-hash-crc64ecma) of an object body while it streams to disk.
//
// MD5 of large bodies runs off the event loop: at ~1.4 s of CPU per GiB (OpenSSL, inherently serial) it
// would compete on the event loop with receiving the very bytes being hashed. CRC-64 stays on the event
// loop: the WebAssembly kernel costs ~0.55 s per GiB, less than shipping the bytes to a second thread
// would save on this 2-core machine, and a second worker costs memory.
// The main thread copies each chunk once into a shared block (a socket's buffer cannot be handed over:
// the file write still uses it) and posts the block to an MD5 worker, reusing it once acknowledged.
// A body has at most BLOCKS blocks in flight: when the worker falls behind, update() returns a promise
// and the caller stops reading the socket, so memory stays bounded and TCP back-pressure reaches the client.
// Small bodies are hashed inline: a round trip to a worker costs more than hashing a few KiB.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Crc64 } from '../../util/crc64.ts';

export interface BodyDigests {
  md5Hex: string;
  crc64: string;
}

export interface BodyHasher {
  /** Takes a chunk (copied or consumed before returning). A promise means: wait for it before the next update. */
  update(chunk: Uint8Array): Promise<void> | undefined;
  /** The digests of everything updated so far; call once, after the last update settled. */
  digest(): Promise<BodyDigests>;
  /** Drops the session (the body failed): a pending update() or digest() rejects; no digest() after it. */
  abort(): void;
}

/** Bodies up to this size (when Content-Length says so) are hashed on the event loop. */
export const INLINE_MAX_BYTES = 256 * 1024;
const BLOCK_BYTES = 512 * 1024;
/** Per body: at most BLOCKS * BLOCK_BYTES (2 MiB) copied and not yet hashed. */
const BLOCKS = 4;
/** One MD5 stream per worker at a time keeps a core busy; spare cores serve concurrent large bodies. */
const WORKERS = Math.max(1, Math.min(4, availableParallelism() - 1));

type ToWorker =
  | { op: 'begin'; id: number }
  | { op: 'data'; id: number; slot: number; block: SharedArrayBuffer; length: number }
  | { op: 'end'; id: number }
  | { op: 'abort'; id: number };

type FromWorker = { op: 'ack'; id: number; slot: number } | { op: 'digest'; id: number; md5Hex: string };

/**
 * The worker, as plain JavaScript using only Node built-ins: a worker does not inherit tsx's loader
 * when run from source (privatenumber/tsx#354), and loading it there costs ~20 MiB per thread.
 * Every data message is acknowledged, also for a dropped session, so the sender's block accounting holds.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const sessions = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'begin') {
    sessions.set(m.id, createHash('md5'));
  } else if (m.op === 'data') {
    sessions.get(m.id)?.update(new Uint8Array(m.block, 0, m.length));
    parentPort.postMessage({ op: 'ack', id: m.id, slot: m.slot });
  } else if (m.op === 'end') {
    const hash = sessions.get(m.id);
    sessions.delete(m.id);
    if (hash) parentPort.postMessage({ op: 'digest', id: m.id, md5Hex: hash.digest('hex') });
  } else {
    sessions.delete(m.id);
  }
});
`;

export function inlineHasher(): BodyHasher {
  const md5 = createHash('md5');
  const crc = new Crc64();
  return {
    update(chunk) {
      md5.update(chunk);
      crc.update(chunk);
      return undefined;
    },
    digest: () => Promise.resolve({ md5Hex: md5.digest('hex'), crc64: crc.digest() }),
    abort: () => undefined,
  };
}

interface PoolWorker {
  worker: Worker;
  /** Sessions with work on this worker, by id. */
  sessions: Map<number, WorkerHasher>;
}

export class HashPool {
  readonly #workers: (PoolWorker | undefined)[] = [];
  #nextId = 1;
  #closed = false;

  /** A hasher for a body of `size` bytes (undefined: unknown, e.g. chunked transfer encoding). */
  hasherFor(size: number | undefined): BodyHasher {
    if (this.#closed || (size !== undefined && size <= INLINE_MAX_BYTES)) return inlineHasher();
    const id = this.#nextId++;
    return new WorkerHasher(id, this.#worker(id % WORKERS));
  }

  /** Number of live worker threads (they start with the first large body). */
  get threads(): number {
    return this.#workers.filter((w) => w !== undefined).length;
  }

  /** Stops the workers; bodies still hashing fail. Later hashers run inline. */
  async close(): Promise<void> {
    this.#closed = true;
    const live = this.#workers.filter((w): w is PoolWorker => w !== undefined);
    this.#workers.length = 0;
    await Promise.all(live.map((w) => w.worker.terminate()));
  }

  #worker(index: number): PoolWorker {
    const existing = this.#workers[index];
    if (existing) return existing;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    // Idle workers never keep the process alive; a body in flight has its socket doing that.
    worker.unref();
    const entry: PoolWorker = { worker, sessions: new Map() };
    const gone = (error: Error): void => {
      if (this.#workers[index] === entry) this.#workers[index] = undefined;
      for (const session of entry.sessions.values()) session.fail(error);
      entry.sessions.clear();
    };
    worker.on('message', (m: FromWorker) => entry.sessions.get(m.id)?.receive(m));
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`hash worker exited (${code})`)));
    this.#workers[index] = entry;
    return entry;
  }
}

class WorkerHasher implements BodyHasher {
  readonly #id: number;
  readonly #worker: PoolWorker;
  readonly #crc = new Crc64();
  readonly #blocks: SharedArrayBuffer[] = [];
  readonly #views: Uint8Array[] = [];
  readonly #free: number[] = [];
  #current = -1;
  #fill = 0;
  #failed: Error | undefined;
  #onFree: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #onDigest: { resolve: (md5Hex: string) => void; reject: (error: Error) => void } | undefined;

  constructor(id: number, worker: PoolWorker) {
    this.#id = id;
    this.#worker = worker;
    worker.sessions.set(id, this);
    this.#post({ op: 'begin', id });
  }

  update(chunk: Uint8Array): Promise<void> | undefined {
    if (this.#failed) return Promise.reject(this.#failed);
    this.#crc.update(chunk);
    return this.#copy(chunk);
  }

  async digest(): Promise<BodyDigests> {
    if (this.#failed) throw this.#failed;
    if (this.#current >= 0) this.#send();
    const md5 = new Promise<string>((resolve, reject) => (this.#onDigest = { resolve, reject }));
    this.#post({ op: 'end', id: this.#id });
    return { md5Hex: await md5, crc64: this.#crc.digest() };
  }

  abort(): void {
    // Its acks and digest are dropped from now on, so whatever waits on them must be told here.
    this.fail(new Error('hash session aborted'));
    this.#post({ op: 'abort', id: this.#id });
  }

  receive(m: FromWorker): void {
    if (m.op === 'ack') {
      this.#free.push(m.slot);
      const waiter = this.#onFree;
      this.#onFree = undefined;
      waiter?.resolve();
      return;
    }
    this.#worker.sessions.delete(this.#id);
    this.#onDigest?.resolve(m.md5Hex);
  }

  fail(error: Error): void {
    this.#failed = error;
    this.#worker.sessions.delete(this.#id);
    this.#onFree?.reject(error);
    this.#onDigest?.reject(error);
  }

  /** Copies chunk into blocks, sending each full one; waits when all BLOCKS are with the worker. */
  #copy(chunk: Uint8Array): Promise<void> | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.#current < 0) {
        const slot = this.#takeFree();
        if (slot === undefined) {
          const rest = chunk.subarray(at);
          return new Promise<void>((resolve, reject) => (this.#onFree = { resolve, reject })).then(() => this.#copy(rest));
        }
        this.#current = slot;
        this.#fill = 0;
      }
      const view = this.#views[this.#current]!;
      const n = Math.min(BLOCK_BYTES - this.#fill, chunk.length - at);
      view.set(chunk.subarray(at, at + n), this.#fill);
      this.#fill += n;
      at += n;
      if (this.#fill === BLOCK_BYTES) this.#send();
    }
    return undefined;
  }

  #takeFree(): number | undefined {
    const slot = this.#free.pop();
    if (slot !== undefined || this.#blocks.length === BLOCKS) return slot;
    const block = new SharedArrayBuffer(BLOCK_BYTES);
    this.#blocks.push(block);
    this.#views.push(new Uint8Array(block));
    return this.#blocks.length - 1;
  }

  #send(): void {
    const slot = this.#current;
    this.#post({ op: 'data', id: this.#id, slot, block: this.#blocks[slot]!, length: this.#fill });
    this.#current = -1;
  }

  #post(message: ToWorker): void {
    this.#worker.worker.postMessage(message);
  }
}
