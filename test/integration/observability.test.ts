// Request log lines and Prometheus metrics: every request, refused ones included, leaves one complete
// line at info; /_coslocal/metrics counts requests, denials by layer, bytes and what is stored.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { send } from '../helpers/raw.ts';
import { recordingLogger, type RecordingLogger } from '../helpers/recording-logger.ts';
import { freePort, startServer } from '../helpers/child-server.ts';
import { OTHER, OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';
import { presignQuery } from '../helpers/sign.ts';

let server: TestServer;
let log: RecordingLogger;
let bucket: string;

before(async () => {
  log = recordingLogger();
  server = await startTestServer({ log });
  bucket = uniqueBucket();
  assert.equal((await send(server.hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
  assert.equal((await send(server.hostPort, { method: 'PUT', url: `/${bucket}/a.txt`, body: 'hello', signAs: OWNER })).status, 200);
});
after(() => server.close());

/** The request line of the request with this id, once its response has closed. */
async function lineOf(requestId: string | undefined): Promise<Record<string, unknown>> {
  assert.ok(requestId);
  for (let i = 0; i < 100; i++) {
    const line = log.at('info').find((r) => r.msg === 'request' && r.reqId === requestId);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`no request line for ${requestId}`);
}

describe('one line per request at info', () => {
  it('a 404 says who asked for what, how it ended and what it cost', async () => {
    const res = await send(server.hostPort, { method: 'GET', url: `/${bucket}/missing.txt`, signAs: OWNER, headers: { 'user-agent': 'observability-test/1.0' } });
    assert.equal(res.status, 404);
    const line = await lineOf(res.headers['x-cos-request-id'] as string);
    assert.deepEqual(
      { ...line, bytesIn: 0, bytesOut: 0, durationMs: 0 },
      {
        reqId: res.headers['x-cos-request-id'],
        msg: 'request',
        method: 'GET',
        path: `/${bucket}/missing.txt`,
        op: 'GetObject',
        bucket,
        key: 'missing.txt',
        principal: `qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}`,
        code: 'NoSuchKey',
        status: 404,
        bytesIn: 0,
        bytesOut: 0,
        durationMs: 0,
        remote: '127.0.0.1',
        userAgent: 'observability-test/1.0',
      },
    );
    assert.ok((line['bytesOut'] as number) > 200, 'the error document was sent');
    assert.equal(typeof line['durationMs'], 'number');
  });

  it('a bad signature and an expired presigned URL are logged with their codes, before any caller is known', async () => {
    const forged = await send(server.hostPort, { method: 'GET', url: `/${bucket}/a.txt`, signAs: { ...OWNER, secretKey: 'not-the-key-not-the-key-not-the-k' } });
    assert.equal(forged.status, 403);
    const forgedLine = await lineOf(forged.headers['x-cos-request-id'] as string);
    assert.equal(forgedLine['code'], 'SignatureDoesNotMatch');
    assert.equal(forgedLine['op'], 'GetObject');
    assert.equal(forgedLine['principal'], undefined);

    const past = Math.floor(Date.now() / 1000) - 3600;
    const query = presignQuery({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'GET', path: `/${bucket}/a.txt`, start: past - 60, end: past });
    const expired = await send(server.hostPort, { method: 'GET', url: `/${bucket}/a.txt?${query}` });
    assert.equal(expired.status, 403);
    const expiredLine = await lineOf(expired.headers['x-cos-request-id'] as string);
    assert.equal(expiredLine['status'], 403);
    assert.equal(expiredLine['code'], 'AccessDenied');
  });

  it('the real server writes the lines as JSON on stdout, at the level asked for', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-log-'));
    const port = await freePort();
    const child = await startServer(port, dataDir);
    const lines: Record<string, unknown>[] = [];
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) if (part.startsWith('{')) lines.push(JSON.parse(part) as Record<string, unknown>);
    });
    try {
      const res = await send(`127.0.0.1:${port}`, { method: 'HEAD', url: `/no-such-bucket-${OWNER.appid}/`, signAs: OWNER });
      assert.equal(res.status, 404);
      for (let i = 0; i < 200 && !lines.some((l) => l['msg'] === 'request'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      const line = lines.find((l) => l['msg'] === 'request');
      assert.ok(line, 'a request line on stdout');
      assert.equal(line['level'], 'info');
      assert.match(String(line['time']), /^\d{4}-\d\d-\d\dT/);
      assert.equal(line['op'], 'HeadBucket');
      assert.equal(line['status'], 404);
      assert.equal(line['code'], 'NoSuchBucket');
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** `name{labels} value` lines of the text format, as a map from `name{labels}` to the value. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('GET /_coslocal/metrics', () => {
  it('counts requests by operation and status, denials by deciding layer, bytes, and what is stored', async () => {
    const scrape = async (): Promise<Map<string, number>> => {
      const res = await send(server.hostPort, { method: 'GET', url: '/_coslocal/metrics' });
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      return parseMetrics(res.body.toString());
    };
    const before = await scrape();
    const count = (m: Map<string, number>, name: string): number => m.get(name) ?? 0;
    assert.equal((await send(server.hostPort, { method: 'GET', url: `/${bucket}/a.txt`, signAs: OTHER })).status, 403);
    assert.equal((await send(server.hostPort, { method: 'GET', url: `/${bucket}/a.txt`, signAs: OWNER })).status, 200);
    assert.equal((await send(server.hostPort, { method: 'PUT', url: `/${bucket}/b.txt`, body: 'x'.repeat(1000), signAs: OWNER })).status, 200);
    const now = await scrape();
    assert.equal(count(now, 'coslocal_requests_total{operation="GetObject",status="403"}') - count(before, 'coslocal_requests_total{operation="GetObject",status="403"}'), 1);
    assert.equal(count(now, 'coslocal_requests_total{operation="GetObject",status="200"}') - count(before, 'coslocal_requests_total{operation="GetObject",status="200"}'), 1);
    assert.equal(count(now, 'coslocal_denials_total{layer="acl"}') - count(before, 'coslocal_denials_total{layer="acl"}'), 1, 'the private ACL decided');
    assert.ok(count(now, 'coslocal_received_bytes_total{operation="PutObject"}') - count(before, 'coslocal_received_bytes_total{operation="PutObject"}') >= 1000);
    assert.ok(count(now, 'coslocal_request_duration_seconds_count{operation="GetObject"}') >= 2);
    assert.equal(count(now, 'coslocal_stored_objects'), count(before, 'coslocal_stored_objects') + 1);
    assert.equal(count(now, 'coslocal_stored_bytes'), count(before, 'coslocal_stored_bytes') + 1000);
    assert.ok(now.has('nodejs_eventloop_lag_seconds'), 'event-loop lag');
  });

  it('names no bucket, key or account in any label', async () => {
    const res = await send(server.hostPort, { method: 'GET', url: '/_coslocal/metrics' });
    const labels = [...res.body.toString().matchAll(/\{[^}]*\}/g)].map((m) => m[0]).join('\n');
    assert.match(labels, /operation="GetObject"/, 'labels were found');
    for (const secret of [bucket, 'a.txt', OWNER.uin, OTHER.uin]) assert.ok(!labels.includes(secret), secret);
  });
});
