// A client that goes away mid-body (PUT Object, Upload Part; bodies large enough to be hashed on the worker
// thread, with and without Content-Length): the request ends with no file left behind and nothing held open,
// and the server goes on serving, large bodies included. A client that stops reading a GET and goes away
// leaves no file open either. None of this is a server error: the log says so at info level.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { blobFiles } from '../helpers/blob-files.ts';
import { eventually } from '../helpers/eventually.ts';
import { send } from '../helpers/raw.ts';
import { onDiskOnly, OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';
import { authorization } from '../helpers/sign.ts';

const MiB = 1024 * 1024;
let server: TestServer;
let bucket: string;
let blobsDir: string;
const log = recordingLogger();

before(async () => {
  server = await startTestServer({ log });
  bucket = uniqueBucket();
  blobsDir = join(server.dataDir, 'data', 'blobs');
  assert.equal((await send(server.hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
});
after(() => server.close());

/** Linux: descriptors of this process (the server runs in it) open on blob files, not counting the kept shard directories. */
function openBlobFiles(): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(`${blobsDir}/`) && target.slice(blobsDir.length + 1).includes('/')) open.push(target);
    } catch {
      // closed between the listing and the readlink
    }
  }
  return open;
}

/**
 * Starts a PUT declaring `declared` bytes (undefined: chunked), sends `sent` bytes, waits until the server
 * is writing them to a blob file (unless the body is small enough to be kept inline, in no file), then cuts
 * the connection. Resolves with whether any response came.
 */
async function abortMidBody(url: string, declared: number | undefined, sent: number, inline = false): Promise<boolean> {
  const [path = '', rawQuery = ''] = url.split('?', 2);
  const query = [...new URLSearchParams(rawQuery).entries()];
  const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'PUT', path, query, headers: { host: server.hostPort } });
  const headers: Record<string, string | number> = { host: server.hostPort, authorization: auth };
  if (declared !== undefined) headers['content-length'] = declared;
  const upload = request({ host: '127.0.0.1', port: server.app.port, method: 'PUT', path: url, headers, agent: false });
  let answered = false;
  upload.on('response', (res) => {
    answered = true;
    res.resume();
  });
  upload.on('error', () => undefined);
  const chunk = randomBytes(64 * 1024);
  for (let at = 0; at < sent; at += chunk.length) {
    if (!upload.write(chunk.subarray(0, sent - at))) await new Promise((resolve) => upload.once('drain', resolve));
  }
  if (inline) await new Promise((resolve) => upload.write('', resolve));
  else await eventually('the server writes the body to a blob file', async () => (await blobFiles(join(server.dataDir, 'data'))).length > 0);
  upload.destroy();
  await eventually('the interrupted write leaves no blob file, open or not', async () => (await blobFiles(join(server.dataDir, 'data'))).length === 0 && openBlobFiles().length === 0);
  return answered;
}

/** The server logged the client's leaving as such, at info level, and no error at all. */
async function assertLoggedAsClosed(op: string): Promise<void> {
  await eventually(`an info record of the closed ${op} connection`, async () =>
    log.at('info').some((r) => r.msg === 'connection closed before the request finished' && r['op'] === op),
  );
  assert.deepEqual(log.at('error'), []);
}

/** The server still stores and returns a large body (worker-hashed) whole. */
async function assertStillServing(key: string): Promise<void> {
  const body = randomBytes(3 * MiB + 5);
  const put = await send(server.hostPort, { method: 'PUT', url: `/${bucket}/${key}`, body, signAs: OWNER });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.headers['etag'], `"${createHash('md5').update(body).digest('hex')}"`);
  const got = await send(server.hostPort, { method: 'GET', url: `/${bucket}/${key}`, signAs: OWNER });
  assert.equal(got.status, 200);
  assert.ok(got.body.equals(body));
  assert.equal((await send(server.hostPort, { method: 'DELETE', url: `/${bucket}/${key}`, signAs: OWNER })).status, 204);
}

describe('a client that disconnects mid-body', { skip: onDiskOnly('blob files and their descriptors') }, () => {
  for (const [name, declared] of [
    ['with Content-Length', 8 * MiB],
    ['chunked', undefined],
  ] as const) {
    it(`PUT Object ${name}: no object, no leftover blob, the server keeps serving`, async () => {
      const key = `put-${declared ?? 'chunked'}`;
      assert.equal(await abortMidBody(`/${bucket}/${key}`, declared, 3 * MiB), false);
      await assertLoggedAsClosed('PutObject');
      assert.equal((await send(server.hostPort, { method: 'GET', url: `/${bucket}/${key}`, signAs: OWNER })).status, 404);
      await assertStillServing(`after-${key}`);
    });

    it(`Upload Part ${name}: no part, no leftover blob, the upload can still be completed`, async () => {
      const key = `part-${declared ?? 'chunked'}`;
      const initiated = await send(server.hostPort, { method: 'POST', url: `/${bucket}/${key}?uploads`, signAs: OWNER });
      const uploadId = String((initiated.xml?.['InitiateMultipartUploadResult'] as Record<string, unknown>)['UploadId']);
      const partUrl = `/${bucket}/${key}?partNumber=1&uploadId=${uploadId}`;
      assert.equal(await abortMidBody(partUrl, declared, 3 * MiB), false);
      await assertLoggedAsClosed('UploadPart');
      const parts = await send(server.hostPort, { method: 'GET', url: `/${bucket}/${key}?uploadId=${uploadId}`, signAs: OWNER });
      assert.equal(parts.status, 200);
      assert.equal((parts.xml?.['ListPartsResult'] as Record<string, unknown>)['Part'], undefined, 'no part was recorded');

      const body = randomBytes(2 * MiB + 1);
      const part = await send(server.hostPort, { method: 'PUT', url: partUrl, body, signAs: OWNER });
      assert.equal(part.status, 200, part.text);
      const complete = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${String(part.headers['etag'])}</ETag></Part></CompleteMultipartUpload>`;
      const done = await send(server.hostPort, { method: 'POST', url: `/${bucket}/${key}?uploadId=${uploadId}`, body: complete, signAs: OWNER });
      assert.equal(done.status, 200, done.text);
      const got = await send(server.hostPort, { method: 'GET', url: `/${bucket}/${key}`, signAs: OWNER });
      assert.ok(got.body.equals(body));
      assert.equal((await send(server.hostPort, { method: 'DELETE', url: `/${bucket}/${key}`, signAs: OWNER })).status, 204);
      await assertStillServing(`after-${key}`);
    });
  }

  it('PUT Object of a body small enough to be kept inline: no object, the server keeps serving', async () => {
    assert.equal(await abortMidBody(`/${bucket}/small`, 60 * 1024, 32 * 1024, true), false);
    assert.equal((await send(server.hostPort, { method: 'GET', url: `/${bucket}/small`, signAs: OWNER })).status, 404);
    await assertStillServing('after-small');
  });

  it('GET Object of a large object (a plain one and a completed multipart one), dropped mid-body: nothing left open, the server keeps serving', async () => {
    const body = randomBytes(8 * MiB);
    assert.equal((await send(server.hostPort, { method: 'PUT', url: `/${bucket}/download`, body, signAs: OWNER })).status, 200);
    const initiated = await send(server.hostPort, { method: 'POST', url: `/${bucket}/composed?uploads`, signAs: OWNER });
    const uploadId = String((initiated.xml?.['InitiateMultipartUploadResult'] as Record<string, unknown>)['UploadId']);
    const parts = [body.subarray(0, 5 * MiB), body.subarray(5 * MiB)];
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const sent = await send(server.hostPort, { method: 'PUT', url: `/${bucket}/composed?partNumber=${i + 1}&uploadId=${uploadId}`, body: part, signAs: OWNER });
      etags.push(String(sent.headers['etag']));
    }
    const complete = `<CompleteMultipartUpload>${etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    assert.equal((await send(server.hostPort, { method: 'POST', url: `/${bucket}/composed?uploadId=${uploadId}`, body: complete, signAs: OWNER })).status, 200);

    for (const key of ['download', 'composed']) {
      const path = `/${bucket}/${key}`;
      const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'GET', path, query: [], headers: { host: server.hostPort } });
      const download = request({ host: '127.0.0.1', port: server.app.port, method: 'GET', path, headers: { host: server.hostPort, authorization: auth }, agent: false });
      download.on('error', () => undefined);
      download.end();
      const res = await new Promise<import('node:http').IncomingMessage>((resolve) => download.on('response', resolve));
      assert.equal(res.statusCode, 200);
      // Read a little, stop reading (the server blocks on a full socket), then go away.
      await new Promise((resolve) => res.once('data', resolve));
      res.pause();
      await eventually('the server has the object open', async () => openBlobFiles().length > 0);
      download.destroy();
      await eventually('the dropped download leaves no blob file open', async () => openBlobFiles().length === 0);
      await assertLoggedAsClosed('GetObject');
      const whole = await send(server.hostPort, { method: 'GET', url: path, signAs: OWNER });
      assert.ok(whole.body.equals(body), `${key} still downloads whole`);
    }
    await assertStillServing('after-get');
  });
});
