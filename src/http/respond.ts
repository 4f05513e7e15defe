// Writes a Reply: COS's common headers on every response, bodies streamed, no body on HEAD.
import type { ServerResponse } from 'node:http';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ApiDialect } from '../domain/api-dialect.ts';
import { withAmzResponseTwins } from './s3-headers.ts';

export interface Reply {
  status: number;
  headers?: Readonly<Record<string, string | number>>;
  body?: string | Buffer | Readable;
}

export interface ResponseIds {
  requestId: string;
  traceId: string;
  /**
   * The server's clock when the request arrived (epoch ms), sent as the Date header instead of Node's
   * wall-clock one: SDKs correct their clock skew from Date, so it must follow a moved test clock.
   */
  now: number;
}

export const XML_TYPE = 'application/xml';

export const xmlReply = (xml: string, status = 200, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': XML_TYPE, ...headers },
  body: xml,
});

export const emptyReply = (status: number, headers: Record<string, string | number> = {}): Reply => ({ status, headers });

/**
 * The headers COS puts on every response; the Node SDK treats an error without x-cos-request-id as a
 * network failure. The trace id comes with errors only (spec/api-common.md §2.2): the Node SDK's copy
 * helpers compare two HEAD responses' headers. S3 clients read the ids from x-amz-request-id / x-amz-id-2.
 */
export function commonHeaders(ids: ResponseIds, status: number, dialect: ApiDialect): Record<string, string> {
  const headers: Record<string, string> = { server: 'tencent-cos', date: new Date(ids.now).toUTCString(), 'x-cos-request-id': ids.requestId };
  if (status >= 400) headers['x-cos-trace-id'] = ids.traceId;
  if (dialect === 's3') {
    headers['x-amz-request-id'] = ids.requestId;
    headers['x-amz-id-2'] = ids.traceId;
  }
  return headers;
}

/**
 * Standard headers in the case COS writes them: the Python SDK returns dict(response.headers), which
 * keeps the case, and reads ['ETag'] and ['Content-Length']. COS's own x-cos-* headers, like user
 * metadata, go out lower-case. Node's Connection header is already capitalised.
 */
const WIRE_CASE: ReadonlyMap<string, string> = new Map(
  [
    'Accept-Ranges',
    'Access-Control-Allow-Credentials',
    'Access-Control-Allow-Headers',
    'Access-Control-Allow-Methods',
    'Access-Control-Allow-Origin',
    'Access-Control-Expose-Headers',
    'Access-Control-Max-Age',
    'Cache-Control',
    'Content-Disposition',
    'Content-Encoding',
    'Content-Language',
    'Content-Length',
    'Content-MD5',
    'Content-Range',
    'Content-Type',
    'Date',
    'ETag',
    'Expires',
    'Last-Modified',
    'Location',
    'Server',
    'Vary',
  ].map((name) => [name.toLowerCase(), name]),
);

/** The headers to write: operations name them lower-case, the wire gets WIRE_CASE. */
function onTheWire(headers: Readonly<Record<string, string | number>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  // for-in, not Object.entries(): every response passes here (GET/PUT are benchmarked).
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[WIRE_CASE.get(name) ?? name] = value;
  }
  return out;
}

export async function sendReply(res: ServerResponse, reply: Reply, ids: ResponseIds, isHead: boolean, dialect: ApiDialect = 'cos'): Promise<void> {
  // commonHeaders() returns a fresh record: the reply's headers go into it rather than into a third copy.
  const headers = withAmzResponseTwins(Object.assign(commonHeaders(ids, reply.status, dialect), reply.headers));
  // Encoded once here: Buffer.byteLength and then res.end(text) would each walk the text (a 1000-key
  // listing is ~250 KB; the two passes were ~0.7 ms of its CPU, one is ~0.3).
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  if (Buffer.isBuffer(body)) {
    headers['content-length'] ??= Buffer.byteLength(body);
  } else if (body === undefined) {
    headers['content-length'] ??= 0;
  }
  res.writeHead(reply.status, onTheWire(headers));
  if (isHead || body === undefined) {
    if (body instanceof Readable) body.destroy();
    res.end();
    return;
  }
  if (body instanceof Readable) {
    await pipeline(body, isLender(body) ? returningChunks(res, body) : res);
    return;
  }
  res.end(body);
}

/** A body stream that lends its chunks (storage/fs/file-reader.ts): each goes back once nothing reads it. */
interface ChunkLender {
  recycle(chunk: Uint8Array): void;
}

const isLender = (body: Readable): body is Readable & ChunkLender => typeof (body as Partial<ChunkLender>).recycle === 'function';

/** res as a pipeline destination that gives each chunk back to `lender` once the socket has taken it. */
function returningChunks(res: ServerResponse, lender: ChunkLender): Writable {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (res.write(chunk, () => lender.recycle(chunk))) done();
      else res.once('drain', () => done());
    },
    final(done) {
      res.end(() => done());
    },
    destroy(error, done) {
      if (error) res.destroy(error);
      done(error);
    },
  });
  // A client gone mid-body: fail the pipeline (as piping into res would) instead of waiting for a drain.
  res.once('close', () => {
    if (!res.writableFinished) sink.destroy(new Error('response closed before its body was sent'));
  });
  return sink;
}
