// The SigV4 case (issue #6), coslocal only: what S3 clients' signing costs against COS q-sign on the same server.
//
//   4 KiB PUT/GET, concurrency 64, side by side (see abba()): COS q-sign vs SigV4 signed the way @aws-sdk/client-s3 (3.11xx)
//     signs a 4 KiB Buffer PutObject over http by default: x-amz-content-sha256 is the payload's real
//     SHA-256 (its signer hashes in-memory bodies and uses UNSIGNED-PAYLOAD only for streams) and
//     x-amz-checksum-crc32 is sent too (requestChecksumCalculation WHEN_SUPPORTED), so the server
//     verifies both; GETs carry the empty payload's hash.
//   1 GiB PUT, one request per half, A-B-B-A-B-A-A-B twice: SigV4 UNSIGNED-PAYLOAD vs STREAMING-AWS4-HMAC-SHA256-PAYLOAD
//     in 64 KiB aws-chunks (minio-go's chunk size and the S3 documentation's example; the Java SDKs use
//     128 KiB, so 64 KiB is the costlier framing), every chunk signed and verified.
// The load generator precomputes what a real client would compute per request (the 4 KiB body's SHA-256 and
// CRC32; the repeated 64 KiB chunk's SHA-256), so its own CPU on the shared cores does not tilt the
// comparison; it still signs every request and every chunk (one HMAC each).
import { Crc32 } from '@aws-crypto/crc32';
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../src/auth/sigv4/canonical.ts';
import { signV4, signedChunkFrames, signedChunkedLength } from '../test/helpers/sigv4.ts';
import { authCostLine } from './sigv4-auth.ts';
import { makeTarget, runLoad, type Call, type LoadResult, type Signer, type Target } from './load.ts';
import { meterProcess, type ProcessUsage } from './proc-stats.ts';
import { BENCH_SECRET_ID, BENCH_SECRET_KEY, type ServerProcess } from './servers.ts';
import { abba, abbaOrder, getHalf, populate, putHalf, ratioRow, type Side } from './side-by-side.ts';

const BUCKET = 'benchsigv4-1250000000';
/** SigV4 PUTs write new/<n> from here, so the two sides never overwrite each other's keys. */
const SIGV4_KEYS_FROM = 1_000_000;
const AWS_CHUNK = 64 * 1024;
const BIG_CHUNKS = 16 * 1024;
const MiB = 1024 * 1024;

type PayloadMode = 'sha256' | 'unsigned' | 'streaming';

const memo = <T>(f: (b: Buffer) => T): ((b: Buffer) => T) => {
  const seen = new WeakMap<Buffer, T>();
  return (b) => {
    let v = seen.get(b);
    if (v === undefined) seen.set(b, (v = f(b)));
    return v;
  };
};
const sha256Of = memo(sha256Hex);
const crc32Of = memo((b) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(new Crc32().update(b).digest() >>> 0);
  return out.toString('base64');
});

/**
 * A SigV4 signer: signs host, content-length and every x-amz-* header. 'sha256' sends the payload's hash
 * and CRC32 (a whole-Buffer body); 'unsigned' sends UNSIGNED-PAYLOAD; 'streaming' re-frames a repeated
 * chunk body as aws-chunked, one aws-chunk per body chunk.
 */
function sigv4Signer(mode: PayloadMode): Signer {
  const identity = { secretId: BENCH_SECRET_ID, secretKey: BENCH_SECRET_KEY };
  return (c: Call, headers) => {
    const body = c.body;
    if (c.query?.length) throw new Error('the SigV4 bench signer signs no query');
    if (mode === 'streaming' && body !== undefined && !Buffer.isBuffer(body)) {
      const { chunk, repeat } = body;
      headers['x-amz-decoded-content-length'] = String(chunk.length * repeat);
      const length = signedChunkedLength(Array.from({ length: repeat }, () => chunk.length));
      headers['content-length'] = String(length);
      const signed = signV4({ method: c.method, path: c.path, headers, payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', identity });
      Object.assign(headers, signed.headers);
      const chunks = function* (): Generator<Buffer> {
        for (let i = 0; i < repeat; i++) yield chunk;
      };
      return { length, pieces: signedChunkFrames(chunks(), signed, sha256Of) };
    }
    let payloadHash = 'UNSIGNED-PAYLOAD';
    if (mode !== 'unsigned') {
      if (body !== undefined && !Buffer.isBuffer(body)) throw new Error(`a streamed body cannot be signed in mode ${mode}`);
      payloadHash = sha256Of(body ?? Buffer.alloc(0));
      if (body !== undefined) headers['x-amz-checksum-crc32'] = crc32Of(body);
    }
    Object.assign(headers, signV4({ method: c.method, path: c.path, headers, payloadHash, identity }).headers);
    return body;
  };
}

const sigv4Target = (name: string, server: ServerProcess, mode: PayloadMode): Target => ({
  ...makeTarget(name, server.hostPort, BENCH_SECRET_ID, BENCH_SECRET_KEY),
  sign: sigv4Signer(mode),
});

interface BigSample {
  mbps: number;
  usage: ProcessUsage;
  /** The load generator's own CPU for the PUT, µs. */
  clientMicros: number;
  errors: number;
  firstError?: string;
}

async function putBig(target: Target, server: ServerProcess, chunk: Buffer): Promise<BigSample> {
  const meter = meterProcess(server.pid);
  const clientBefore = process.cpuUsage();
  const result: LoadResult = await runLoad(target, {
    concurrency: 1,
    maxOps: 1,
    maxMs: 600_000,
    next: () => ({ method: 'PUT', path: `/${BUCKET}/big/1gib`, body: { chunk, repeat: BIG_CHUNKS } }),
  });
  const usage = meter.stop();
  const client = process.cpuUsage(clientBefore);
  return { mbps: result.bytes / MiB / (result.elapsedMs / 1000), usage, clientMicros: client.user + client.system, errors: result.errors, ...(result.firstError !== undefined && { firstError: result.firstError }) };
}

async function warmUp(target: Target): Promise<void> {
  const body = randomBytes(4096);
  const path = (i: number): string => `/${BUCKET}/warm/${i % 500}`;
  await runLoad(target, { concurrency: 64, maxOps: 2000, maxMs: 1500, next: (i) => ({ method: 'PUT', path: path(i), body }) });
  await runLoad(target, { concurrency: 64, maxOps: 2000, maxMs: 1000, next: (i) => ({ method: 'GET', path: path(i) }) });
}

/** Server main-thread CPU per request, per operation and side, summed over the measured halves. */
class CpuPerOp {
  readonly #server: ServerProcess;
  readonly #totals = new Map<string, { micros: number; ops: number }>();

  constructor(server: ServerProcess) {
    this.#server = server;
  }

  metered(op: string, half: (side: Side) => Promise<LoadResult>): (side: Side) => Promise<LoadResult> {
    return async (side) => {
      const meter = meterProcess(this.#server.pid);
      const result = await half(side);
      const id = `${op} ${side.caller.name}`;
      const total = this.#totals.get(id) ?? { micros: 0, ops: 0 };
      total.micros += meter.stop().mainThreadMicros;
      total.ops += result.ops;
      this.#totals.set(id, total);
      return result;
    };
  }

  describe(a: Side, b: Side): string {
    const per = (op: string, side: Side): string => {
      const t = this.#totals.get(`${op} ${side.caller.name}`);
      return t && t.ops > 0 ? (t.micros / t.ops).toFixed(0) : '?';
    };
    return ['PUT', 'GET'].map((op) => `${op} ${per(op, a)} / ${per(op, b)} µs`).join(', ');
  }
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export async function runSigV4Case(server: ServerProcess): Promise<string> {
  const cos = makeTarget('cos', server.hostPort, BENCH_SECRET_ID, BENCH_SECRET_KEY);
  const v4 = sigv4Target('sigv4', server, 'sha256');
  const unsigned = sigv4Target('sigv4-unsigned', server, 'unsigned');
  const streaming = sigv4Target('sigv4-streaming', server, 'streaming');
  try {
    await populate(cos, BUCKET);
    const qsign: Side = { caller: cos, bucket: BUCKET, puts: 0 };
    const sigv4: Side = { caller: v4, bucket: BUCKET, puts: SIGV4_KEYS_FROM };
    // populate() warmed the q-sign path (server JIT, sockets); without the same for SigV4 its first half runs cold.
    await warmUp(v4);
    const lines = ['| case | COS q-sign ops/s | SigV4 ops/s | ratio | target | pass? |', '| --- | --- | --- | --- | --- | --- |'];
    const perOp = new CpuPerOp(server);
    lines.push(ratioRow('4 KiB PUT (SigV4: payload SHA-256 + CRC32)', await abba(qsign, sigv4, perOp.metered('PUT', putHalf)), 0.95));
    lines.push(ratioRow('4 KiB GET', await abba(qsign, sigv4, perOp.metered('GET', getHalf)), 0.95));
    lines.push('', `Server main-thread CPU per request (q-sign / SigV4), steadier than ops/s on a shared machine: ${perOp.describe(qsign, sigv4)}.`);
    lines.push('', await authCostLine());

    const chunk = randomBytes(AWS_CHUNK);
    sha256Of(chunk);
    const samples = { unsigned: [] as BigSample[], streaming: [] as BigSample[] };
    // Eight PUTs a side: the unsigned ones alone spread 355-631 MB/s within one run.
    for (const mode of abbaOrder<'unsigned' | 'streaming'>('unsigned', 'streaming', 2)) {
      samples[mode].push(await putBig(mode === 'unsigned' ? unsigned : streaming, server, chunk));
    }
    const rate = (s: BigSample[]): number => mean(s.map((x) => x.mbps));
    const ratio = rate(samples.streaming) / rate(samples.unsigned);
    const errors = [...samples.unsigned, ...samples.streaming].reduce((n, s) => n + s.errors, 0);
    const firstError = [...samples.unsigned, ...samples.streaming].find((s) => s.firstError)?.firstError;
    const peak = (s: BigSample[]): string => `${(Math.max(...s.map((x) => x.usage.peakRss)) / MiB).toFixed(0)} MiB`;
    const spread = (s: BigSample[]): string => s.map((x) => x.mbps.toFixed(0)).join(', ');
    const cpu = (s: BigSample[]): string =>
      `${(mean(s.map((x) => x.usage.cpuMicros)) / 1e6).toFixed(1)} s (main thread ${(mean(s.map((x) => x.usage.mainThreadMicros)) / 1e6).toFixed(1)} s) | ${(mean(s.map((x) => x.clientMicros)) / 1e6).toFixed(2)} s`;
    lines.push(
      '',
      '| 1 GiB PUT, SigV4 | MB/s (mean; per half) | server CPU per PUT | load generator CPU per PUT | server peak RSS |',
      '| --- | --- | --- | --- | --- |',
      `| UNSIGNED-PAYLOAD | ${rate(samples.unsigned).toFixed(0)} (${spread(samples.unsigned)}) | ${cpu(samples.unsigned)} | ${peak(samples.unsigned)} |`,
      `| STREAMING-AWS4-HMAC-SHA256-PAYLOAD, 64 KiB chunks | ${rate(samples.streaming).toFixed(0)} (${spread(samples.streaming)}) | ${cpu(samples.streaming)} | ${peak(samples.streaming)} |`,
      '',
      `Streaming-signed / unsigned: ${ratio.toFixed(2)}× (target ≥ 0.7×): ${ratio >= 0.7 && errors === 0 ? 'yes' : `**NO**${errors ? ` (${errors} errors: ${firstError ?? ''})` : ''}`}`,
    );
    return lines.join('\n');
  } finally {
    for (const t of [cos, v4, unsigned, streaming]) t.agent.destroy();
  }
}
