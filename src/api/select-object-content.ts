// SELECT Object Content (POST /<key>?select&select-type=2): runs COS Select SQL over a CSV or JSON object
// (maybe GZIP) and streams the matching records back as event-stream messages. Authorized as GetObject.
import { Readable } from 'node:stream';
import { requireReadable } from '../domain/restore.ts';
import { CosError, cosError } from '../errors/cos-error.ts';
import { readSmallBody } from '../http/small-body.ts';
import { errorMessage } from '../select/event-stream.ts';
import { compileQuery } from '../select/query.ts';
import { parseSelectRequest } from '../select/request.ts';
import { selectEvents } from '../select/scan.ts';
import { asStream, readContent } from '../storage/object-content.ts';
import { checkBodyMd5 } from './common/params.ts';
import { readKey } from '../domain/encryption.ts';
import { contentKey } from './common/sse.ts';
import { deniedRead, requireObject, versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';

/**
 * The messages after the first, which went out with the 200: a failure from here on can only be an
 * error message in the stream (COS/S3 do the same); anything not a COS error is reported as InternalError.
 */
async function* streamed(first: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  try {
    yield* rest;
  } catch (error) {
    const reported = error instanceof CosError ? error : cosError('InternalError');
    yield errorMessage(reported.code, reported.message);
  }
}

export const selectObjectContent = defineOperation({
  id: 'SelectObjectContent',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  whenDenied: deniedRead,
  async run(ctx, { bucket, object: loaded }) {
    // COS has one select type, 2 (the SDKs always send it).
    if (ctx.params.get('select-type') !== '2') throw cosError('InvalidArgument', { message: 'select-type must be 2.' });
    const object = requireObject(ctx.params.get('versionId'), loaded, bucket);
    requireReadable(object, ctx.now);
    // An SSE-C object is read with its key, sent as for GET Object (S3's SelectObjectContent takes the same headers).
    const decryptWith = contentKey(ctx, object.encryption, readKey(ctx.headers));
    const body = await readSmallBody(ctx.body, ctx.headers);
    // The Node SDK sends Content-MD5 with the request; COS checks it when present.
    checkBodyMd5(ctx.headers, body, false);
    const request = parseSelectRequest(body.toString('utf8'));
    const query = compileQuery(request.expression, {
      input: request.input.format,
      named: request.input.format === 'csv' && request.input.header === 'USE',
    });
    const events = selectEvents(request, query, asStream(readContent(ctx.blobs, object, undefined, decryptWith)));
    // The 200 waits for the first message: a failure before it (bad data at the start) is still a plain error reply.
    const first = await events.next();
    if (first.done) throw cosError('InternalError', { detail: 'select produced no message' });
    return {
      status: 200,
      headers: { 'content-type': 'application/octet-stream', ...versionHeaders(bucket, object) },
      body: Readable.from(streamed(first.value, events), { objectMode: false }),
    };
  },
});
