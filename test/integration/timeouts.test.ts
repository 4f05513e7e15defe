// Connection limits, with short option values: headers sent too slowly and a body that stalls are cut,
// an upload at a normal pace that outlasts both limits is not, and running out of file descriptors is
// logged once while the server goes on.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { freePort, startServer } from '../helpers/child-server.ts';
import { eventually } from '../helpers/eventually.ts';
import { send } from '../helpers/raw.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';
import { OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';
import { authorization } from '../helpers/sign.ts';

const LIMIT_S = 0.5;
let server: TestServer;
let bucket: string;
const log = recordingLogger();

before(async () => {
  server = await startTestServer({ log, args: ['--headers-timeout', String(LIMIT_S), '--idle-timeout', String(LIMIT_S)] });
  bucket = uniqueBucket();
  assert.equal((await send(server.hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
});
after(() => server.close());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with how long after `since` the server closed the socket, or rejects after `withinMs`. */
function closedWithin(socket: Socket, since: number, withinMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server left the connection open for ${withinMs} ms`)), withinMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - since);
    });
  });
}

it('headers sent a byte at a time are cut after the headers timeout', async () => {
  const socket = connect(server.app.port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  const start = Date.now();
  const closed = closedWithin(socket, start, 5000);
  socket.write(`GET /${bucket}/ HTTP/1.1\r\nHost: ${server.hostPort}\r\nX-Slow: `);
  const drip = setInterval(() => socket.writable && socket.write('a'), 50);
  try {
    assert.ok((await closed) >= LIMIT_S * 1000 * 0.9);
  } finally {
    clearInterval(drip);
  }
});

it('a body that stalls is cut after the idle timeout; the log says the client connection closed, no error', async () => {
  const path = `/${bucket}/stalled`;
  const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'PUT', path, headers: { host: server.hostPort } });
  const upload = request({ host: '127.0.0.1', port: server.app.port, method: 'PUT', path, headers: { host: server.hostPort, authorization: auth, 'content-length': 1024 * 1024 } });
  upload.on('error', () => undefined);
  const socket = await new Promise<Socket>((resolve) => upload.once('socket', resolve));
  await new Promise((resolve) => upload.write(Buffer.alloc(64 * 1024, 's'), resolve));
  await closedWithin(socket, Date.now(), 5000);
  assert.equal((await send(server.hostPort, { method: 'HEAD', url: path, signAs: OWNER })).status, 404);
  await eventually('the log says the client closed', async () => log.at('info').some((r) => r.msg === 'connection closed before the request finished' && r['op'] === 'PutObject'));
  assert.deepEqual(log.at('error'), []);
});

it('an upload at a steady pace that outlasts both limits completes', async () => {
  const path = `/${bucket}/steady`;
  const chunk = Buffer.alloc(32 * 1024, 'p');
  const rounds = Math.ceil((LIMIT_S * 1000 * 4) / 100);
  const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'PUT', path, headers: { host: server.hostPort } });
  const upload = request({ host: '127.0.0.1', port: server.app.port, method: 'PUT', path, headers: { host: server.hostPort, authorization: auth, 'content-length': chunk.length * rounds } });
  const answered = new Promise<number>((resolve, reject) => {
    upload.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    upload.on('error', reject);
  });
  for (let i = 0; i < rounds; i++) {
    upload.write(chunk);
    await sleep(100);
  }
  upload.end();
  assert.equal(await answered, 200);
  const got = await send(server.hostPort, { method: 'GET', url: path, signAs: OWNER });
  assert.equal(createHash('md5').update(got.body).digest('hex'), createHash('md5').update(Buffer.concat(Array.from({ length: rounds }, () => chunk))).digest('hex'));
});

it('too many connections for the descriptor limit: one clear log line, and the server serves again once they close', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-fd-'));
  const port = await freePort();
  const child = await startServer(port, dataDir, { fdLimit: 100 });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < 150; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      sockets.push(socket);
    }
    await sleep(1000);
    assert.equal(sockets.filter((socket) => socket.destroyed).length, 100, 'connections beyond the limit were refused');
    for (const socket of sockets) socket.destroy();
    await sleep(200);
    assert.equal(child.exitCode, null, `the server is still running: ${out}`);
    assert.equal(out.split('\n').filter((line) => line.includes('connection limit (50) reached')).length, 1, out);
    assert.equal((await send(`127.0.0.1:${port}`, { method: 'GET', url: '/', signAs: OWNER })).status, 200);
  } finally {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
});
