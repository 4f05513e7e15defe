// Identity-based permissions through cos-nodejs-sdk-v5: sub-account user policies (CLI and seed),
// temporary keys from the admin endpoint with session policies and expiry, and explain over HTTP.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { sdkWithTemporaryKey, type TemporaryKeyReply } from '../helpers/temporary-keys.ts';
import { onDiskOnly, codeOf, OTHER, OTHER_SUB, OWNER, SUB, startTestServer, uniqueBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';

const run = promisify(execFile);

let server: TestServer;
/** The server's clock runs this many ms ahead of the real one (to reach a temporary key's expiry). */
let skewMs = 0;
const Region = (): string => server.region;
const resource = (bucket: string, path: string, appid = OWNER.appid): string => `qcs::cos:${server.region}:uid/${appid}:${bucket}/${path}`;

before(async () => {
  server = await startTestServer({ clock: () => Date.now() + skewMs });
});
after(() => server.close());

const coslocal = async (...args: string[]): Promise<unknown> =>
  JSON.parse((await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, ...server.storeArgs])).stdout) as unknown;

async function attach(owner: TestIdentity, sub: TestIdentity, name: string, policy: object): Promise<void> {
  const file = join(server.dataDir, `${name}.json`);
  await writeFile(file, JSON.stringify(policy));
  await coslocal('policies', 'attach', '--owner', owner.uin, '--uin', sub.uin, '--name', name, '--file', file);
}

async function bucketWithObject(key: string): Promise<string> {
  const Bucket = uniqueBucket();
  const owner = server.sdk(OWNER);
  await owner.putBucket({ Bucket, Region: Region() });
  await owner.putObject({ Bucket, Region: Region(), Key: key, Body: 'hello' });
  return Bucket;
}

describe('sub-account user policies', { skip: onDiskOnly('the CLI on a data directory') }, () => {
  it('a sub-account with a policy for one prefix writes there and nowhere else; detaching takes it away', async () => {
    const Bucket = await bucketWithObject('uploads/seed.txt');
    const sub = server.sdk(SUB);
    assert.equal(await codeOf(sub.putObject({ Bucket, Region: Region(), Key: 'uploads/a.txt', Body: 'x' })), 'AccessDenied', 'nothing before a policy');
    await attach(OWNER, SUB, 'uploads-rw', {
      version: '2.0',
      statement: [{ effect: 'allow', action: ['name/cos:PutObject', 'name/cos:GetObject'], resource: [resource(Bucket, 'uploads/*')] }],
    });
    await sub.putObject({ Bucket, Region: Region(), Key: 'uploads/a.txt', Body: 'x' });
    assert.equal(String((await sub.getObject({ Bucket, Region: Region(), Key: 'uploads/a.txt' })).Body), 'x');
    assert.equal(await codeOf(sub.putObject({ Bucket, Region: Region(), Key: 'elsewhere/a.txt', Body: 'x' })), 'AccessDenied');
    assert.equal(await codeOf(sub.getBucket({ Bucket, Region: Region() })), 'AccessDenied', 'listing was not granted');
    assert.equal(await codeOf(sub.deleteObject({ Bucket, Region: Region(), Key: 'uploads/a.txt' })), 'AccessDenied', 'deleting was not granted');
    const listed = (await coslocal('policies', 'list', '--uin', SUB.uin)) as { policies: Array<{ name: string }> };
    assert.ok(listed.policies.some((p) => p.name === 'uploads-rw'));

    await coslocal('policies', 'detach', '--owner', OWNER.uin, '--uin', SUB.uin, '--name', 'uploads-rw');
    assert.equal(await codeOf(sub.putObject({ Bucket, Region: Region(), Key: 'uploads/b.txt', Body: 'x' })), 'AccessDenied');
  });

  it('an explicit deny in a user policy beats its own allow', async () => {
    const Bucket = await bucketWithObject('docs/secret/a.txt');
    await attach(OWNER, SUB, 'docs-but-secret', {
      version: '2.0',
      statement: [
        { effect: 'allow', action: ['name/cos:GetObject'], resource: [resource(Bucket, 'docs/*')] },
        { effect: 'deny', action: ['name/cos:GetObject'], resource: [resource(Bucket, 'docs/secret/*')] },
      ],
    });
    await server.sdk(OWNER).putObject({ Bucket, Region: Region(), Key: 'docs/open.txt', Body: 'open' });
    const sub = server.sdk(SUB);
    assert.equal(String((await sub.getObject({ Bucket, Region: Region(), Key: 'docs/open.txt' })).Body), 'open');
    assert.equal(await codeOf(sub.getObject({ Bucket, Region: Region(), Key: 'docs/secret/a.txt' })), 'AccessDenied');
    await coslocal('policies', 'detach', '--owner', OWNER.uin, '--uin', SUB.uin, '--name', 'docs-but-secret');
  });

  it("a grant to another root account reaches its sub-account only through that account's user policy", async () => {
    const Bucket = uniqueBucket();
    const owner = server.sdk(OWNER);
    await owner.putBucket({ Bucket, Region: Region(), GrantRead: `id="qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}"` });
    await owner.putObject({ Bucket, Region: Region(), Key: 'a.txt', Body: 'shared' });
    const otherSub = server.sdk(OTHER_SUB);
    assert.equal(String((await server.sdk(OTHER).getObject({ Bucket, Region: Region(), Key: 'a.txt' })).Body), 'shared');
    assert.equal(await codeOf(otherSub.getObject({ Bucket, Region: Region(), Key: 'a.txt' })), 'AccessDenied');
    await attach(OTHER, OTHER_SUB, 'read-partner', {
      version: '2.0',
      statement: [{ effect: 'allow', action: ['name/cos:GetObject'], resource: [resource(Bucket, '*')] }],
    });
    assert.equal(String((await otherSub.getObject({ Bucket, Region: Region(), Key: 'a.txt' })).Body), 'shared');
    assert.equal(await codeOf(otherSub.putObject({ Bucket, Region: Region(), Key: 'b.txt', Body: 'x' })), 'AccessDenied');
  });

  it('refuses an invalid user policy and names the problem', async () => {
    const file = join(server.dataDir, 'bad.json');
    await writeFile(file, JSON.stringify({ version: '2.0', statement: [{ effect: 'allow', action: ['name/cos:GetObjekt'], resource: ['*'] }] }));
    await assert.rejects(
      coslocal('policies', 'attach', '--owner', OWNER.uin, '--uin', SUB.uin, '--name', 'bad', '--file', file),
      /statement\[0\]\.action\[0\]: unknown action name\/cos:GetObjekt/,
    );
    await assert.rejects(coslocal('policies', 'attach', '--owner', OTHER.uin, '--uin', SUB.uin, '--name', 'x', '--file', file), /no sub-account/);
  });
});

/** The JSON error body every admin endpoint answers with. */
function adminError(res: RawResponse): { code: string; message: string; requestId: string } {
  assert.equal(res.headers['content-type'], 'application/json', res.text);
  return JSON.parse(res.text) as { code: string; message: string; requestId: string };
}

/** POSTs JSON to an admin endpoint, signed (q-sign) by `as`. */
const admin = (path: string, body: object, as?: TestIdentity, headers: Record<string, string> = {}): Promise<RawResponse> =>
  send(server.hostPort, {
    method: 'POST',
    url: `/_coslocal/v1/${path}`,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
    ...(as && { signAs: as }),
  });

async function temporaryKey(body: object, as: TestIdentity = OWNER): Promise<TemporaryKeyReply> {
  const res = await admin('temporary-keys', body, as);
  assert.equal(res.status, 200, res.text);
  return JSON.parse(res.text) as TemporaryKeyReply;
}

const sdkWith = (key: TemporaryKeyReply): COS => sdkWithTemporaryKey(server.hostPort, key);

describe('temporary keys', () => {
  it('a key with a narrower session policy is refused what the policy leaves out, and everything after expiry', async () => {
    const Bucket = await bucketWithObject('public/a.txt');
    const key = await temporaryKey({
      durationSeconds: 1800,
      // The STS SDK's shape: principal {"qcs": ["*"]}, and actions of other services, which never match.
      policy: {
        version: '2.0',
        statement: [
          { effect: 'allow', principal: { qcs: ['*'] }, action: ['name/cos:GetObject', 'name/ci:CreateMediaJobs'], resource: [resource(Bucket, 'public/*')] },
        ],
      },
    });
    assert.match(key.credentials.tmpSecretId, /^AKID/);
    assert.equal(key.expiredTime - key.startTime, 1800);
    const temp = sdkWith(key);
    assert.equal(String((await temp.getObject({ Bucket, Region: Region(), Key: 'public/a.txt' })).Body), 'hello');
    assert.equal(await codeOf(temp.putObject({ Bucket, Region: Region(), Key: 'public/b.txt', Body: 'x' })), 'AccessDenied', 'the owner may, the session may not');
    assert.equal(await codeOf(temp.getBucket({ Bucket, Region: Region() })), 'AccessDenied');

    skewMs = 1801 * 1000;
    try {
      const code = await codeOf(temp.getObject({ Bucket, Region: Region(), Key: 'public/a.txt' }));
      // The SDK signs for the key's own lifetime, so the server sees an expired signature or an expired token.
      assert.ok(code === 'ExpiredToken' || code === 'AccessDenied', String(code));
      const raw = await send(server.hostPort, {
        method: 'GET',
        url: `/${Bucket}/public/a.txt`,
        headers: { 'x-cos-security-token': key.credentials.sessionToken },
        signAs: { ...OWNER, secretId: key.credentials.tmpSecretId, secretKey: key.credentials.tmpSecretKey },
        signWindow: { start: Math.floor(Date.now() / 1000) + 1790, end: Math.floor(Date.now() / 1000) + 3600 },
      });
      assert.equal(raw.status, 400);
      assert.equal(errorOf(raw)['Code'], 'ExpiredToken');
    } finally {
      skewMs = 0;
    }
  });

  it('a key without a session policy has its identity\'s permissions; a sub-account\'s key is bounded by its user policies', { skip: onDiskOnly('the CLI on a data directory') }, async () => {
    const Bucket = await bucketWithObject('a.txt');
    const ownerTemp = sdkWith(await temporaryKey({ durationSeconds: 3600 }));
    await ownerTemp.putObject({ Bucket, Region: Region(), Key: 'b.txt', Body: 'b' });
    await attach(OWNER, SUB, 'read-all', { version: '2.0', statement: [{ effect: 'allow', action: ['name/cos:GetObject'], resource: [resource(Bucket, '*')] }] });
    const subTemp = sdkWith(await temporaryKey({ uin: SUB.uin, durationSeconds: 3600 }));
    assert.equal(String((await subTemp.getObject({ Bucket, Region: Region(), Key: 'b.txt' })).Body), 'b');
    assert.equal(await codeOf(subTemp.putObject({ Bucket, Region: Region(), Key: 'c.txt', Body: 'c' })), 'AccessDenied');
    await coslocal('policies', 'detach', '--owner', OWNER.uin, '--uin', SUB.uin, '--name', 'read-all');
  });

  it('a missing or foreign token is AccessDenied', async () => {
    const Bucket = await bucketWithObject('a.txt');
    const key = await temporaryKey({ durationSeconds: 1800 });
    const signAs = { ...OWNER, secretId: key.credentials.tmpSecretId, secretKey: key.credentials.tmpSecretKey };
    const none = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/a.txt`, signAs });
    assert.equal(none.status, 403);
    assert.equal(errorOf(none)['Code'], 'AccessDenied');
    const other = await temporaryKey({ durationSeconds: 1800 });
    const foreign = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/a.txt`, signAs, headers: { 'x-cos-security-token': other.credentials.sessionToken } });
    assert.equal(foreign.status, 403);
    assert.equal(errorOf(foreign)['Code'], 'AccessDenied');
  });

  it('the CLI issues keys too', { skip: onDiskOnly('the CLI on a data directory') }, async () => {
    const key = (await coslocal('keys', 'temporary', '--owner', OWNER.uin, '--uin', SUB.uin, '--duration', '7200')) as { secretId: string; token: string; expiredTime: number; startTime: number };
    assert.match(key.secretId, /^AKID/);
    assert.equal(key.expiredTime - key.startTime, 7200);
    await assert.rejects(coslocal('keys', 'temporary', '--owner', OWNER.uin, '--duration', '60'), /from 1800 \(30 minutes\) to 129600/);
  });
});

describe('the admin endpoint', () => {
  it('only a root account\'s permanent key may use it', async () => {
    for (const as of [SUB, undefined]) {
      const res = await admin('temporary-keys', { durationSeconds: 1800 }, as);
      assert.equal(res.status, 403, String(as?.uin));
      assert.equal(adminError(res).code, 'AccessDenied');
    }
    const key = await temporaryKey({ durationSeconds: 1800 });
    const res = await send(server.hostPort, {
      method: 'POST',
      url: '/_coslocal/v1/temporary-keys',
      body: '{}',
      headers: { 'x-cos-security-token': key.credentials.sessionToken },
      signAs: { ...OWNER, secretId: key.credentials.tmpSecretId, secretKey: key.credentials.tmpSecretKey },
    });
    assert.equal(res.status, 403, 'a temporary key may not mint another');
  });

  it('refuses bad requests with a reason', async () => {
    const cases: Array<[object | string, RegExp]> = [
      [{ durationSeconds: 1799 }, /from 1800/],
      [{ durationSeconds: 129601 }, /to 129600/],
      [{ uin: OTHER_SUB.uin }, /no sub-account 100000000022 under 100000000001/],
      [{ policy: { version: '2.0', statement: [{ effect: 'allow', action: ['name/cos:Nope'], resource: ['*'] }] } }, /unknown action name\/cos:Nope/],
      ['not json', /not JSON/],
    ];
    for (const [body, message] of cases) {
      const res = await send(server.hostPort, { method: 'POST', url: '/_coslocal/v1/temporary-keys', body: typeof body === 'string' ? body : JSON.stringify(body), signAs: OWNER });
      assert.equal(res.status, 400, res.text);
      assert.equal(adminError(res).code, 'InvalidRequest');
      assert.match(adminError(res).message, message);
    }
    const get = await send(server.hostPort, { method: 'GET', url: '/_coslocal/v1/temporary-keys', signAs: OWNER });
    assert.equal(get.status, 405);
    assert.equal(adminError(get).code, 'MethodNotAllowed');
  });

  it('answers an unknown path, Object.prototype\'s member names included, 404 in JSON', async () => {
    for (const name of ['nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'v1/constructor', 'v1/__proto__']) {
      for (const as of [OWNER, undefined]) {
        const res = await send(server.hostPort, { method: 'POST', url: `/_coslocal/${name}`, body: '{}', ...(as && { signAs: as }) });
        assert.equal(res.status, 404, `${name}: ${res.text}`);
        assert.equal(res.headers['content-type'], 'application/json');
        const error = adminError(res);
        assert.equal(error.code, 'NoSuchEndpoint');
        assert.equal(error.requestId, res.headers['x-cos-request-id']);
      }
    }
  });

  it('explains a hypothetical request about the signer\'s own bucket, and nobody else\'s', { skip: onDiskOnly('the CLI on a data directory') }, async () => {
    const Bucket = await bucketWithObject('uploads/a.txt');
    await attach(OWNER, SUB, 'uploads-only', { version: '2.0', statement: [{ effect: 'allow', action: ['name/cos:PutObject'], resource: [resource(Bucket, 'uploads/*')] }] });
    const ask = async (body: object, as: TestIdentity = OWNER): Promise<{ decision: { effect: string; source?: string; reason: string } }> => {
      const res = await admin('explain', body, as);
      assert.equal(res.status, 200, res.text);
      return JSON.parse(res.text) as { decision: { effect: string; source?: string; reason: string } };
    };
    const allowed = await ask({ as: `${OWNER.uin}/${SUB.uin}`, action: 'PutObject', bucket: Bucket, key: 'uploads/x' });
    assert.equal(allowed.decision.effect, 'allow');
    assert.equal(allowed.decision.source, 'user-policy');
    assert.match(allowed.decision.reason, /user policy uploads-only/);
    const denied = await ask({ as: `${OWNER.uin}/${SUB.uin}`, action: 'PutObject', bucket: Bucket, key: 'other/x' });
    assert.equal(denied.decision.effect, 'deny');
    const session = await ask({
      as: OWNER.uin,
      action: 'PutObject',
      bucket: Bucket,
      key: 'uploads/x',
      sessionPolicy: { version: '2.0', statement: [{ effect: 'allow', action: ['name/cos:GetObject'], resource: ['*'] }] },
    });
    assert.equal(session.decision.effect, 'deny');
    assert.match(session.decision.reason, /session policy does not allow/);
    const foreign = await admin('explain', { as: OWNER.uin, action: 'GetObject', bucket: Bucket }, OTHER);
    assert.equal(foreign.status, 403);
    await coslocal('policies', 'detach', '--owner', OWNER.uin, '--uin', SUB.uin, '--name', 'uploads-only');
  });

  it('tells the signer nothing about another account: unknown and foreign principals answer alike', { skip: onDiskOnly('the CLI on a data directory') }, async () => {
    const Bucket = await bucketWithObject('a.txt');
    await attach(OTHER, OTHER_SUB, 'other-private-policy', {
      version: '2.0',
      statement: [{ sid: 'otherprivatesid', effect: 'deny', action: ['name/cos:GetObject'], resource: ['*'] }],
    });
    const NOBODY = '199999999999';
    type Answer = { status: number; text: string; reason?: string; note?: string };
    const ask = async (as: string): Promise<Answer> => {
      const res = await admin('explain', { as, action: 'GetObject', bucket: Bucket, key: 'a.txt' }, OWNER);
      if (res.status !== 200) return { status: res.status, text: res.text.replace(res.headers['x-cos-request-id'] as string, '') };
      const body = JSON.parse(res.text) as { decision: { reason: string }; note?: string };
      return { status: 200, text: '', reason: body.decision.reason, ...(body.note !== undefined && { note: body.note }) };
    };
    /** The answer with the uins it was asked about replaced, so that two answers compare. */
    const masked = (answer: Answer, ...uins: string[]): Answer => JSON.parse(uins.reduce((text, uin) => text.replaceAll(uin, 'U'), JSON.stringify(answer))) as Answer;
    try {
      const sub = await ask(`${OTHER.uin}/${OTHER_SUB.uin}`);
      assert.equal(sub.status, 200, sub.text);
      assert.doesNotMatch(sub.reason ?? '', /other-private-policy|otherprivatesid/);
      assert.match(sub.note ?? '', /not visible/);
      assert.deepEqual(masked(sub, OTHER.uin, OTHER_SUB.uin), masked(await ask(`${NOBODY}/199999999998`), NOBODY, '199999999998'));
      assert.deepEqual(masked(await ask(OTHER.uin), OTHER.uin), masked(await ask(NOBODY), NOBODY));
      // Another root's sub-account under the signer's own uin is no sub-account of the signer's.
      const mismatched = await ask(`${OWNER.uin}/${OTHER_SUB.uin}`);
      assert.equal(mismatched.status, 400);
      assert.doesNotMatch(mismatched.text, /other-private-policy|otherprivatesid/);
      assert.deepEqual(masked(mismatched, OTHER_SUB.uin), masked(await ask(`${OWNER.uin}/199999999998`), '199999999998'));
    } finally {
      await coslocal('policies', 'detach', '--owner', OTHER.uin, '--uin', OTHER_SUB.uin, '--name', 'other-private-policy');
    }
  });
});
