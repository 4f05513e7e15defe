// Writes a Reply: COS's common headers on every response, bodies streamed, no body on HEAD.
import type { ServerResponse } from 'node:http';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { withAmzResponseTwins } from './s3-headers.ts';

export interface Reply {
  status: number;
  headers?: Readonly<Record<string, string | number>>;
  body?: string | Buffer | Readable;
}

export interface ResponseIds {
  requestId: string;
  traceId: string;
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
 * network failure. S3 clients read the same ids from x-amz-request-id / x-amz-id-2.
 */
export function commonHeaders(ids: ResponseIds): Record<string, string> {
  return {
    server: 'tencent-cos',
    'x-cos-request-id': ids.requestId,
    'x-cos-trace-id': ids.traceId,
    'x-amz-request-id': ids.requestId,
    'x-amz-id-2': ids.traceId,
  };
}

export async function sendReply(res: ServerResponse, reply: Reply, ids: ResponseIds, isHead: boolean): Promise<void> {
  const headers = withAmzResponseTwins({ ...commonHeaders(ids), ...reply.headers });
  const body = reply.body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    headers['content-length'] ??= Buffer.byteLength(body);
  } else if (body === undefined) {
    headers['content-length'] ??= 0;
  }
  res.writeHead(reply.status, headers);
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
