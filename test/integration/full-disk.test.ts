// A full disk (a small tmpfs; needs the right to mount one, else skipped): failed writes are logged
// under their real cause (SQLITE_FULL / ENOSPC, not "cannot rollback"), and SIGTERM still stops
// the server cleanly, exit status 0.
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, it } from 'node:test';
import { freePort, startServer } from '../helpers/child-server.ts';
import { send } from '../helpers/raw.ts';
import { OWNER, sqliteOnly } from '../helpers/server.ts';

const run = promisify(execFile);
const mountPoint = await mkdtemp(join(tmpdir(), 'coslocal-full-'));
const mounted = await run('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mountPoint]).then(
  () => true,
  () => false,
);
let server: ChildProcess | undefined;
after(async () => {
  // A server still running (a failed assertion) holds files open: the tmpfs would not unmount.
  if (server && server.exitCode === null && server.signalCode === null) {
    const gone = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGKILL');
    await gone;
  }
  if (mounted) await run('umount', [mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
});

it('on a full disk the log names the cause, and SIGTERM exits 0', { skip: sqliteOnly('SQLite on a full disk (SQLITE_FULL)') || (!mounted && 'cannot mount a tmpfs here') }, async () => {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  server = await startServer(port, join(mountPoint, 'data'));
  let out = '';
  server.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const bucket = `full-${OWNER.appid}`;
  assert.equal((await send(hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
  // Inline objects (into SQLite) and file-backed ones by turns, with large metadata, until writes fail.
  let failed = 0;
  for (let i = 0; i < 1000 && failed < 10; i++) {
    const body = Buffer.alloc(i % 2 ? 60_000 : 500, 'x');
    const res = await send(hostPort, { method: 'PUT', url: `/${bucket}/k${i}`, body, signAs: OWNER, headers: { 'x-cos-meta-pad': 'p'.repeat(1000) } });
    if (res.status !== 200) failed++;
  }
  assert.ok(failed > 0, 'the disk filled up');
  const errors = out.split('\n').filter((line) => line.includes('"level":"error"'));
  assert.ok(errors.length > 0);
  for (const line of errors) {
    assert.doesNotMatch(line, /cannot rollback/);
    assert.match(line, /SQLITE_FULL|ENOSPC|database or disk is full/);
  }
  const stopping = server;
  const exited = new Promise<number | null>((resolve) => stopping.once('exit', (code) => resolve(code)));
  stopping.kill('SIGTERM');
  assert.equal(await exited, 0, out.slice(-2000));
});
