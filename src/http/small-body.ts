// Reads a small request body (XML/JSON documents) into memory with a hard cap, so no client can make us buffer much.
import type { Readable } from 'node:stream';
import { cosError } from '../errors/cos-error.ts';

/** 64 KiB is far above any real COS configuration document we accept and small enough to hold. */
export const DEFAULT_SMALL_BODY_LIMIT = 64 * 1024;

/** `body` is ctx.body (verified/decoded); `headers` are the operation headers (decoded Content-Length). */
export async function readSmallBody(
  body: Readable,
  headers: Readonly<Record<string, string | undefined>>,
  limit = DEFAULT_SMALL_BODY_LIMIT,
): Promise<Buffer> {
  const declared = headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    body.resume();
    throw cosError('XMLSizeLimit', { detail: `declared ${declared} > ${limit}` });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.resume();
      throw cosError('XMLSizeLimit', { detail: `body over ${limit} bytes` });
    }
    chunks.push(chunk);
  }
  if (declared !== undefined && size !== Number(declared)) throw cosError('IncompleteBody');
  return Buffer.concat(chunks, size);
}
