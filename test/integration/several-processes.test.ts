// Several server processes on one SQLite store and data directory (issue #21): `--workers 2` serves from
// both workers (a metrics scrape adds them up), survives kill -9 of one (acknowledged writes readable, the worker replaced, its unfinished
// writes freed after the blob lease); two `--node` servers see each other's policy and key changes and
// run each due job once between them; the data-directory lock tells nodes from a lone server.
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, it } from 'node:test';
import { startApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/http/log.ts';
import { blobFiles } from '../helpers/blob-files.ts';
import { freePort, spawnCoslocal, startServer } from '../helpers/child-server.ts';
import { eventually } from '../helpers/eventually.ts';
import { errorOf, send } from '../helpers/raw.ts';
import { onDiskOnly, OTHER, OWNER, type TestIdentity } from '../helpers/server.ts';
import { authorization } from '../helpers/sign.ts';

const run = promisify(execFile);
const root = await mkdtemp(join(tmpdir(), 'coslocal-processes-'));
after(() => rm(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `d${++dirs}`);

const exitCode = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A server with its whole stdout kept (the banner, then the JSON log lines). */
async function startLogged(port: number, dataDir: string, args: readonly string[]): Promise<{ child: ChildProcess; output: () => string }> {
  const command = ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', String(port), '--data-dir', dataDir, ...args];
  const { child, banner } = await spawnCoslocal(process.execPath, command, { env: { ...process.env, COSLOCAL_SECRET_ID: OWNER.secretId, COSLOCAL_SECRET_KEY: OWNER.secretKey } });
  let out = banner.text;
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { child, output: () => out };
}

/** The JSON log lines written so far. */
const logLines = (output: string): Record<string, unknown>[] =>
  output.split('\n').flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));

/** A PUT whose body is sent in two halves: the first now, the rest when `finish` is called. */
function halfSentPut(hostPort: string, path: string, body: Buffer): { finish: () => Promise<number | 'connection lost'> } {
  const [, port = ''] = hostPort.split(':');
  const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'PUT', path, headers: { host: hostPort } });
  const upload = request({ host: '127.0.0.1', port: Number(port), method: 'PUT', path, headers: { host: hostPort, authorization: auth, 'content-length': body.length }, agent: false });
  const answered = new Promise<number | 'connection lost'>((resolve) => {
    upload.on('response', (res: IncomingMessage) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    upload.on('error', () => resolve('connection lost'));
  });
  upload.write(body.subarray(0, body.length / 2));
  return {
    finish: () => {
      upload.end(body.subarray(body.length / 2));
      return answered;
    },
  };
}

const md5 = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');

it('--workers 2: both serve, kill -9 of one loses no acknowledged write, it is replaced and its unfinished writes freed after the lease; SIGTERM stops all', { skip: onDiskOnly('processes sharing a data directory') }, async () => {
  const dataDir = freshDir();
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const { child: primary, output } = await startLogged(port, dataDir, ['--workers', '2', '--blob-lease', '1']);
  const [, pidList = ''] = /Serving from 2 worker processes \(pids ([\d, ]+)\)/.exec(output()) ?? [];
  const workers = pidList.split(', ').map(Number);
  assert.equal(workers.length, 2, output());
  assert.equal(output().match(/coslocal listening on/g)?.length, 1, 'one banner');
  await assert.rejects(startServer(await freePort(), dataDir), new RegExp(`exited early \\(1\\).*in use by coslocal pid ${primary.pid}, a server that owns it alone`, 's'));

  const bucket = `workers-${OWNER.appid}`;
  assert.equal((await send(hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
  // Connections at once: the primary hands them to the workers in turn.
  await Promise.all(Array.from({ length: 8 }, () => send(hostPort, { method: 'HEAD', url: `/${bucket}/`, signAs: OWNER })));
  await eventually('both workers logged requests', async () => new Set(logLines(output()).filter((l) => l['msg'] === 'request').map((l) => l['pid'])).size === 2);
  // Whichever worker a scrape reaches answers for both.
  const metrics = await send(hostPort, { method: 'GET', url: '/_coslocal/metrics' });
  assert.match(metrics.text, /^coslocal_requests_total\{operation="HeadBucket",status="200"\} 8$/m);
  assert.match(metrics.text, /^coslocal_stored_objects 0$/m);

  // Uploads in flight on both workers, then one worker killed.
  const bodies = Array.from({ length: 6 }, (_, i) => Buffer.alloc(2 * 1024 * 1024, `${i}`));
  const uploads = bodies.map((body, i) => halfSentPut(hostPort, `/${bucket}/in-flight-${i}`, body));
  await eventually('every upload has its blob file', async () => (await blobFiles(dataDir)).length === bodies.length);
  const [victim = 0, survivor = 0] = workers;
  process.kill(victim, 'SIGKILL');
  await eventually('the killed worker is gone', async () => !isRunning(victim));
  const answers = await Promise.all(uploads.map((u) => u.finish()));
  assert.ok(answers.includes('connection lost'), `the killed worker had uploads in flight: ${answers.join(', ')}`);
  const acknowledged = answers.flatMap((answer, i) => (answer === 200 ? [i] : []));
  assert.ok(acknowledged.length > 0, `the survivor answered its uploads: ${answers.join(', ')}`);
  for (const i of acknowledged) {
    const got = await send(hostPort, { method: 'GET', url: `/${bucket}/in-flight-${i}`, signAs: OWNER });
    assert.equal(got.status, 200);
    assert.equal(md5(got.body), md5(bodies[i] ?? Buffer.alloc(0)));
  }
  await eventually('the primary replaced the worker', async () => logLines(output()).some((l) => l['msg'] === 'a worker died; starting another' && l['worker'] === victim));
  await eventually('the dead worker\'s unfinished writes are freed once their lease lapses', async () => (await blobFiles(dataDir)).length === acknowledged.length);

  primary.kill('SIGTERM');
  assert.equal(await exitCode(primary), 0);
  assert.ok(!isRunning(survivor), 'the workers stopped with the primary');
});

it('two --node servers on one store: a policy and a revocation through one hold on the other; each due job runs once between them; a lone server is refused', { skip: onDiskOnly('processes sharing a data directory') }, async () => {
  const dataDir = freshDir();
  const ports = [await freePort(), await freePort()];
  const [a, b] = await Promise.all(ports.map((port) => startLogged(port, dataDir, ['--node', '--allow-reset'])));
  const [hostA = '', hostB = ''] = ports.map((port) => `127.0.0.1:${port}`);

  // A policy set through A is enforced by B at its next request.
  const bucket = `nodes-${OWNER.appid}`;
  assert.equal((await send(hostA, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
  assert.equal((await send(hostA, { method: 'PUT', url: `/${bucket}/k`, body: 'v', signAs: OWNER })).status, 200);
  await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'accounts', 'create', '--uin', OTHER.uin, '--appid', OTHER.appid, '--data-dir', dataDir]);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'keys', 'create', '--owner', OTHER.uin, '--data-dir', dataDir]);
  const other: TestIdentity = { ...OTHER, ...(JSON.parse(stdout) as { secretId: string; secretKey: string }) };
  const getAs = async (host: string): Promise<string> => {
    const res = await send(host, { method: 'GET', url: `/${bucket}/k`, signAs: other });
    return res.status === 200 ? 'allowed' : (errorOf(res)['Code'] ?? String(res.status));
  };
  assert.equal(await getAs(hostB), 'AccessDenied');
  const policy = JSON.stringify({
    version: '2.0',
    Statement: [{ Effect: 'Allow', Principal: { qcs: [`qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`] }, Action: ['name/cos:GetObject'], Resource: [`qcs::cos:ap-guangzhou:uid/${OWNER.appid}:${bucket}/*`] }],
  });
  assert.equal((await send(hostA, { method: 'PUT', url: `/${bucket}/?policy`, body: policy, signAs: OWNER })).status, 204);
  assert.equal(await getAs(hostB), 'allowed', 'B enforces the policy A stored');
  assert.equal((await send(hostA, { method: 'DELETE', url: `/${bucket}/?policy`, signAs: OWNER })).status, 204);
  assert.equal(await getAs(hostB), 'AccessDenied', 'and its removal');

  // OTHER's key, cached by B, revoked through A (a reset returns identities to the seed: none).
  assert.equal((await send(hostB, { method: 'GET', url: '/', host: 'service.cos.myqcloud.com', signAs: other })).status, 200);
  assert.equal((await send(hostA, { method: 'POST', url: '/_coslocal/v1/reset', signAs: OWNER })).status, 200);
  const revokedAt = Date.now();
  await eventually('B refuses the revoked key', async () => {
    const res = await send(hostB, { method: 'GET', url: '/', host: 'service.cos.myqcloud.com', signAs: other });
    return res.status === 403 && errorOf(res)['Code'] === 'InvalidAccessKeyId';
  });
  assert.ok(Date.now() - revokedAt < 1000, `refused within the key cache's 250 ms recheck (and a request's time): ${Date.now() - revokedAt} ms`);

  // Each hourly job was due at start on both nodes: one of them ran it (replication runs every second).
  const runs = async (host: string): Promise<Map<string, number>> => {
    const text = (await send(host, { method: 'GET', url: '/_coslocal/metrics' })).text;
    return new Map([...text.matchAll(/^coslocal_job_runs_total\{job="([^"]+)",outcome="success"\} (\d+)$/gm)].map(([, job = '', n = '0']) => [job, Number(n)]));
  };
  const total = async (): Promise<Map<string, number>> => {
    const sum = new Map<string, number>();
    for (const host of [hostA, hostB]) for (const [job, n] of await runs(host)) sum.set(job, (sum.get(job) ?? 0) + n);
    return sum;
  };
  const hourly = async (): Promise<number[]> => {
    const sum = await total();
    return ['inventory', 'lifecycle', 'logging'].map((job) => sum.get(job) ?? 0);
  };
  await eventually('every hourly job ran', async () => !(await hourly()).includes(0));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.deepEqual(await hourly(), [1, 1, 1], 'inventory, lifecycle, logging: once each');

  // The lock: a lone server is refused while nodes run; a node is refused while a lone server runs.
  await assert.rejects(startServer(await freePort(), dataDir), /exited early \(1\).*a node of deployment [0-9a-f]+ \(start this server with --node to join it\)/s);
  for (const { child } of [a, b].flatMap((node) => (node ? [node] : []))) {
    child.kill('SIGTERM');
    assert.equal(await exitCode(child), 0);
  }
  const alone = await startServer(await freePort(), dataDir);
  await assert.rejects(startServer(await freePort(), dataDir, { args: ['--node'] }), /exited early \(1\).*a server that owns it alone/s);
  alone.kill('SIGTERM');
  assert.equal(await exitCode(alone), 0);
});

it('--workers is refused in-process (startApp): only `coslocal serve` forks workers', async () => {
  await assert.rejects(startApp(parseConfig(['--port', '0', '--data-dir', freshDir(), '--workers', '2'], {}), { log: silentLogger }), /--workers forks worker processes: start the server with `coslocal serve --workers N`/);
});

it('--workers: a worker that cannot start (its port taken) stops the primary with status 1, naming why', { skip: onDiskOnly('processes sharing a data directory') }, async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = taken.address() as AddressInfo;
    await assert.rejects(startServer(port, freshDir(), { args: ['--workers', '2'] }), /exited early \(1\).*exited before it was ready/s);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});
