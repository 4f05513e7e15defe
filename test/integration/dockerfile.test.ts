// The Dockerfile, which nothing here can build (no Docker): what it copies exists, what it configures coslocal
// reads, and its HEALTHCHECK command, run as the container would, tells a serving coslocal from a missing one.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import { HEALTH_PATH } from '../../src/admin/http-endpoint.ts';
import { OPTIONS } from '../../src/config.ts';
import { freePort } from '../helpers/child-server.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const run = promisify(execFile);
const dockerfile = await readFile('Dockerfile', 'utf8');
/** Instructions with their continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

it('copies from the build context only files the checkout has', async () => {
  const sources = instructions.filter((line) => /^COPY (?!--from)/.test(line)).flatMap((line) => line.split(/\s+/).slice(1, -1));
  assert.ok(sources.includes('src/') && sources.includes('package-lock.json'), sources.join(' '));
  for (const source of sources) await access(source);
});

it('sets only environment variables coslocal reads, and the data directory it declares as the volume', () => {
  const env = new Map([...dockerfile.matchAll(/\b(COSLOCAL_[A-Z_]+)=(\S+)/g)].map(([, name = '', value = '']) => [name, value]));
  const known = new Set(OPTIONS.map((o) => o.env));
  for (const name of env.keys()) assert.ok(known.has(name), name);
  assert.equal(env.get('COSLOCAL_DATA_DIR'), '/data');
  assert.ok(instructions.includes('VOLUME /data'));
  assert.ok(instructions.includes('USER node'), 'runs unprivileged');
});

it('its HEALTHCHECK command succeeds against a serving coslocal and fails when none answers', async () => {
  const line = instructions.find((l) => l.startsWith('HEALTHCHECK ')) ?? '';
  const command = JSON.parse(/ CMD (\[.*\])$/.exec(line)?.[1] ?? 'null') as string[] | null;
  assert.ok(command?.[0] === 'node', line);
  assert.ok(line.includes(HEALTH_PATH), `probes ${HEALTH_PATH}`);
  const probe = (port: number) => run(process.execPath, command.slice(1), { env: { ...process.env, COSLOCAL_PORT: String(port) } });
  await probe(server.app.port);
  await assert.rejects(probe(await freePort()), { code: 1 });
});
