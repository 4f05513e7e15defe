// Reads byte ranges of files, in order, as one stream whose buffers a consumer can hand back for reuse.
//
// fs.createReadStream allocates a buffer per read, and each is garbage once sent. On a 1 GiB GET that
// made the event loop's heap run ~35 full GCs per GiB (measured: ~0.45 s of GC threads' CPU per GiB; the
// GET cost ~1.45 s of CPU per GiB where a bare node:http server spends ~0.7). A consumer that knows when
// it is done with a chunk (sendReply, once the socket has taken it) gives it back with recycle(), so a
// GET cycles through a few buffers; any other consumer keeps its chunks, as with createReadStream.
import { close, open, read } from 'node:fs';
import { Readable } from 'node:stream';

export interface FileSegment {
  path: string;
  start: number;
  /** Inclusive; Infinity: to the end of the file. */
  end: number;
}

/** Bytes per read: a quarter of the thread-pool round trips of createReadStream's 64 KiB. */
const CHUNK_BYTES = 256 * 1024;

export class FileReader extends Readable {
  readonly #segments: () => Promise<readonly FileSegment[]>;
  #queue: FileSegment[] = [];
  #file: { fd: number; position: number; end: number } | undefined;
  /** The read under way, if any: the descriptor is closed only after it. */
  #reading: Promise<unknown> = Promise.resolve();
  /** Buffers given back, to read into again; and the memory of those pushed and not given back yet. */
  readonly #free: Buffer[] = [];
  readonly #lent = new WeakSet<ArrayBufferLike>();

  /** `segments` is called once, before the first read (a composed blob reads its manifest then). */
  constructor(segments: () => Promise<readonly FileSegment[]>) {
    super({ highWaterMark: 2 * CHUNK_BYTES });
    this.#segments = segments;
  }

  /** Gives back a chunk this stream pushed, once nothing reads it any more: its buffer is reused. */
  recycle(chunk: Uint8Array): void {
    if (this.#lent.delete(chunk.buffer)) this.#free.push(Buffer.from(chunk.buffer));
  }

  override _construct(callback: (error?: Error | null) => void): void {
    this.#segments().then((segments) => {
      this.#queue = segments.filter((segment) => segment.end >= segment.start);
      callback();
    }, callback);
  }

  override _read(): void {
    const next = this.#next();
    this.#reading = next;
    next.then(
      (chunk) => this.push(chunk),
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    void this.#reading
      .catch(() => undefined)
      .then(() => this.#closeFile())
      .then(
        () => callback(error),
        (closeError: Error) => callback(error ?? closeError),
      );
  }

  /** The next chunk, or null at the end of the last segment. */
  async #next(): Promise<Buffer | null> {
    for (;;) {
      if (!this.#file) {
        const segment = this.#queue.shift();
        if (!segment) return null;
        this.#file = { fd: await openFile(segment.path), position: segment.start, end: segment.end };
      }
      const file = this.#file;
      const want = Math.min(CHUNK_BYTES, file.end - file.position + 1);
      // allocUnsafeSlow: memory of its own (never the shared pool's), not zeroed first.
      const buffer = this.#free.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
      const count = want > 0 ? await readFile(file.fd, buffer, want, file.position) : 0;
      if (count === 0) {
        // The segment's end, or the file's (a short file ends its segment early, as createReadStream does).
        this.#free.push(buffer);
        await this.#closeFile();
        continue;
      }
      file.position += count;
      this.#lent.add(buffer.buffer);
      return buffer.subarray(0, count);
    }
  }

  async #closeFile(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    if (file) await new Promise<void>((resolve, reject) => close(file.fd, (error) => (error ? reject(error) : resolve())));
  }
}

const openFile = (path: string): Promise<number> =>
  new Promise((resolve, reject) => open(path, 'r', (error, fd) => (error ? reject(error) : resolve(fd))));

const readFile = (fd: number, buffer: Buffer, length: number, position: number): Promise<number> =>
  new Promise((resolve, reject) => read(fd, buffer, 0, length, position, (error, count) => (error ? reject(error) : resolve(count))));
