// One server per data directory: a second one on the same directory exits naming the first's pid (before
// it could lapse the reservation of the first's upload in flight), the admin CLI works beside a running
// server, a lock left by kill -9 does not block the next start, and SIGTERM stops cleanly (exit 0).
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, it } from 'node:test';
import { freePort, startServer, storeArgsOf } from '../helpers/child-server.ts';
import { eventually } from '../helpers/eventually.ts';
import { send } from '../helpers/raw.ts';
import { onDiskOnly, OWNER } from '../helpers/server.ts';
import { authorization } from '../helpers/sign.ts';

const run = promisify(execFile);
const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-lock-'));
after(() => rm(dataDir, { recursive: true, force: true }));

const exitCode = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

it('a second server on the same directory exits naming the first, which keeps its upload in flight; kill -9 leaves no lock that blocks', { skip: onDiskOnly('the data directory lock') }, async () => {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const bucket = `lock-${OWNER.appid}`;
  const first = await startServer(port, dataDir);
  assert.equal((await send(hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);

  // An upload the first server is in the middle of writing.
  const body = Buffer.alloc(8 * 1024 * 1024, 'u');
  const path = `/${bucket}/in-flight.bin`;
  const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'PUT', path, headers: { host: hostPort } });
  const upload = request({ host: '127.0.0.1', port, method: 'PUT', path, headers: { host: hostPort, authorization: auth, 'content-length': body.length } });
  const answered = new Promise<IncomingMessage>((resolve) => upload.on('response', resolve));
  await new Promise((resolve) => upload.write(body.subarray(0, body.length / 2), resolve));

  await assert.rejects(startServer(await freePort(), dataDir), new RegExp(`exited early \\(1\\).*in use by coslocal pid ${first.pid}`, 's'));

  upload.end(body.subarray(body.length / 2));
  const res = await answered;
  res.resume();
  assert.equal(res.statusCode, 200);
  const got = await send(hostPort, { method: 'GET', url: path, signAs: OWNER });
  assert.equal(got.status, 200);
  assert.equal(createHash('md5').update(got.body).digest('hex'), createHash('md5').update(body).digest('hex'));

  // The admin CLI works beside the running server, which sees its changes.
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'keys', 'create', '--owner', OWNER.uin, ...(await storeArgsOf(dataDir))]);
  const key = JSON.parse(stdout) as { secretId: string; secretKey: string };
  assert.equal((await send(hostPort, { method: 'HEAD', url: path, signAs: { ...OWNER, ...key } })).status, 200);

  first.kill('SIGKILL');
  await exitCode(first);
  const next = await startServer(port, dataDir);
  assert.equal((await send(hostPort, { method: 'HEAD', url: path, signAs: OWNER })).status, 200);

  next.kill('SIGTERM');
  assert.equal(await exitCode(next), 0, 'a clean stop exits 0');
  await eventually('the stopped server released its lock', async () => (await readdir(join(dataDir, 'locks'))).length === 0);
});
