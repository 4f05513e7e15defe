// GET/HEAD /_coslocal/health: unsigned, JSON with the version, engine, uptime and readiness; 503 unless ready.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import { handleAdmin, type AdminDeps, type ServerStatus } from '../../src/admin/http-endpoint.ts';
import { silentLogger } from '../../src/http/log.ts';
import { VERSION } from '../../src/version.ts';
import { send } from '../helpers/raw.ts';
import { startTestServer, TEST_ENGINE, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

it('answers an unsigned GET with 200 and what a probe needs; HEAD the same without a body', async () => {
  const res = await send(server.hostPort, { method: 'GET', url: '/_coslocal/health' });
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /application\/json/);
  const body = JSON.parse(res.body.toString()) as Record<string, unknown>;
  assert.deepEqual({ ...body, uptimeSeconds: 0 }, { status: 'ready', ready: true, version: VERSION, engine: TEST_ENGINE, uptimeSeconds: 0 });
  assert.equal(typeof body['uptimeSeconds'], 'number');
  const head = await send(server.hostPort, { method: 'HEAD', url: '/_coslocal/health' });
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
});

it('answers other methods 405 in JSON, and is no bucket (a path-style bucket cannot start with _)', async () => {
  const res = await send(server.hostPort, { method: 'POST', url: '/_coslocal/health' });
  assert.equal(res.status, 405);
  assert.equal((JSON.parse(res.body.toString()) as { code: string }).code, 'MethodNotAllowed');
});

it('is 503 while starting and while stopping', async () => {
  for (const state of ['starting', 'stopping'] as const) {
    const status: ServerStatus = { state, engine: 'sqlite', startedAt: 0 };
    const deps = { status: () => status, log: silentLogger } as unknown as AdminDeps;
    const req = { method: 'GET', socket: { destroyed: false } } as unknown as IncomingMessage;
    const reply = await handleAdmin(deps, { req, body: Readable.from([]), rawPath: '/_coslocal/health', query: [], headers: {}, now: 5000, requestId: 'r' });
    assert.equal(reply.status, 503);
    assert.deepEqual(JSON.parse(String(reply.body)), { status: state, ready: false, version: VERSION, engine: 'sqlite', uptimeSeconds: 5 });
  }
});
