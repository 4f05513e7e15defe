// Bucket policies through cos-nodejs-sdk-v5: write and read back, cross-account allow, deny over ACL, IP conditions, bad input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { errorOf, send } from '../helpers/raw.ts';
import { OTHER, OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let owner: COS;
let other: COS;
const Region = (): string => server.region;
const resource = (bucket: string, path = '*'): string => `qcs::cos:${server.region}:uid/${OWNER.appid}:${bucket}/${path}`;
const OTHER_PRINCIPAL = `qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`;

before(async () => {
  server = await startTestServer();
  owner = server.sdk(OWNER);
  other = server.sdk(OTHER);
});
after(() => server.close());

/** A bucket holding doc/a.txt, with the policy made for its name. */
async function bucketWith(policy: ((bucket: string) => object) | undefined, acl?: 'public-read'): Promise<string> {
  const Bucket = uniqueBucket();
  await owner.putBucket({ Bucket, Region: Region(), ...(acl && { ACL: acl }) });
  await owner.putObject({ Bucket, Region: Region(), Key: 'doc/a.txt', Body: 'a' });
  if (policy) await owner.putBucketPolicy({ Bucket, Region: Region(), Policy: policy(Bucket) as COS.PutBucketPolicyParams['Policy'] });
  return Bucket;
}

const statement = (effect: 'allow' | 'deny', principal: string, actions: string[], res: string, condition?: object) => ({
  principal: { qcs: [principal] },
  effect,
  action: actions,
  resource: [res],
  ...(condition && { condition }),
});

const status = async (p: Promise<{ statusCode?: number }>): Promise<number> => {
  try {
    return (await p).statusCode ?? 200;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode ?? 0;
  }
};

describe('PUT/GET/DELETE Bucket policy', () => {
  it('reads back the seed page policy field for field', async () => {
    const Bucket = await bucketWith(undefined);
    const policy = {
      Statement: [
        {
          Principal: { qcs: [OTHER_PRINCIPAL] },
          Effect: 'Allow',
          Action: ['name/cos:GetObject', 'name/cos:HeadObject'],
          Resource: [resource(Bucket, 'doc/*')],
        },
      ],
      version: '2.0',
    };
    await owner.putBucketPolicy({ Bucket, Region: Region(), Policy: policy });
    const got = await owner.getBucketPolicy({ Bucket, Region: Region() });
    assert.deepEqual(got.Policy, policy);
    const del = await owner.deleteBucketPolicy({ Bucket, Region: Region() });
    assert.equal(del.statusCode, 204);
    const missing = await owner.getBucketPolicy({ Bucket, Region: Region() }).catch((e: { statusCode: number }) => e);
    assert.equal((missing as { statusCode: number }).statusCode, 404);
  });

  it('returns lower-case statement keys under Statement, as the SDK test expects', async () => {
    const Bucket = await bucketWith(undefined);
    const body = JSON.stringify({
      version: '2.0',
      statement: [{ principal: { qcs: [OTHER_PRINCIPAL] }, effect: 'allow', action: ['name/cos:GetBucket'], resource: [resource(Bucket)] }],
    });
    const put = await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/?policy`, body, headers: { 'content-type': 'application/json' }, signAs: OWNER });
    assert.equal(put.status, 204);
    const got = await owner.getBucketPolicy({ Bucket, Region: Region() });
    const statements = (got.Policy as unknown as { Statement: Array<{ resource: string[] }> }).Statement;
    assert.deepEqual(statements[0]?.resource, [resource(Bucket)]);
  });
});

describe('policy decisions over HTTP', () => {
  it('a second account allowed name/cos:GetBucket can list but not put', async () => {
    const Bucket = await bucketWith((b) => ({ version: '2.0', statement: [statement('allow', OTHER_PRINCIPAL, ['name/cos:GetBucket'], resource(b, ''))] }));
    assert.equal(await status(other.getBucket({ Bucket, Region: Region() })), 200);
    assert.equal(await status(other.putObject({ Bucket, Region: Region(), Key: 'x', Body: 'x' })), 403);
    assert.equal(await status(other.getObject({ Bucket, Region: Region(), Key: 'doc/a.txt' })), 403);
  });

  it('an explicit deny beats a public-read ACL', async () => {
    const Bucket = await bucketWith(
      (b) => ({ version: '2.0', statement: [statement('deny', 'qcs::cam::anyone:anyone', ['name/cos:GetObject'], resource(b, 'doc/*'))] }),
      'public-read',
    );
    assert.equal((await send(server.hostPort, { method: 'GET', url: `/${Bucket}/` })).status, 200, 'listing still public');
    const denied = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/doc/a.txt` });
    assert.equal(denied.status, 403);
    assert.equal(errorOf(denied)['Code'], 'AccessDenied');
    assert.equal(await status(owner.getObject({ Bucket, Region: Region(), Key: 'doc/a.txt' })), 200, 'the owner is not "anyone"');
  });

  it('an explicit deny naming an account beats its ACL grant', async () => {
    const Bucket = await bucketWith((b) => ({ version: '2.0', statement: [statement('deny', OTHER_PRINCIPAL, ['name/cos:*'], resource(b))] }));
    await owner.putBucketAcl({ Bucket, Region: Region(), GrantRead: `id="${OTHER_PRINCIPAL}"` });
    assert.equal(await status(other.getBucket({ Bucket, Region: Region() })), 403);
  });

  it('ip_equal on the caller\'s loopback address allows; another CIDR denies', async () => {
    const allowIp = (cidr: string) => (b: string) => ({
      version: '2.0',
      statement: [statement('allow', 'qcs::cam::anyone:anyone', ['name/cos:GetObject'], resource(b, '*'), { ip_equal: { 'qcs:ip': [cidr] } })],
    });
    const loopback = await bucketWith(allowIp('127.0.0.0/8'));
    assert.equal((await send(server.hostPort, { method: 'GET', url: `/${loopback}/doc/a.txt` })).status, 200);
    const elsewhere = await bucketWith(allowIp('10.0.0.0/8'));
    assert.equal((await send(server.hostPort, { method: 'GET', url: `/${elsewhere}/doc/a.txt` })).status, 403);
  });

  it('a prefix-scoped allow admits writes under the prefix only', async () => {
    const Bucket = await bucketWith((b) => ({ version: '2.0', statement: [statement('allow', OTHER_PRINCIPAL, ['name/cos:PutObject'], resource(b, 'uploads/*'))] }));
    assert.equal(await status(other.putObject({ Bucket, Region: Region(), Key: 'uploads/ok.txt', Body: 'ok' })), 200);
    assert.equal(await status(other.putObject({ Bucket, Region: Region(), Key: 'elsewhere.txt', Body: 'no' })), 403);
  });

  it('the owner keeps PUT Bucket policy even under a policy that denies it everything', async () => {
    const ownerPrincipal = `qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}`;
    const Bucket = await bucketWith((b) => ({ version: '2.0', statement: [statement('deny', ownerPrincipal, ['name/cos:*'], resource(b))] }));
    assert.equal(await status(owner.getObject({ Bucket, Region: Region(), Key: 'doc/a.txt' })), 403);
    assert.equal(await status(owner.deleteBucketPolicy({ Bucket, Region: Region() })), 403);
    const open = { version: '2.0', statement: [statement('allow', OTHER_PRINCIPAL, ['name/cos:GetBucket'], resource(Bucket, ''))] };
    assert.equal(await status(owner.putBucketPolicy({ Bucket, Region: Region(), Policy: open })), 204);
    assert.equal(await status(owner.getObject({ Bucket, Region: Region(), Key: 'doc/a.txt' })), 200);
  });
});

describe('bad policies change nothing', () => {
  const good = (b: string) => ({ version: '2.0', statement: [statement('allow', OTHER_PRINCIPAL, ['name/cos:GetBucket'], resource(b, ''))] });
  const cases: Array<{ name: string; body: (b: string) => string; message: RegExp }> = [
    { name: 'not JSON', body: () => '{"version": "2.0", ', message: /JSON/i },
    { name: 'wrong version', body: (b) => JSON.stringify({ ...good(b), version: '1.0' }), message: /version/ },
    { name: 'unknown action', body: (b) => JSON.stringify({ version: '2.0', statement: [statement('allow', OTHER_PRINCIPAL, ['name/cos:GetObjekt'], resource(b))] }), message: /GetObjekt/ },
    {
      name: 'unknown operator',
      body: (b) => JSON.stringify({ version: '2.0', statement: [statement('allow', OTHER_PRINCIPAL, ['name/cos:GetObject'], resource(b), { ip_maybe: { 'qcs:ip': ['1.2.3.4'] } })] }),
      message: /ip_maybe/,
    },
    { name: 'malformed resource', body: () => JSON.stringify({ version: '2.0', statement: [statement('allow', OTHER_PRINCIPAL, ['name/cos:GetObject'], 'qcs::cos:bogus')] }), message: /resource/ },
    { name: 'malformed principal', body: (b) => JSON.stringify({ version: '2.0', statement: [statement('allow', 'qcs::cam::uin/abc', ['name/cos:GetObject'], resource(b))] }), message: /principal/ },
    {
      name: '20 KB + 1 byte',
      body: (b) => {
        const base = JSON.stringify(good(b));
        return base.slice(0, -1) + ',"padding":"' + 'x'.repeat(20 * 1024 + 1 - base.length - 13) + '"}';
      },
      message: /20480/,
    },
  ];
  for (const c of cases) {
    it(`${c.name} -> MalformedPolicy, old policy in force`, async () => {
      const Bucket = await bucketWith(good);
      const body = c.body(Bucket);
      if (c.name.startsWith('20 KB')) assert.equal(Buffer.byteLength(body), 20 * 1024 + 1);
      const res = await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/?policy`, body, signAs: OWNER });
      assert.equal(res.status, 400, res.text);
      const error = errorOf(res);
      assert.equal(error['Code'], 'MalformedPolicy');
      assert.match(error['Message'] ?? '', c.message);
      assert.equal(await status(other.getBucket({ Bucket, Region: Region() })), 200, 'old policy still allows');
    });
  }
});
