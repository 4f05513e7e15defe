// Small objects live inline in their metadata row (storage/object-content.ts): no blob file for them,
// the same bytes, headers and ranges as any object, and acknowledged writes survive kill -9.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { INLINE_CONTENT_MAX_BYTES } from '../../src/storage/object-content.ts';
import { crc64 } from '../../src/util/crc64.ts';
import { eventually } from '../helpers/eventually.ts';
import { send } from '../helpers/raw.ts';
import { blobFiles } from '../helpers/blob-files.ts';
import { freePort, startServer } from '../helpers/child-server.ts';
import { onDiskOnly, OWNER } from '../helpers/server.ts';

const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-inline-'));
const bucket = `inline-${OWNER.appid}`;
let port = 0;
let hostPort = '';
let server: ChildProcess;

before(async () => {
  port = await freePort();
  hostPort = `127.0.0.1:${port}`;
  server = await startServer(port, dataDir);
  assert.equal((await send(hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
});
after(async () => {
  server.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
const put = (key: string, body: Buffer) => send(hostPort, { method: 'PUT', url: `/${bucket}/${key}`, body, signAs: OWNER });
const get = (key: string, headers: Record<string, string> = {}) => send(hostPort, { method: 'GET', url: `/${bucket}/${key}`, headers, signAs: OWNER });

it('stores objects up to the inline limit without a blob file, larger ones as files; both read back exactly', { skip: onDiskOnly('blob files') }, async () => {
  const small = randomBytes(INLINE_CONTENT_MAX_BYTES);
  const large = randomBytes(INLINE_CONTENT_MAX_BYTES + 1);
  const putSmall = await put('small', small);
  assert.equal(putSmall.status, 200);
  assert.equal(putSmall.headers['etag'], `"${md5(small)}"`);
  assert.equal(putSmall.headers['x-cos-hash-crc64ecma'], crc64(small));
  assert.deepEqual(await blobFiles(dataDir), [], 'the small object has no file');
  assert.equal((await put('large', large)).status, 200);
  assert.equal((await blobFiles(dataDir)).length, 1, 'the large object has one');

  for (const [key, body] of [['small', small], ['large', large]] as const) {
    const got = await get(key);
    assert.equal(got.status, 200);
    assert.equal(md5(got.body), md5(body), key);
    assert.equal(got.headers['content-length'], String(body.length));
    assert.equal(got.headers['x-cos-hash-crc64ecma'], crc64(body));
  }
  const ranged = await get('small', { range: 'bytes=100-199' });
  assert.equal(ranged.status, 206);
  assert.equal(ranged.headers['content-range'], `bytes 100-199/${small.length}`);
  assert.deepEqual(ranged.body, small.subarray(100, 200));
  const empty = await put('empty', Buffer.alloc(0));
  assert.equal(empty.status, 200);
  assert.equal((await get('empty')).body.length, 0);
});

it('frees the file when a large object is overwritten by a small one; copies and part copies of inline objects', { skip: onDiskOnly('blob files') }, async () => {
  const key = 'shrinks';
  assert.equal((await put(key, randomBytes(INLINE_CONTENT_MAX_BYTES * 2))).status, 200);
  const before = (await blobFiles(dataDir)).length;
  const small = randomBytes(1000);
  assert.equal((await put(key, small)).status, 200);
  // The replaced file goes in the background, after the reply.
  await eventually('the replaced file is gone', async () => (await blobFiles(dataDir)).length === before - 1);

  const copied = await send(hostPort, { method: 'PUT', url: `/${bucket}/copy`, headers: { 'x-cos-copy-source': `${bucket}.cos.ap-guangzhou.myqcloud.com/${key}` }, signAs: OWNER });
  assert.equal(copied.status, 200, copied.text);
  assert.equal((await blobFiles(dataDir)).length, before - 1, 'the copy added no file');
  assert.deepEqual((await get('copy')).body, small);

  // A part copied from an inline object becomes a part file like any other, and completes into an object.
  const init = await send(hostPort, { method: 'POST', url: `/${bucket}/parted?uploads`, signAs: OWNER });
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.text)?.[1];
  assert.ok(uploadId, init.text);
  const part = await send(hostPort, {
    method: 'PUT',
    url: `/${bucket}/parted?partNumber=1&uploadId=${uploadId}`,
    headers: { 'x-cos-copy-source': `${bucket}.cos.ap-guangzhou.myqcloud.com/${key}`, 'x-cos-copy-source-range': 'bytes=10-109' },
    signAs: OWNER,
  });
  assert.equal(part.status, 200, part.text);
  const etag = /<ETag>([^<]+)<\/ETag>/.exec(part.text)?.[1] ?? '';
  assert.equal(etag.replaceAll('&quot;', '"'), `"${md5(small.subarray(10, 110))}"`);
  const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
  const done = await send(hostPort, { method: 'POST', url: `/${bucket}/parted?uploadId=${uploadId}`, body: xml, signAs: OWNER });
  assert.equal(done.status, 200, done.text);
  assert.deepEqual((await get('parted')).body, small.subarray(10, 110));
});

it('keeps every acknowledged small PUT across kill -9', { skip: onDiskOnly('restarts after kill -9') }, async () => {
  const bodies = Array.from({ length: 200 }, (_, i) => randomBytes(4096 + i));
  const results = await Promise.all(bodies.map((body, i) => put(`durable/${i}`, body)));
  assert.deepEqual(results.map((r) => r.status), bodies.map(() => 200));
  server.kill('SIGKILL');
  await new Promise((resolve) => server.once('exit', resolve));
  server = await startServer(port, dataDir);
  for (const [i, body] of bodies.entries()) {
    const got = await get(`durable/${i}`);
    assert.equal(got.status, 200, `durable/${i}`);
    assert.equal(md5(got.body), md5(body), `durable/${i}`);
  }
});
