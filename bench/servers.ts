// Starts the two servers under test as child processes on free loopback ports, and stops them (also on errors).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerProcess {
  name: string;
  pid: number;
  hostPort: string;
  dataDir: string;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

/** Last-resort cleanup, synchronous so it also works from 'exit' and signal handlers. */
export function killAllSync(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A warning when the temporary directory holds leftovers of killed runs or is short of room, else
 * undefined. A run writes ~10 GiB there and removes it on exit; a killed run leaves its
 * coslocal-bench-* directories behind. Measured: with ~50 GiB of such leftovers (46 GiB left free),
 * 1 GiB PUTs ran ~20% slower with ~30% more server CPU, far more for coslocal than for the bare
 * server, whose time goes mostly to waiting on the disk.
 */
export function diskWarning(): string | undefined {
  const { bavail, bsize } = statfsSync(tmpdir());
  const freeGiB = (bavail * bsize) / 2 ** 30;
  const leftovers = readdirSync(tmpdir()).filter((name) => name.startsWith('coslocal-bench-')).length;
  if (leftovers === 0 && freeGiB >= 30) return undefined;
  return `${tmpdir()} has ${freeGiB.toFixed(0)} GiB free and ${leftovers} coslocal-bench-* directories of earlier, killed runs: a filling disk slows the large-body cases`;
}

export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `coslocal-bench-${label}-`));
  dirs.add(dir);
  return dir;
}

async function launch(name: string, args: string[], env: NodeJS.ProcessEnv, ready: string, hostPort: string, dataDir: string): Promise<ServerProcess> {
  // COSLOCAL_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") adds node flags to coslocal, for profiling.
  const extra = name.startsWith('coslocal') ? (process.env['COSLOCAL_BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean) : [];
  const child = spawn(process.execPath, [...extra, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  // Keep draining its output (a full pipe would block the child); surface errors only.
  child.stdout?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.removeAllListeners('data');
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name} has no pid`);
  return {
    name,
    pid,
    hostPort,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
    },
  };
}

export const BENCH_SECRET_ID = 'AKIDbench0000000000000000000000000001';
export const BENCH_SECRET_KEY = 'benchSecretKey000000000000000001';
/** The default account's APPID, so a bucket it may create. */
export const BENCH_BUCKET = 'bench-1250000000';
export const BENCH_GRANTEE = { uin: '100000000009', appid: '1250000009', secretId: 'AKIDbenchGrantee00000000000000000009', secretKey: 'benchGranteeSecretKey00000000009' };

export interface CoslocalOptions {
  /** On the in-memory engine (--in-memory), named `coslocal (memory)`. */
  inMemory?: boolean;
  /** --workers: this many processes sharing the port (the scale case). */
  workers?: number;
  /** --metadata: a PostgreSQL database instead of SQLite in the data directory. */
  metadataUrl?: string;
}

export async function startCoslocal(options: CoslocalOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = tempDir('coslocal');
  // warn: no line per request, like the bare server, so the ratios compare serving with serving.
  const env = { ...process.env, COSLOCAL_SECRET_ID: BENCH_SECRET_ID, COSLOCAL_SECRET_KEY: BENCH_SECRET_KEY, COSLOCAL_LOG_LEVEL: 'warn' };
  // A second account for the ACL case: it reaches the bench buckets only through grants.
  const seed = join(dataDir, 'seed.json');
  writeFileSync(
    seed,
    JSON.stringify({
      accounts: [{ uin: BENCH_GRANTEE.uin, appid: BENCH_GRANTEE.appid, name: 'grantee', keys: [{ secretId: BENCH_GRANTEE.secretId, secretKey: BENCH_GRANTEE.secretKey }] }],
    }),
  );
  // The compiled server, as `npm start` runs it (`npm run bench` builds first): tsx's loader thread
  // would add ~30 MiB of RSS that no user pays.
  const args = [
    ...['dist/cli.js', 'serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir, '--seed', seed],
    ...(options.inMemory ? ['--in-memory'] : []),
    ...(options.workers !== undefined ? ['--workers', String(options.workers)] : []),
    ...(options.metadataUrl !== undefined ? ['--metadata', options.metadataUrl] : []),
  ];
  return launch(options.inMemory ? 'coslocal (memory)' : 'coslocal', args, env, 'coslocal listening on', `127.0.0.1:${port}`, dataDir);
}

export async function startBare(): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = tempDir('bare');
  const args = ['--import', 'tsx', 'bench/bare-server.ts', '--port', String(port), '--host', '127.0.0.1', '--dir', dataDir];
  return launch('bare', args, process.env, 'bare listening on', `127.0.0.1:${port}`, dataDir);
}
