// MD5 (the ETag) and CRC-64 (x-cos-hash-crc64ecma) of an object body while it streams to disk.
//
// MD5 of large bodies runs off the event loop, on worker threads: at ~1.3 s of CPU per GiB (OpenSSL,
// inherently serial) it would compete on the event loop with receiving the very bytes being hashed.
// The main thread only copies each chunk once into a shared block (a socket's buffer cannot be handed
// over: the file write still uses it) and tells the body's worker which block to hash, reusing it once
// acknowledged. A block crosses to the worker once, when it is made; data messages only name it (posting
// it each time made a new SharedArrayBuffer object on the worker per block).
// There are as many workers as cores, started as concurrent bodies need them, and each body goes to the
// least busy one, so parallel uploads (multipart parts) hash in parallel. CRC-64 (~0.3 s per GiB) runs
// beside MD5 on the worker when other large bodies are in flight; a body that starts alone keeps it on
// the event loop, because MD5 + CRC-64 on one worker made that worker the busiest thread of a lone 1 GiB
// PUT (~1.9 s vs ~1.0 s for the event loop; split, measured ~1.25 s and ~1.45 s).
// A body has at most BLOCKS blocks in flight: when its worker falls behind, update() returns a promise
// and the caller stops reading the socket, so memory stays bounded and TCP back-pressure reaches the client.
// Small bodies are hashed inline: a round trip to a worker costs more than hashing a few KiB.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Crc64, crc64Kernel } from '../../util/crc64.ts';

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
/** 256 KiB rather than 512 KiB: the same CPU per GiB (measured), half the memory for 8 parallel parts. */
const BLOCK_BYTES = 256 * 1024;
/** Per body: at most BLOCKS * BLOCK_BYTES (1 MiB) copied and not yet hashed. */
const BLOCKS = 4;
/**
 * One worker per core: a body's hashing keeps one thread busy while the event loop mostly waits on the
 * socket and the disk. Measured on 2 cores, 8 parallel 128 MiB parts: one worker hashing all of them was
 * the bottleneck (~1.45 s of CPU per GiB on one thread, with CRC-64 on the event loop as well).
 */
const WORKERS = Math.max(1, Math.min(4, availableParallelism()));

type ToWorker =
  | { op: 'begin'; id: number; crc: boolean }
  | { op: 'block'; id: number; slot: number; block: SharedArrayBuffer }
  | { op: 'data'; id: number; slot: number; length: number }
  | { op: 'end'; id: number }
  | { op: 'abort'; id: number };

type FromWorker = { op: 'ack'; id: number; slot: number } | { op: 'digest'; id: number; md5Hex: string; crc64?: string };

/**
 * The worker, as plain JavaScript using only Node built-ins: a worker does not inherit tsx's loader
 * when run from source (privatenumber/tsx#354), and loading it there costs ~20 MiB per thread.
 * Every data message is acknowledged, also for a dropped session, so the sender's block accounting holds.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
// CRC-64 runs util/crc64.ts's kernel (posted in workerData) the way Crc64.update does.
const { module, tables, dataAt, room } = workerData.crc64;
const kernel = new WebAssembly.Instance(module).exports;
const memory = Buffer.from(kernel.memory.buffer);
memory.set(tables);
const sessions = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'begin') {
    sessions.set(m.id, { md5: createHash('md5'), crc: m.crc ? -1n : undefined, blocks: [] });
  } else if (m.op === 'block') {
    const session = sessions.get(m.id);
    if (session) session.blocks[m.slot] = Buffer.from(m.block);
  } else if (m.op === 'data') {
    const session = sessions.get(m.id);
    if (session) {
      const bytes = session.blocks[m.slot].subarray(0, m.length);
      session.md5.update(bytes);
      for (let at = 0; session.crc !== undefined && at < bytes.length; at += room) {
        const part = bytes.subarray(at, at + room);
        memory.fill(part, dataAt, dataAt + part.length); // a plain memcpy, as in WorkerHasher.#copy
        session.crc = kernel.update(session.crc, dataAt, part.length);
      }
    }
    parentPort.postMessage({ op: 'ack', id: m.id, slot: m.slot });
  } else if (m.op === 'end') {
    const session = sessions.get(m.id);
    sessions.delete(m.id);
    if (session) {
      const crc64 = session.crc === undefined ? undefined : BigInt.asUintN(64, ~session.crc).toString();
      parentPort.postMessage({ op: 'digest', id: m.id, md5Hex: session.md5.digest('hex'), crc64 });
    }
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
    const lone = this.#workers.every((w) => w === undefined || w.sessions.size === 0);
    return new WorkerHasher(this.#nextId++, this.#leastBusy(), lone ? new Crc64() : undefined);
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

  /**
   * The live worker with the fewest bodies; a new one only while every live one has a body, so
   * sequential bodies keep reusing one thread (each costs memory) and concurrent ones spread out.
   */
  #leastBusy(): PoolWorker {
    let best: PoolWorker | undefined;
    let vacant = -1;
    for (let index = 0; index < WORKERS; index++) {
      const entry = this.#workers[index];
      if (!entry) {
        if (vacant < 0) vacant = index;
      } else if (!best || entry.sessions.size < best.sessions.size) {
        best = entry;
      }
    }
    if (best && (best.sessions.size === 0 || vacant < 0)) return best;
    return this.#start(vacant);
  }

  #start(index: number): PoolWorker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { crc64: crc64Kernel() } });
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
  /** CRC-64 computed here, on the event loop (a lone body); undefined: the worker computes it. */
  readonly #crc: Crc64 | undefined;
  readonly #views: Buffer[] = [];
  readonly #free: number[] = [];
  #current = -1;
  #fill = 0;
  #failed: Error | undefined;
  #onFree: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #onDigest: { resolve: (digests: BodyDigests) => void; reject: (error: Error) => void } | undefined;

  constructor(id: number, worker: PoolWorker, crc: Crc64 | undefined) {
    this.#id = id;
    this.#worker = worker;
    this.#crc = crc;
    worker.sessions.set(id, this);
    this.#post({ op: 'begin', id, crc: crc === undefined });
  }

  update(chunk: Uint8Array): Promise<void> | undefined {
    if (this.#failed) return Promise.reject(this.#failed);
    this.#crc?.update(chunk);
    return this.#copy(chunk);
  }

  async digest(): Promise<BodyDigests> {
    if (this.#failed) throw this.#failed;
    if (this.#current >= 0) this.#send();
    const digests = new Promise<BodyDigests>((resolve, reject) => (this.#onDigest = { resolve, reject }));
    this.#post({ op: 'end', id: this.#id });
    return digests;
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
    const crc64 = this.#crc ? this.#crc.digest() : m.crc64;
    if (crc64 === undefined) this.#onDigest?.reject(new Error('hash worker sent no CRC-64'));
    else this.#onDigest?.resolve({ md5Hex: m.md5Hex, crc64 });
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
      // fill() with a buffer as big as the range is a plain memcpy (Node's C++ Buffer fill); set() into
      // shared memory is V8's word-by-word relaxed-atomic copy, measured ~0.2 s of event loop CPU per GiB more.
      view.fill(chunk.subarray(at, at + n), this.#fill, this.#fill + n);
      this.#fill += n;
      at += n;
      if (this.#fill === BLOCK_BYTES) this.#send();
    }
    return undefined;
  }

  #takeFree(): number | undefined {
    const slot = this.#free.pop();
    if (slot !== undefined || this.#views.length === BLOCKS) return slot;
    const block = new SharedArrayBuffer(BLOCK_BYTES);
    this.#views.push(Buffer.from(block));
    this.#post({ op: 'block', id: this.#id, slot: this.#views.length - 1, block });
    return this.#views.length - 1;
  }

  #send(): void {
    const slot = this.#current;
    this.#post({ op: 'data', id: this.#id, slot, length: this.#fill });
    this.#current = -1;
  }

  #post(message: ToWorker): void {
    this.#worker.worker.postMessage(message);
  }
}
