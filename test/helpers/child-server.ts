// coslocal as a child process on a data directory, for tests that kill -9 it and start it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { after } from 'node:test';
import { engineFlags, OWNER } from './server.ts';

const live = new Set<ChildProcess>();
/** Children spawned detached, as leaders of their own process group (npx runs the server as a grandchild). */
const groups = new WeakSet<ChildProcess>();
// A test that fails or times out (--test-timeout) must not leave its server behind, keeping the test
// file's process, and so the whole run, waiting.
after(() => {
  for (const child of live) signalServer(child, 'SIGKILL');
});

/** Signals the child, or its whole process group when it was spawned detached. */
export function signalServer(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!groups.has(child) || child.pid === undefined) {
    child.kill(signal);
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // the group has ended
  }
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Each data directory's engine flags, so that a restarted server finds its metadata again. */
const enginesByDataDir = new Map<string, Promise<string[]>>();

/** The PostgreSQL database of the servers started on this data directory; undefined for SQLite (meta.db in it). */
export async function metadataUrlOf(dataDir: string): Promise<string | undefined> {
  const flags = (await enginesByDataDir.get(dataDir)) ?? [];
  const at = flags.indexOf('--metadata');
  return at === -1 ? undefined : flags[at + 1];
}

/** The admin commands' flags (src/cli.ts) that open the store of the servers started on this data directory. */
export async function storeArgsOf(dataDir: string): Promise<string[]> {
  const url = await metadataUrlOf(dataDir);
  return ['--data-dir', dataDir, ...(url === undefined ? [] : ['--metadata', url])];
}

/**
 * Starts `coslocal serve` with OWNER as the default account and resolves once it listens; `fdLimit`
 * runs it under `ulimit -n` (through sh); `args` are more server flags.
 */
export async function startServer(port: number, dataDir: string, options: { fdLimit?: number; args?: readonly string[] } = {}): Promise<ChildProcess> {
  let engine = enginesByDataDir.get(dataDir);
  if (!engine) enginesByDataDir.set(dataDir, (engine = engineFlags()));
  const command = [process.execPath, '--import', 'tsx', 'src/cli.ts', 'serve', '--port', String(port), '--data-dir', dataDir, ...(await engine), ...(options.args ?? [])];
  const [file = '', ...args] = options.fdLimit === undefined ? command : ['sh', '-c', `ulimit -n ${options.fdLimit} && exec "$@"`, 'sh', ...command];
  const { child } = await spawnCoslocal(file, args, { env: { ...process.env, COSLOCAL_SECRET_ID: OWNER.secretId, COSLOCAL_SECRET_KEY: OWNER.secretKey } });
  return child;
}

/** What the start-up banner says: where the server listens and the default account's key. */
export interface Banner {
  /** `host:port`, an IPv6 host in brackets. */
  hostPort: string;
  secretId: string;
  secretKey: string;
  text: string;
}

/** A command line that starts coslocal, resolved with its banner once the server listens. */
export async function spawnCoslocal(file: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; cwd?: string; detached?: boolean }): Promise<{ child: ChildProcess; banner: Banner }> {
  const child = spawn(file, args, {
    env: options.env,
    ...(options.cwd !== undefined && { cwd: options.cwd }),
    ...(options.detached && { detached: true }),
    // stderr is piped, not inherited: a server left running must not hold the test runner's own pipe open.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.pipe(process.stderr);
  live.add(child);
  if (options.detached) groups.add(child);
  // A group's other members may outlive its leader: the after hook signals the group whatever happened.
  else child.once('exit', () => live.delete(child));
  const banner = await new Promise<Banner>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // The banner ends with the SDK configuration's `Ip:` line.
      const [, hostPort = '', secretId = '', secretKey = ''] = /coslocal listening on http:\/\/(\S+)[\s\S]*SecretId +(\S+)\n +SecretKey +(\S+)\n[\s\S]*Ip: '/.exec(out) ?? [];
      if (hostPort) resolve({ hostPort, secretId, secretKey, text: out });
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}${err}`)));
  });
  return { child, banner };
}
