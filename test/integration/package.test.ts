// The npm package: `npm pack`'s tarball, installed into an empty directory, runs with `npx coslocal` and answers
// requests, and its programmatic entry imports and type-checks.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { after, it } from 'node:test';
import { signalServer, spawnCoslocal } from '../helpers/child-server.ts';
import { send } from '../helpers/raw.ts';
import { OWNER, uniqueBucket } from '../helpers/server.ts';

const run = promisify(execFile);
const repo = resolve('.');
const work = await mkdtemp(join(tmpdir(), 'coslocal-package-'));
after(() => rm(work, { recursive: true, force: true }));

/** npm's errors when the registry cannot be reached (and the npm cache does not hold what is needed). */
const OFFLINE = /\b(ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)\b/;

/** The environment without the caller's key pair, so that the banner shows the one the server generates. */
const { COSLOCAL_SECRET_ID: _id, COSLOCAL_SECRET_KEY: _key, ...env } = process.env;

/**
 * better-sqlite3's install script downloads a prebuilt addon from GitHub or compiles one (a minute or more);
 * the repository's node_modules holds one already built for this Node, by `npm ci`. The project is pinned to
 * that version (npm overrides) and installed without scripts, and the addon copied in: what the script
 * would have produced.
 */
async function betterSqlite(): Promise<{ version: string; addon: string }> {
  const manifest = createRequire(join(repo, 'package.json')).resolve('better-sqlite3/package.json');
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  return { version, addon: join(dirname(manifest), 'build', 'Release', 'better_sqlite3.node') };
}

/** Resolves once no process of the group is left (the server's exit follows npx's); fails after 10 s. */
async function groupEnded(pid: number): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
  }
  assert.fail(`process group ${pid} still running 10 s after SIGTERM`);
}

it('npm pack gives a tarball that, installed in an empty directory, starts with npx and answers', async (t) => {
  const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  // `npm pack` runs `prepare`, which compiles dist/.
  const [packed] = JSON.parse((await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo })).stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  assert.ok(packed);
  const files = packed.files.map((f) => f.path);
  for (const file of ['bin/coslocal.js', 'dist/cli.js', 'dist/index.js', 'dist/index.d.ts', 'package.json', 'README.md']) assert.ok(files.includes(file), file);
  assert.deepEqual(
    files.filter((f) => !/^(bin|dist)\//.test(f) && !['package.json', 'README.md'].includes(f)),
    [],
    'nothing but the build, the command, the manifest and the README',
  );
  assert.ok(!files.some((f) => f.endsWith('.test.js') || f.endsWith('.map')), 'no tests or source maps');

  const project = join(work, 'project');
  await mkdir(project);
  const sqlite = await betterSqlite();
  await writeFile(join(project, 'package.json'), JSON.stringify({ private: true, overrides: { 'better-sqlite3': sqlite.version } }));
  try {
    await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(work, packed.filename)], { cwd: project, env });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    if (!OFFLINE.test(stderr)) throw error;
    t.skip(`the npm registry cannot be reached and the npm cache lacks coslocal's dependencies (run npm ci first): ${OFFLINE.exec(stderr)?.[1] ?? ''}`);
    return;
  }
  const release = join(project, 'node_modules', 'better-sqlite3', 'build', 'Release');
  await mkdir(release, { recursive: true });
  await copyFile(sqlite.addon, join(release, 'better_sqlite3.node'));

  // `--no`: never fetch a package named coslocal from the registry; `--`: the flags after it are coslocal's.
  const npx = ['--no', '--', 'coslocal'];
  assert.equal((await run('npx', [...npx, '--version'], { cwd: project, env })).stdout, `${version}\n`);

  const { child, banner } = await spawnCoslocal('npx', [...npx, '--port', '0', '--data-dir', join(work, 'data')], { cwd: project, env, detached: true });
  const pid = child.pid ?? 0;
  try {
    const owner = { ...OWNER, secretId: banner.secretId, secretKey: banner.secretKey };
    const bucket = uniqueBucket();
    assert.equal((await send(banner.hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: owner })).status, 200);
    assert.equal((await send(banner.hostPort, { method: 'PUT', url: `/${bucket}/a.txt`, body: 'from the tarball', signAs: owner })).status, 200);
    const got = await send(banner.hostPort, { method: 'GET', url: `/${bucket}/a.txt`, signAs: owner });
    assert.deepEqual([got.status, got.text], [200, 'from the tarball']);
  } finally {
    signalServer(child, 'SIGTERM');
    await groupEnded(pid);
  }

  // The programmatic entry (exports "."), in JavaScript and, through its declarations, in TypeScript.
  const consumer = `import { parseConfig, silentLogger, startApp, startServer } from 'coslocal';
const app = await startApp(parseConfig(['--port', '0', '--data-dir', 'embedded'], {}), { log: silentLogger });
const port: number = app.port;
await app.close();
const server = await startServer({ seed: { buckets: [{ name: 'fixtures-1250000000', owner: '100000000001' }] } });
const ip = server.cos.Ip;
server.clock.advance(1000);
await server.reset();
await server.close();
process.stdout.write(String(port > 0 && ip === server.endpoint.slice('http://'.length)));
`;
  await writeFile(join(project, 'consumer.mts'), consumer);
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', strict: true, noEmit: true, types: ['node'], typeRoots: [join(repo, 'node_modules', '@types')] }, files: ['consumer.mts'] }));
  await run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project]);
  const js = consumer.replace('const port: number', 'const port');
  assert.equal((await run(process.execPath, ['--input-type=module', '-e', js], { cwd: project, env })).stdout, 'true');
});
