// The load generator: COS-signed requests over keep-alive node:http, closed-loop at a fixed concurrency.
import { Agent, request, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { authorization } from '../test/helpers/sign.ts';

export interface Target {
  name: string;
  hostPort: string;
  agent: Agent;
  secretId: string;
  secretKey: string;
  /** How requests are signed; COS q-sign with secretId/secretKey when absent. */
  sign?: Signer;
}

export function makeTarget(name: string, hostPort: string, secretId: string, secretKey: string): Target {
  return { name, hostPort, agent: new Agent({ keepAlive: true, maxSockets: 64 }), secretId, secretKey };
}

export interface Call {
  method: 'GET' | 'PUT' | 'POST';
  /** Decoded path, `/<bucket>/<key>` or `/<bucket>/`; signed as is and sent percent-encoded. */
  path: string;
  query?: ReadonlyArray<readonly [string, string]>;
  /** A whole body, or a streamed one: `chunk` written `repeat` times. */
  body?: Buffer | { chunk: Buffer; repeat: number };
  /** Extra request headers (lower-case names), signed like the SDKs sign x-cos-* headers. */
  headers?: Readonly<Record<string, string>>;
}

/** A body sent piece by piece (e.g. aws-chunked frames), `length` bytes in all. */
export interface PiecesBody {
  length: number;
  pieces: Iterable<Buffer>;
}

/**
 * Signs a request in place: adds its auth headers (host and content-length are set) and returns the
 * body to send, the call's own or a re-framed one (aws-chunked, with content-length updated).
 */
export type Signer = (c: Call, headers: Record<string, string>) => Call['body'] | PiecesBody;

export interface CallResult {
  status: number;
  /** Response body bytes received. */
  bytes: number;
  /** The body, when the caller asked to keep it. */
  body?: Buffer;
}

const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/**
 * One signed request. The signature covers host (and content-length for bodies), as the SDKs do;
 * both servers get the same signing work, the bare one just ignores it.
 */
export function call(target: Target, c: Call, keepBody = false): Promise<CallResult> {
  const length = c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body.length : c.body.chunk.length * c.body.repeat;
  const headers: Record<string, string> = { host: target.hostPort, ...c.headers };
  if (length !== undefined) headers['content-length'] = String(length);
  const query = c.query ?? [];
  let body: Call['body'] | PiecesBody = c.body;
  if (target.sign) body = target.sign(c, headers);
  else {
    headers['authorization'] = authorization({
      secretId: target.secretId,
      secretKey: target.secretKey,
      method: c.method,
      path: c.path,
      query,
      headers,
    });
  }
  const search = query.length === 0 ? '' : `?${query.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&')}`;
  const [hostname = '127.0.0.1', port = '80'] = target.hostPort.split(':');
  return new Promise<CallResult>((resolve, reject) => {
    const req = request({ hostname, port: Number(port), method: c.method, path: encodePath(c.path) + search, headers, agent: target.agent }, (res: IncomingMessage) => {
      let bytes = 0;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (keepBody) chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ...(keepBody && { body: Buffer.concat(chunks) }) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body === undefined || Buffer.isBuffer(body)) {
      req.end(body);
      return;
    }
    // Streamed body: the same chunk again and again, or the pieces, honouring backpressure (never 1 GiB in memory).
    void (async () => {
      if ('pieces' in body) {
        for (const piece of body.pieces) {
          if (!req.write(piece)) await once(req, 'drain');
        }
      } else {
        for (let i = 0; i < body.repeat; i++) {
          if (!req.write(body.chunk)) await once(req, 'drain');
        }
      }
      req.end();
    })().catch((error: unknown) => req.destroy(error instanceof Error ? error : new Error(String(error))));
  });
}

export interface LoadResult {
  ops: number;
  errors: number;
  /** Request latencies in milliseconds. */
  latencies: number[];
  elapsedMs: number;
  /** Request + response body bytes moved. */
  bytes: number;
  /** First failure, for the report. */
  firstError?: string;
}

export interface LoadOptions {
  concurrency: number;
  maxOps: number;
  maxMs: number;
  /** The i-th request of this run. */
  next(i: number): Call;
  /** Status that counts as success (default 200). */
  ok?: number;
}

/** Closed loop: `concurrency` workers each issue one request after another until maxOps or maxMs. */
export async function runLoad(target: Target, o: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  let bytes = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + o.maxMs;
  const worker = async (): Promise<void> => {
    while (issued < o.maxOps && performance.now() < deadline) {
      const c = o.next(issued++);
      const t0 = performance.now();
      try {
        const r = await call(target, c);
        latencies.push(performance.now() - t0);
        bytes += r.bytes + (c.body === undefined ? 0 : Buffer.isBuffer(c.body) ? c.body.length : c.body.chunk.length * c.body.repeat);
        if (r.status !== (o.ok ?? 200)) {
          errors++;
          firstError ??= `${c.method} ${c.path}: HTTP ${r.status}`;
        }
      } catch (error) {
        errors++;
        firstError ??= `${c.method} ${c.path}: ${String(error)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return { ops: latencies.length, errors, latencies, elapsedMs: performance.now() - start, bytes, ...(firstError !== undefined && { firstError }) };
}
