// The data directory lock: a live holder (in this process or another) refuses the lock and is named; a
// holder whose process is gone, or whose pid now belongs to another process, is stale and removed; nodes
// of one deployment share the directory; another host's holder is judged by its heartbeat.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { DataDirLockedError, lockDataDir, STALE_MS } from './data-dir-lock.ts';

const root = mkdtempSync(join(tmpdir(), 'coslocal-lock-unit-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `d${++dirs}`);

/** A holder file as another process would have written it. */
function plant(dataDir: string, holder: { pid: number; host?: string; processOrigin?: number; startTicks?: string; mode?: string; deployment?: string }): string {
  const file = join(dataDir, 'locks', `planted-${holder.pid}.json`);
  const record = { host: hostname(), mode: 'exclusive', startedAt: '2026-01-01T00:00:00.000Z', processOrigin: 0, ...holder };
  writeFileSync(file, JSON.stringify(record));
  return file;
}

/** A node process that idles until killed. */
function idleProcess(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  after(() => child.kill('SIGKILL'));
  return child;
}

/** Linux: a process's start time in clock ticks (field 22 of /proc/<pid>/stat). */
const startTicks = (pid: number): string => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
};

it('a second lock in the same process is refused with its pid; released, the lock is free again', async () => {
  const dir = freshDir();
  const lock = await lockDataDir(dir);
  await assert.rejects(lockDataDir(dir), (error: unknown) => error instanceof DataDirLockedError && error.message.includes(`pid ${process.pid}`));
  await lock.release();
  await (await lockDataDir(dir)).release();
  assert.deepEqual(readdirSync(join(dir, 'locks')), []);
});

it('a live holder of another process refuses the lock; one whose pid was reused, or whose process ended, is stale', async () => {
  const dir = freshDir();
  await (await lockDataDir(dir)).release();
  const child = idleProcess();
  const pid = child.pid ?? 0;
  const live = plant(dir, { pid, ...(process.platform === 'linux' && { startTicks: startTicks(pid) }) });
  await assert.rejects(lockDataDir(dir), new RegExp(`in use by coslocal pid ${pid}`));
  if (process.platform === 'linux') {
    plant(dir, { pid, startTicks: '1' });
    await (await lockDataDir(dir)).release();
    assert.deepEqual(readdirSync(join(dir, 'locks')), [], 'the reused pid\'s holder was removed');
    plant(dir, { pid, startTicks: startTicks(pid) });
  }
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  await (await lockDataDir(dir)).release();
  assert.deepEqual(readdirSync(join(dir, 'locks')), [], `${live} was removed once its process was gone`);
});

it("an earlier life of this pid is stale; another host's holder stands while its heartbeat is fresh, and is stale after", async () => {
  const dir = freshDir();
  await (await lockDataDir(dir)).release();
  plant(dir, { pid: process.pid, processOrigin: 1 });
  await (await lockDataDir(dir)).release();
  assert.deepEqual(readdirSync(join(dir, 'locks')), []);
  const file = plant(dir, { pid: 1234, host: 'elsewhere.example' });
  await assert.rejects(lockDataDir(dir), new RegExp(`pid 1234 on host elsewhere\\.example \\(gone 60 s after it stops refreshing ${file}\\)`));
  const lastBeat = new Date(Date.now() - STALE_MS - 5_000);
  utimesSync(file, lastBeat, lastBeat);
  await (await lockDataDir(dir)).release();
  assert.deepEqual(readdirSync(join(dir, 'locks')), [], 'the silent holder was removed');
});

it('nodes of one deployment share the directory; an exclusive server and nodes, or nodes of two deployments, do not', async () => {
  const dir = freshDir();
  const nodeA = await lockDataDir(dir, { mode: 'node', deployment: 'd1' });
  const nodeB = await lockDataDir(dir, { mode: 'node', deployment: 'd1' });
  await assert.rejects(lockDataDir(dir), /a node of deployment d1 \(start this server with --node to join it\)/);
  await assert.rejects(lockDataDir(dir, { mode: 'node', deployment: 'd2' }), /a node of another deployment \(d1; this store's is d2\)/);
  const elsewhere = plant(dir, { pid: 4321, host: 'other-node.example', mode: 'node', deployment: 'd1' });
  const nodeC = await lockDataDir(dir, { mode: 'node', deployment: 'd1' });
  for (const lock of [nodeA, nodeB, nodeC]) await lock.release();
  rmSync(elsewhere);
  const alone = await lockDataDir(dir);
  await assert.rejects(lockDataDir(dir, { mode: 'node', deployment: 'd1' }), /a server that owns it alone/);
  await alone.release();
  assert.deepEqual(readdirSync(join(dir, 'locks')), []);
});
