// Reads a small request body (XML/JSON documents) into memory with a hard cap, so no client can make us buffer much.
import type { IncomingMessage } from 'node:http';
import { cosError } from '../errors/cos-error.ts';

/** 64 KiB is far above any real COS configuration document we accept and small enough to hold. */
export const DEFAULT_SMALL_BODY_LIMIT = 64 * 1024;

export async function readSmallBody(req: IncomingMessage, limit = DEFAULT_SMALL_BODY_LIMIT): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    throw cosError('XMLSizeLimit', { detail: `declared ${declared} > ${limit}` });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw cosError('XMLSizeLimit', { detail: `body over ${limit} bytes` });
    }
    chunks.push(chunk);
  }
  if (declared !== undefined && size !== Number(declared)) throw cosError('IncompleteBody');
  return Buffer.concat(chunks, size);
}
