// What `coslocal serve` prints at start works as printed: the seeded default key, and an IPv6 endpoint for the SDK.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import { spawnCoslocal } from '../helpers/child-server.ts';
import { send } from '../helpers/raw.ts';
import { OWNER, uniqueBucket } from '../helpers/server.ts';

const dir = await mkdtemp(join(tmpdir(), 'coslocal-banner-'));
after(() => rm(dir, { recursive: true, force: true }));

/** The environment without a key pair of its own, so that the banner's key comes from the seed or the data. */
const { COSLOCAL_SECRET_ID: _id, COSLOCAL_SECRET_KEY: _key, ...cleanEnv } = process.env;

const serve = (...args: string[]) => spawnCoslocal(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--port', '0', ...args], { env: cleanEnv });

async function stop(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  assert.deepEqual(await exited, [0, null]);
}

it("shows the seed's key of the default account, which signs requests", async () => {
  const seed = join(dir, 'seed.json');
  await writeFile(seed, JSON.stringify({ accounts: [{ uin: OWNER.uin, appid: OWNER.appid, keys: [{ secretId: OWNER.secretId, secretKey: OWNER.secretKey }] }] }));
  const { child, banner } = await serve('--data-dir', join(dir, 'seeded'), '--seed', seed);
  try {
    assert.deepEqual([banner.secretId, banner.secretKey], [OWNER.secretId, OWNER.secretKey]);
    const bucket = uniqueBucket();
    const put = await send(banner.hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: { ...OWNER, secretId: banner.secretId, secretKey: banner.secretKey } });
    assert.equal(put.status, 200, put.text);
  } finally {
    await stop(child);
  }
});

/** Whether this machine has an IPv6 loopback (containers often run without one). */
async function hasIPv6Loopback(): Promise<boolean> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '::1', resolve));
    return true;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}

it('prints an IPv6 endpoint in brackets, and the printed SDK configuration works', { skip: !(await hasIPv6Loopback()) && 'no IPv6 loopback (::1) on this machine' }, async () => {
  const { child, banner } = await serve('--host', '::1', '--data-dir', join(dir, 'ipv6'));
  try {
    assert.match(banner.text, /^coslocal listening on http:\/\/\[::1\]:\d+ /);
    assert.match(banner.hostPort, /^\[::1\]:\d+$/);
    const cos = new COS({ SecretId: banner.secretId, SecretKey: banner.secretKey, Protocol: 'http:', Ip: banner.hostPort });
    const Bucket = uniqueBucket();
    await cos.putBucket({ Bucket, Region: 'ap-guangzhou' });
    await cos.putObject({ Bucket, Region: 'ap-guangzhou', Key: 'a.txt', Body: 'over IPv6' });
    const got = await cos.getObject({ Bucket, Region: 'ap-guangzhou', Key: 'a.txt' });
    assert.equal(got.Body.toString(), 'over IPv6');
  } finally {
    await stop(child);
  }
});
