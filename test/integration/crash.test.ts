// kill -9 during a large PUT: after a restart on the same data directory the old object is intact and no debris is left.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { send } from '../helpers/raw.ts';
import { blobFiles } from '../helpers/blob-files.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort, startServer } from '../helpers/child-server.ts';
import { onDiskOnly, OWNER } from '../helpers/server.ts';
import { authorization } from '../helpers/sign.ts';

const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-crash-'));
after(() => rm(dataDir, { recursive: true, force: true }));

it('keeps the old object and leaves no debris when killed mid-PUT', { skip: onDiskOnly('restarts after kill -9') }, async () => {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const bucket = `crash-${OWNER.appid}`;
  const key = `/${bucket}/big.bin`;
  let server = await startServer(port, dataDir);
  try {
    assert.equal((await send(hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
    const old = Buffer.alloc(1024 * 1024, 'o');
    assert.equal((await send(hostPort, { method: 'PUT', url: key, body: old, signAs: OWNER })).status, 200);

    // Start a 256 MiB upload, and kill the server once a good part of it is on its way.
    const total = 256 * 1024 * 1024;
    const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'PUT', path: key, headers: { host: hostPort } });
    const upload = request({ host: '127.0.0.1', port, method: 'PUT', path: key, headers: { host: hostPort, authorization: auth, 'content-length': total } });
    upload.on('error', () => undefined);
    const chunk = Buffer.alloc(1024 * 1024, 'n');
    let sent = 0;
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (sent < total) {
          sent += chunk.length;
          if (sent >= 64 * 1024 * 1024) {
            server.kill('SIGKILL');
            resolve();
            return;
          }
          if (!upload.write(chunk)) {
            upload.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    await new Promise((resolve) => server.once('exit', resolve));
    upload.destroy();

    server = await startServer(port, dataDir);
    const got = await send(hostPort, { method: 'GET', url: key, signAs: OWNER });
    assert.equal(got.status, 200);
    assert.equal(createHash('md5').update(got.body).digest('hex'), createHash('md5').update(old).digest('hex'));
    // The collector frees the partial file in the background after the restart.
    await eventually('exactly the one live object file remains: the partial one was collected', async () => (await blobFiles(dataDir)).length === 1);
  } finally {
    server.kill('SIGKILL');
  }
});

it('killed right after an overwrite was answered (the old file still to go), restarts with only the live file', { skip: onDiskOnly('restarts after kill -9') }, async () => {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const bucket = `freed-${OWNER.appid}`;
  const key = `/${bucket}/replaced.bin`;
  const ownDir = await mkdtemp(join(tmpdir(), 'coslocal-freed-'));
  let server = await startServer(port, ownDir);
  try {
    assert.equal((await send(hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
    // The overwrite frees the first version's file after its reply, in the background; unlinking 64 MiB
    // takes long enough here (~30 ms) that the kill usually comes first.
    let body = Buffer.alloc(0);
    for (const fill of ['a', 'b']) {
      body = Buffer.alloc(64 * 1024 * 1024, fill);
      assert.equal((await send(hostPort, { method: 'PUT', url: key, body, signAs: OWNER })).status, 200);
    }
    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));

    server = await startServer(port, ownDir);
    const got = await send(hostPort, { method: 'GET', url: key, signAs: OWNER });
    assert.equal(got.status, 200);
    assert.ok(got.body.equals(body), 'the last overwrite is the object');
    await eventually("only the live object's file is left", async () => (await blobFiles(ownDir)).length === 1);
  } finally {
    server.kill('SIGKILL');
    await rm(ownDir, { recursive: true, force: true });
  }
});

it('finishes an in-flight PUT on SIGTERM (closing its keep-alive connection), then exits cleanly', async () => {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const bucket = `term-${OWNER.appid}`;
  const server = await startServer(port, dataDir);
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  assert.equal((await send(hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
  const key = `/${bucket}/inflight.bin`;
  const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'PUT', path: key, headers: { host: hostPort } });
  const reply = new Promise<{ status: number | undefined; connection: string | undefined }>((resolve, reject) => {
    const upload = request({ host: '127.0.0.1', port, method: 'PUT', path: key, headers: { host: hostPort, authorization: auth, 'content-length': 2 } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode, connection: res.headers.connection });
    });
    upload.on('error', reject);
    upload.write('a');
    setTimeout(() => {
      server.kill('SIGTERM');
      setTimeout(() => upload.end('b'), 200);
    }, 100);
  });
  // Answered, and its keep-alive connection closed: shutdown does not wait for it to idle out.
  assert.deepEqual(await reply, { status: 200, connection: 'close' });
  assert.equal(await exited, 0);
});

it('finishes a large in-flight PUT (hashed on a worker thread) on SIGTERM with the right ETag, then exits', async () => {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const bucket = `termbig-${OWNER.appid}`;
  const server = await startServer(port, dataDir);
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  assert.equal((await send(hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
  const key = `/${bucket}/inflight-big.bin`;
  const body = Buffer.alloc(4 * 1024 * 1024 + 3, 'x');
  const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'PUT', path: key, headers: { host: hostPort } });
  const etag = new Promise<string | string[] | undefined>((resolve, reject) => {
    const upload = request({ host: '127.0.0.1', port, method: 'PUT', path: key, headers: { host: hostPort, authorization: auth, 'content-length': body.length } }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? res.headers.etag : `HTTP ${res.statusCode}`);
    });
    upload.on('error', reject);
    upload.write(body.subarray(0, 1024 * 1024));
    setTimeout(() => {
      server.kill('SIGTERM');
      setTimeout(() => upload.end(body.subarray(1024 * 1024)), 200);
    }, 100);
  });
  assert.equal(await etag, `"${createHash('md5').update(body).digest('hex')}"`);
  assert.equal(await exited, 0);
});
