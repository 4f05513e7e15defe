// coslocal as a child process on a data directory, for tests that kill -9 it and start it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { after } from 'node:test';
import { OWNER } from './server.ts';

const live = new Set<ChildProcess>();
// A test that fails or times out (--test-timeout) must not leave its server behind, keeping the test
// file's process, and so the whole run, waiting.
after(() => {
  for (const child of live) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Starts `coslocal serve` with OWNER as the default account and resolves once it listens; `fdLimit`
 * runs it under `ulimit -n` (through sh).
 */
export async function startServer(port: number, dataDir: string, options: { fdLimit?: number } = {}): Promise<ChildProcess> {
  const command = [process.execPath, '--import', 'tsx', 'src/cli.ts', 'serve', '--port', String(port), '--data-dir', dataDir];
  const [file = '', ...args] = options.fdLimit === undefined ? command : ['sh', '-c', `ulimit -n ${options.fdLimit} && exec "$@"`, 'sh', ...command];
  const child = spawn(file, args, {
    env: { ...process.env, COSLOCAL_SECRET_ID: OWNER.secretId, COSLOCAL_SECRET_KEY: OWNER.secretKey },
    // stderr is piped, not inherited: a server left running must not hold the test runner's own pipe open.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.pipe(process.stderr);
  live.add(child);
  child.once('exit', () => live.delete(child));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('coslocal listening on')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}${err}`)));
  });
  return child;
}
