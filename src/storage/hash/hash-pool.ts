// MD5 (the ETag) and CRC-64 (x-cos-hash-crc64ecma) of an object body while it streams to disk.
//
// MD5 of large bodies runs off the event loop, on worker threads: at ~1.3 s of CPU per GiB (OpenSSL,
// inherently serial) it would compete on the event loop with receiving the very bytes being hashed.
// Chunks cross to the worker in batches of about BATCH_BYTES. A chunk the caller owns (a socket's, or a
// view of one, once written to its file) is moved, not copied: its ArrayBuffer is handed over and every
// view of it left empty. That is not only a memcpy saved. A received chunk waits in the stream buffers
// long enough to be promoted to the old generation, and the event loop's heap then needed a full
// mark-compact every ~34 MB of body (measured: ~30 per GiB, ~0.45 s of GC threads' CPU per GiB on 8
// parallel parts); moved, its memory is accounted to, and freed by, the worker's tiny heap instead.
// Other chunks (and small ones, where a buffer per message would cost more than the copy) are gathered
// into a fresh buffer.
// There are as many workers as cores, started as concurrent bodies need them, and each body goes to the
// least busy one, so parallel uploads (multipart parts) hash in parallel. CRC-64 (~0.3 s per GiB) runs
// beside MD5 on the worker when other large bodies are in flight; a body that starts alone keeps it on
// the event loop, because MD5 + CRC-64 on one worker made that worker the busiest thread of a lone 1 GiB
// PUT (~1.9 s vs ~1.0 s for the event loop; split, measured ~1.25 s and ~1.45 s).
// A body has at most MAX_IN_FLIGHT_BYTES sent and not yet hashed: when its worker falls behind, update()
// returns a promise and the caller stops reading the socket, so memory stays bounded and TCP
// back-pressure reaches the client.
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
  /**
   * Takes a chunk. A hasher made for owned chunks may move the chunk's ArrayBuffer away, leaving it and
   * every view of it empty: the caller must not read it afterwards. Any other chunk is copied or consumed
   * before this returns. A promise means: wait for it before the next update.
   */
  update(chunk: Uint8Array): Promise<void> | undefined;
  /** The digests of everything updated so far; call once, after the last update settled. */
  digest(): Promise<BodyDigests>;
  /** Drops the session (the body failed): a pending update() or digest() rejects; no digest() after it. */
  abort(): void;
}

/** Bodies up to this size (when Content-Length says so) are hashed on the event loop. */
export const INLINE_MAX_BYTES = 256 * 1024;
/** Bytes per message to a worker: a batch of moved chunks, or one buffer of gathered (copied) bytes. */
const BATCH_BYTES = 256 * 1024;
/** Per body: at most this many bytes sent to the worker and not yet hashed. */
const MAX_IN_FLIGHT_BYTES = 1024 * 1024;
/** Owned chunks of a buffer smaller than this are copied all the same: moving a buffer costs more than the copy. */
const MIN_MOVE_BYTES = 16 * 1024;
/**
 * One worker per core: a body's hashing keeps one thread busy while the event loop mostly waits on the
 * socket and the disk. Measured on 2 cores, 8 parallel 128 MiB parts: one worker hashing all of them was
 * the bottleneck (~1.45 s of CPU per GiB on one thread, with CRC-64 on the event loop as well).
 */
const WORKERS = Math.max(1, Math.min(4, availableParallelism()));

/** A hash worker's young generation: small, so that the chunks it is done with are freed often (see WORKER_SOURCE). */
const YOUNG_GENERATION_MB = 1;

type ToWorker =
  | { op: 'begin'; id: number; crc: boolean }
  /** The bytes to hash next: for each piece, in order, `pieces[3i+2]` bytes at `pieces[3i+1]` of `buffers[pieces[3i]]`. */
  | { op: 'data'; id: number; buffers: ArrayBuffer[]; pieces: number[] }
  | { op: 'end'; id: number }
  | { op: 'abort'; id: number };

type FromWorker = { op: 'ack'; id: number; bytes: number } | { op: 'digest'; id: number; md5Hex: string; crc64?: string };

/**
 * The worker, as plain JavaScript using only Node built-ins: a worker does not inherit tsx's loader
 * when run from source (privatenumber/tsx#354), and loading it there costs ~20 MiB per thread.
 * Every data message is acknowledged, also for a dropped session, so the sender's in-flight count holds.
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
let ballast;
parentPort.on('message', (m) => {
  if (m.op === 'begin') {
    sessions.set(m.id, { md5: createHash('md5'), crc: m.crc ? -1n : undefined });
  } else if (m.op === 'data') {
    const session = sessions.get(m.id);
    let bytes = 0;
    for (let i = 0; i < m.pieces.length; i += 3) {
      const chunk = Buffer.from(m.buffers[m.pieces[i]], m.pieces[i + 1], m.pieces[i + 2]);
      bytes += chunk.length;
      if (!session) continue;
      session.md5.update(chunk);
      for (let at = 0; session.crc !== undefined && at < chunk.length; at += room) {
        const part = chunk.subarray(at, at + room);
        memory.set(part, dataAt);
        session.crc = kernel.update(session.crc, dataAt, part.length);
      }
    }
    // The chunks are garbage now, but V8 frees a dead array buffer only at a GC, and starts a young-
    // generation GC for their sake alone once 32 MB of them exist (Heap::AllocateExternalBackingStore, a
    // fixed threshold): up to 32 MB of RSS per busy worker. So the worker's young generation is small
    // (YOUNG_GENERATION_MB) and each message leaves on-heap garbage of an eighth of the bytes it hashed: a
    // cheap scavenge (few live objects) runs every few MB and frees the chunks with it. Measured, the
    // server's peak RSS: a 1 GiB PUT 178 -> 143 MiB, 8 parallel 128 MiB parts 230 -> 178 MiB, for ~3%
    // more of this thread's CPU. (Kept in a variable, so no compiler drops the allocation as unused.)
    ballast = new Array(bytes >>> 6);
    parentPort.postMessage({ op: 'ack', id: m.id, bytes });
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

  /**
   * A hasher for a body of `size` bytes (undefined: unknown, e.g. chunked transfer encoding).
   * `ownedChunks`: nothing else reads a chunk's ArrayBuffer (any of it) once the chunk is given to
   * update(), so the buffer may move. The views of one buffer must come one after another.
   */
  hasherFor(size: number | undefined, ownedChunks = false): BodyHasher {
    if (this.#closed || (size !== undefined && size <= INLINE_MAX_BYTES)) return inlineHasher();
    const lone = this.#workers.every((w) => w === undefined || w.sessions.size === 0);
    return new WorkerHasher(this.#nextId++, this.#leastBusy(), lone ? new Crc64() : undefined, ownedChunks);
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
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { crc64: crc64Kernel() }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
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
  readonly #ownedChunks: boolean;
  /** The next message's buffers (moved, or gathered) and its pieces (see ToWorker). */
  #buffers: ArrayBuffer[] = [];
  #pieces: number[] = [];
  #batched = 0;
  /**
   * The owned buffer the latest chunks are views of, and their [offset, length] pairs. It moves only once
   * a chunk of another buffer (or the end) comes: a later chunk may still be a view of it.
   */
  #owned: { buffer: ArrayBuffer; ranges: number[] } | undefined;
  /** Where small or borrowed chunks are copied, until it is full or a moved chunk must follow it. */
  #gather: Buffer | undefined;
  #gathered = 0;
  #inFlight = 0;
  #failed: Error | undefined;
  #onRoom: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #onDigest: { resolve: (digests: BodyDigests) => void; reject: (error: Error) => void } | undefined;

  constructor(id: number, worker: PoolWorker, crc: Crc64 | undefined, ownedChunks: boolean) {
    this.#id = id;
    this.#worker = worker;
    this.#crc = crc;
    this.#ownedChunks = ownedChunks;
    worker.sessions.set(id, this);
    this.#post({ op: 'begin', id, crc: crc === undefined });
  }

  update(chunk: Uint8Array): Promise<void> | undefined {
    if (this.#failed) return Promise.reject(this.#failed);
    this.#crc?.update(chunk);
    const buffer = chunk.buffer;
    if (this.#ownedChunks && buffer instanceof ArrayBuffer && buffer.byteLength >= MIN_MOVE_BYTES) {
      if (this.#owned?.buffer !== buffer) {
        this.#endOwned();
        this.#endGather();
        this.#owned = { buffer, ranges: [] };
      }
      this.#owned.ranges.push(chunk.byteOffset, chunk.byteLength);
    } else {
      this.#endOwned();
      this.#copy(chunk);
    }
    if (this.#batched >= BATCH_BYTES) this.#send();
    if (this.#inFlight < MAX_IN_FLIGHT_BYTES) return undefined;
    return new Promise<void>((resolve, reject) => (this.#onRoom = { resolve, reject }));
  }

  async digest(): Promise<BodyDigests> {
    if (this.#failed) throw this.#failed;
    this.#endOwned();
    this.#endGather();
    this.#send();
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
      this.#inFlight -= m.bytes;
      if (this.#inFlight >= MAX_IN_FLIGHT_BYTES) return;
      const waiter = this.#onRoom;
      this.#onRoom = undefined;
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
    this.#onRoom?.reject(error);
    this.#onDigest?.reject(error);
  }

  /** Copies chunk into gather buffers, batching each full one. */
  #copy(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length; ) {
      this.#gather ??= Buffer.allocUnsafeSlow(BATCH_BYTES);
      const n = Math.min(BATCH_BYTES - this.#gathered, chunk.length - at);
      this.#gather.set(chunk.subarray(at, at + n), this.#gathered);
      this.#gathered += n;
      at += n;
      if (this.#gathered === BATCH_BYTES) this.#endGather();
    }
  }

  /** Batches what the gather buffer holds (it moves with the batch: the next copy starts a new one). */
  #endGather(): void {
    if (this.#gather === undefined) return;
    // allocUnsafeSlow: a buffer of its own, never a slice of the shared pool.
    if (this.#gathered > 0) this.#batch(this.#gather.buffer as ArrayBuffer, [0, this.#gathered]);
    this.#gather = undefined;
    this.#gathered = 0;
  }

  #endOwned(): void {
    if (this.#owned === undefined) return;
    this.#batch(this.#owned.buffer, this.#owned.ranges);
    this.#owned = undefined;
  }

  /** Adds buffer's [offset, length] ranges to the next message. */
  #batch(buffer: ArrayBuffer, ranges: readonly number[]): void {
    const index = this.#buffers.push(buffer) - 1;
    for (let i = 0; i < ranges.length; i += 2) {
      this.#pieces.push(index, ranges[i]!, ranges[i + 1]!);
      this.#batched += ranges[i + 1]!;
    }
  }

  #send(): void {
    if (this.#buffers.length === 0) return;
    const message: ToWorker = { op: 'data', id: this.#id, buffers: this.#buffers, pieces: this.#pieces };
    try {
      this.#worker.worker.postMessage(message, this.#buffers);
    } catch {
      // A buffer that cannot move (Node 21+ throws for those marked untransferable) is copied instead.
      this.#post(message);
    }
    this.#inFlight += this.#batched;
    this.#buffers = [];
    this.#pieces = [];
    this.#batched = 0;
  }

  #post(message: ToWorker): void {
    this.#worker.worker.postMessage(message);
  }
}
