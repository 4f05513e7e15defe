// Revoking keys: `coslocal keys delete` beside a running server, which refuses the key (InvalidAccessKeyId)
// within a second though it had the key cached; temporary keys too, and through SigV4 as well.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import { errorOf, send } from '../helpers/raw.ts';
import { onDiskOnly, OWNER, startTestServerWithBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';

const run = promisify(execFile);
let server: TestServer;
let bucket: string;

before(async () => {
  ({ server, bucket } = await startTestServerWithBucket());
});
after(() => server.close());

const coslocal = async (...args: string[]): Promise<unknown> =>
  JSON.parse((await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, ...server.storeArgs])).stdout) as unknown;

/** The status (and error code) of listing the bucket signed by `identity`. */
async function listAs(identity: TestIdentity, headers: Record<string, string> = {}): Promise<{ status: number; code?: string }> {
  const res = await send(server.hostPort, { method: 'GET', url: `/${bucket}/`, headers, signAs: identity });
  return res.status === 200 ? { status: 200 } : { status: res.status, code: errorOf(res)['Code'] ?? '' };
}

/** Deletes the key with the CLI and returns how long the server went on accepting it, in ms. */
async function revoke(identity: TestIdentity, headers: Record<string, string> = {}): Promise<number> {
  const deleted = (await coslocal('keys', 'delete', '--secret-id', identity.secretId)) as { deleted: { secretId: string } };
  assert.equal(deleted.deleted.secretId, identity.secretId);
  const revokedAt = Date.now();
  for (;;) {
    const answer = await listAs(identity, headers);
    if (answer.status !== 200) {
      assert.deepEqual(answer, { status: 403, code: 'InvalidAccessKeyId' });
      return Date.now() - revokedAt;
    }
    assert.ok(Date.now() - revokedAt < 5000, 'the revoked key still works after 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('a permanent key deleted by the CLI is refused within a second; the account\'s other keys keep working', { skip: onDiskOnly('the CLI on a data directory') }, async () => {
  const key = (await coslocal('keys', 'create', '--owner', OWNER.uin)) as { secretId: string; secretKey: string };
  const identity = { ...OWNER, ...key };
  assert.deepEqual(await listAs(identity), { status: 200 }, 'the new key works (and is now cached)');
  const listed = (await coslocal('keys', 'list', '--uin', OWNER.uin)) as { keys: Array<{ secretId: string }> };
  assert.ok(listed.keys.some((k) => k.secretId === key.secretId));

  assert.ok((await revoke(identity)) < 1000);
  assert.deepEqual(await listAs(OWNER), { status: 200 });
  const after = (await coslocal('keys', 'list', '--uin', OWNER.uin)) as { keys: Array<{ secretId: string }> };
  assert.ok(!after.keys.some((k) => k.secretId === key.secretId));
  await assert.rejects(coslocal('keys', 'delete', '--secret-id', key.secretId), /no key/);
});

it('a temporary key can be revoked too', { skip: onDiskOnly('the CLI on a data directory') }, async () => {
  const issued = (await coslocal('keys', 'temporary', '--owner', OWNER.uin)) as { secretId: string; secretKey: string; token: string };
  const identity = { ...OWNER, secretId: issued.secretId, secretKey: issued.secretKey };
  const token = { 'x-cos-security-token': issued.token };
  assert.deepEqual(await listAs(identity, token), { status: 200 });
  assert.ok((await revoke(identity, token)) < 1000);
});
