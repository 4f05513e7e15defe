// Body verifiers: an aws-chunked decoder (chunk signatures, trailers, checksums) and a plain-body hash checker, both Transforms.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { cosError, type CosError } from '../../errors/cos-error.ts';
import { chunkStringToSign, EMPTY_SHA256, sha256Hex, signHex, trailerStringToSign } from './canonical.ts';
import { CHECKSUM_HEADERS, newChecksum, type Checksum, type ChecksumAlgorithm } from './checksum.ts';
import { sameHex, type SigningChain } from './verify.ts';

/** Decoded bytes buffered ahead of the reader, as the blob store buffers ahead of its file. */
const STREAM_BUFFER_BYTES = 1024 * 1024;
/** S3: every signed chunk but the last carries at least 8 KiB. */
export const MIN_SIGNED_CHUNK = 8192;
/** A chunk header or trailer line longer than this is not one [recommended]. */
const MAX_LINE = 4096;
/** Chunks are buffered nowhere, but a size beyond 5 GiB cannot be an object's. */
const MAX_CHUNK = 5 * 1024 ** 3;

export interface ExpectedChecksum {
  algorithm: ChecksumAlgorithm;
  /** Known up front (x-amz-checksum-* header) or undefined when it arrives in the trailer. */
  value: string | undefined;
}

export interface ChunkedOptions {
  /** Signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]); undefined for STREAMING-UNSIGNED-PAYLOAD-TRAILER. */
  chain: SigningChain | undefined;
  /** x-amz-trailer: the trailer header the client announced, if any. */
  trailer: string | undefined;
  checksum: ExpectedChecksum | undefined;
  /** x-amz-decoded-content-length. */
  decodedLength: number | undefined;
}

const checksumMismatch = (algorithm: ChecksumAlgorithm): CosError =>
  cosError('BadDigest', { message: `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.` });

const malformed = (detail: string): CosError => cosError('IncompleteBody', { message: 'The request body is not valid aws-chunked encoding.', detail });

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

/**
 * Decodes `<hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n[trailers]\r\n`.
 * Data flows on as it arrives; a chunk whose signature fails stops the stream at that chunk's end, and
 * the blob store then deletes what it had written (nothing is committed without a clean end).
 */
export class AwsChunkedDecoder extends Transform {
  readonly #o: ChunkedOptions;
  #state: State = 'size';
  #line = '';
  #remaining = 0;
  #chunkSize = 0;
  #chunkSignature: string | undefined;
  #chunkHash: Hash | undefined;
  #previous: string;
  #lastChunkSmall = false;
  #decoded = 0;
  readonly #checksum: Checksum | undefined;
  readonly #trailers = new Map<string, string>();
  readonly #trailerLines: string[] = [];

  constructor(options: ChunkedOptions) {
    // The default 16 KiB would stall the socket on every 64 KiB chunk until the store took it.
    super({ highWaterMark: STREAM_BUFFER_BYTES });
    this.#o = options;
    this.#previous = options.chain?.seed ?? '';
    this.#checksum = options.checksum && newChecksum(options.checksum.algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.#consume(chunk);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    this.#finish().then(() => done(), (error: Error) => done(error));
  }

  #consume(buf: Buffer): void {
    let at = 0;
    while (at < buf.length) {
      if (this.#state === 'data') {
        const take = Math.min(this.#remaining, buf.length - at);
        const slice = buf.subarray(at, at + take);
        this.#chunkHash?.update(slice);
        this.#checksum?.update(slice);
        this.#decoded += take;
        this.#remaining -= take;
        at += take;
        this.push(slice);
        if (this.#remaining === 0) this.#state = 'data-end';
        continue;
      }
      if (this.#state === 'done') throw malformed('bytes after the final chunk');
      // Line-oriented states: collect up to CRLF.
      const nl = buf.indexOf(0x0a, at);
      const end = nl < 0 ? buf.length : nl + 1;
      this.#line += buf.toString('latin1', at, end);
      at = end;
      if (this.#line.length > MAX_LINE) throw malformed('chunk header or trailer line too long');
      if (nl < 0) continue;
      if (!this.#line.endsWith('\r\n')) throw malformed('line not terminated by CRLF');
      const line = this.#line.slice(0, -2);
      this.#line = '';
      this.#onLine(line);
    }
  }

  #onLine(line: string): void {
    switch (this.#state) {
      case 'size':
        return this.#onChunkHeader(line);
      case 'data-end':
        if (line !== '') throw malformed('chunk data longer than its declared size');
        this.#endChunk();
        this.#state = 'size';
        return;
      case 'trailer':
        if (line === '') {
          this.#state = 'done';
          return;
        }
        return this.#onTrailerLine(line);
      default:
        throw malformed(`unexpected line in state ${this.#state}`);
    }
  }

  #onChunkHeader(line: string): void {
    const [sizeText = '', ...extensions] = line.split(';');
    if (!/^[0-9a-fA-F]{1,10}$/.test(sizeText)) throw malformed(`bad chunk size ${sizeText}`);
    const size = parseInt(sizeText, 16);
    if (size > MAX_CHUNK) throw malformed(`chunk of ${size} bytes`);
    const signature = extensions.map((e) => /^chunk-signature=([0-9a-f]{64})$/.exec(e.trim())?.[1]).find(Boolean);
    if (this.#o.chain && signature === undefined) throw malformed('chunk without chunk-signature');
    // S3 refuses a short chunk that is not the last one (the data-carrying last one may be short).
    if (this.#o.chain && this.#lastChunkSmall && size > 0) throw cosError('InvalidChunkSizeError', { detail: 'short chunk before the last' });
    this.#lastChunkSmall = size > 0 && size < MIN_SIGNED_CHUNK;
    this.#chunkSize = size;
    this.#chunkSignature = signature;
    this.#chunkHash = this.#o.chain ? createHash('sha256') : undefined;
    if (size === 0) {
      this.#endChunk();
      // The last chunk is followed by trailer lines (if any) and an empty line.
      this.#state = 'trailer';
      return;
    }
    this.#remaining = size;
    this.#state = 'data';
  }

  /** Verifies the chunk just read against the chain: its signature covers its bytes and the previous signature. */
  #endChunk(): void {
    const chain = this.#o.chain;
    if (!chain) return;
    const hash = this.#chunkSize === 0 ? EMPTY_SHA256 : (this.#chunkHash?.digest('hex') ?? EMPTY_SHA256);
    const expected = signHex(chain.key, chunkStringToSign(chain.amzDate, chain.scope, this.#previous, hash));
    if (!sameHex(expected, this.#chunkSignature ?? '')) {
      throw cosError('SignatureDoesNotMatch', { detail: `chunk signature mismatch after ${this.#decoded} decoded bytes` });
    }
    this.#previous = this.#chunkSignature ?? '';
  }

  #onTrailerLine(line: string): void {
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`bad trailer line ${line}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') {
      const chain = this.#o.chain;
      if (!chain) throw malformed('trailer signature on an unsigned body');
      const text = this.#trailerLines.map((l) => `${l}\n`).join('');
      const expected = signHex(chain.key, trailerStringToSign(chain.amzDate, chain.scope, this.#previous, sha256Hex(text)));
      if (!sameHex(expected, value)) throw cosError('SignatureDoesNotMatch', { detail: 'trailer signature mismatch' });
      return;
    }
    this.#trailers.set(name, value);
    this.#trailerLines.push(`${name}:${value}`);
  }

  async #finish(): Promise<void> {
    // Some clients end right after the last trailer line without the closing CRLF.
    if (this.#state === 'trailer' && this.#line === '') this.#state = 'done';
    if (this.#state !== 'done') throw cosError('IncompleteBody', { detail: `aws-chunked body ended in state ${this.#state}` });
    if (this.#o.decodedLength !== undefined && this.#decoded !== this.#o.decodedLength) {
      throw cosError('IncompleteBody', { detail: `decoded ${this.#decoded} of ${this.#o.decodedLength} bytes` });
    }
    const expected = this.#o.checksum;
    if (!expected || !this.#checksum) return;
    const value = expected.value ?? this.#trailers.get(`x-amz-checksum-${expected.algorithm}`);
    if (value === undefined) {
      throw cosError('InvalidRequest', { message: `The x-amz-checksum-${expected.algorithm} trailer announced in x-amz-trailer was not sent.` });
    }
    if ((await this.#checksum.digest()) !== value) throw checksumMismatch(expected.algorithm);
  }
}

/**
 * A plain (not aws-chunked) body's literal x-amz-content-sha256 and/or x-amz-checksum-* header, checked
 * over the chunks it is fed. A body that comes as one chunk of its declared length (most small PUTs) is
 * hashed by one crypto.hash() call, without a Hash object to build, feed, digest and collect.
 */
export class PayloadCheck {
  readonly #expectedSha256: string | undefined;
  /** Content-Length, when declared. */
  readonly #size: number | undefined;
  #fed = 0;
  /** The one-shot SHA-256 of a body that came whole. */
  #wholeSha256: string | undefined;
  /** The running SHA-256 of a body that came in pieces. */
  #sha256: Hash | undefined;
  readonly #checksum: { sum: Checksum; expected: ExpectedChecksum } | undefined;

  constructor(contentSha256: string | undefined, checksum: ExpectedChecksum | undefined, size: number | undefined) {
    this.#expectedSha256 = contentSha256;
    this.#size = size;
    this.#checksum = checksum && { sum: newChecksum(checksum.algorithm), expected: checksum };
  }

  update(chunk: Buffer): void {
    const whole = this.#fed === 0 && chunk.length === this.#size;
    this.#fed += chunk.length;
    if (this.#expectedSha256 !== undefined) {
      if (whole) this.#wholeSha256 = sha256Hex(chunk);
      else (this.#sha256 ??= createHash('sha256')).update(chunk);
    }
    this.#checksum?.sum.update(chunk);
  }

  /** Once the whole body was fed: rejects with XAmzContentSHA256Mismatch or BadDigest. */
  async verify(): Promise<void> {
    if (this.#expectedSha256 !== undefined && !sameHex(this.#actualSha256(), this.#expectedSha256)) throw cosError('XAmzContentSHA256Mismatch');
    if (this.#checksum && (await this.#checksum.sum.digest()) !== this.#checksum.expected.value) {
      throw checksumMismatch(this.#checksum.expected.algorithm);
    }
  }

  /** Empty when bytes followed a body that came whole: no hash covers them all, so none can match. */
  #actualSha256(): string {
    if (this.#sha256 === undefined) return this.#wholeSha256 ?? EMPTY_SHA256;
    return this.#wholeSha256 === undefined ? this.#sha256.digest('hex') : '';
  }
}

/** A PayloadCheck as a stream stage, for readers that do not feed one themselves. */
export class PayloadVerifier extends Transform {
  readonly #check: PayloadCheck;

  constructor(check: PayloadCheck) {
    super();
    this.#check = check;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#check.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.#check.verify().then(() => done(), (error: Error) => done(error));
  }
}

/**
 * The one x-amz-checksum-<algorithm> header a request carries, if any (names lower-cased, as node's parser
 * gives them). Two of them are refused with S3's InvalidRequest, whatever their values.
 */
export function headerChecksum(headers: Readonly<Record<string, string | undefined>>): ExpectedChecksum | undefined {
  let found: ExpectedChecksum | undefined;
  for (const [algorithm, name] of CHECKSUM_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    if (found) throw cosError('InvalidRequest', { message: 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.' });
    found = { algorithm, value: value.trim() };
  }
  return found;
}
