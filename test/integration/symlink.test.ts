// Symlinks (PUT/GET Object symlink) through cos-nodejs-sdk-v5's request() and signed raw requests:
// a link serves its target on GET and HEAD, is versioned, and opens nothing its caller may not read.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { codeOf, OTHER, OWNER, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cos: COS;
let Bucket = '';
const Region = (): string => server.region;

before(async () => {
  server = await startTestServer();
  cos = server.sdk();
  Bucket = await server.newBucket();
});
after(() => server.close());

/** PUT Object symlink as a Node SDK user sends it: the SDK has no putSymlink, its request() carries the subresource. */
const putSymlink = (Key: string, target: string, bucket = Bucket, sdk = cos): Promise<COS.GeneralResult> =>
  sdk.request({ Method: 'PUT', Bucket: bucket, Region: Region(), Key, Action: 'symlink', Headers: { 'x-cos-symlink-target': target } });

const raw = (method: string, url: string, headers: Record<string, string> = {}, signAs = OWNER): Promise<RawResponse> =>
  send(server.hostPort, { method, url, headers, signAs });

function assertRefused(res: RawResponse, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(errorOf(res)['Code'], code);
  assert.ok(errorOf(res)['RequestId'], 'the error names its request');
}

describe('PUT and GET Object symlink', () => {
  it('makes a link GET and HEAD read the target through, and GET ?symlink names the target', async () => {
    await cos.putObject({ Bucket, Region: Region(), Key: 'docs/target.txt', Body: 'hello', Headers: { 'x-cos-meta-who': 'target' } });
    const put = await putSymlink('link', 'docs/target.txt');
    assert.equal(put.statusCode, 200);
    assert.equal(put.headers?.['etag'], `"${createHash('md5').update('docs/target.txt').digest('hex')}"`, "the link's ETag is its target path's MD5");

    const got = await cos.getObject({ Bucket, Region: Region(), Key: 'link' });
    assert.equal(got.Body.toString(), 'hello');
    assert.equal(got.headers?.['x-cos-meta-who'], 'target', "the target's metadata");
    const head = await cos.headObject({ Bucket, Region: Region(), Key: 'link' });
    assert.equal(head.headers?.['content-length'], '5');
    const ranged = await raw('GET', `/${Bucket}/link`, { range: 'bytes=1-3' });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.text, 'ell');

    const link = await raw('GET', `/${Bucket}/link?symlink`);
    assert.equal(link.status, 200, link.text);
    assert.equal(link.headers['x-cos-symlink-target'], 'docs/target.txt');
    assert.equal(link.body.length, 0);
  });

  it('reads a target the link names percent-encoded (cos-go-sdk-v5) and answers a non-ASCII one encoded, "/" kept', async () => {
    await cos.putObject({ Bucket, Region: Region(), Key: 'dir/中文 a.txt', Body: 'wide' });
    await putSymlink('wide-link', encodeURIComponent('dir/中文 a.txt'));
    assert.equal((await cos.getObject({ Bucket, Region: Region(), Key: 'wide-link' })).Body.toString(), 'wide');
    const link = await raw('GET', `/${Bucket}/wide-link?symlink`);
    assert.equal(link.headers['x-cos-symlink-target'], `dir/${encodeURIComponent('中文 a.txt')}`);
  });

  it('follows the target as it is now: a replaced target serves the new bytes, a deleted one is 404 NoSuchKey', async () => {
    await putSymlink('later', 'later-target');
    assertRefused(await raw('GET', `/${Bucket}/later`), 404, 'NoSuchKey');
    const head = await raw('HEAD', `/${Bucket}/later`);
    assert.equal(head.status, 404, 'a dangling link is missing on HEAD too');
    await cos.putObject({ Bucket, Region: Region(), Key: 'later-target', Body: 'one' });
    assert.equal((await raw('GET', `/${Bucket}/later`)).text, 'one');
    await cos.putObject({ Bucket, Region: Region(), Key: 'later-target', Body: 'two' });
    assert.equal((await raw('GET', `/${Bucket}/later`)).text, 'two');
    await cos.deleteObject({ Bucket, Region: Region(), Key: 'later-target' });
    assertRefused(await raw('GET', `/${Bucket}/later`), 404, 'NoSuchKey');
    assert.equal((await raw('GET', `/${Bucket}/later?symlink`)).headers['x-cos-symlink-target'], 'later-target', 'the link itself stays');
  });

  it('takes one hop: a link to a link is 404 NoSuchKey', async () => {
    await cos.putObject({ Bucket, Region: Region(), Key: 'hop-target', Body: 'x' });
    await putSymlink('hop1', 'hop-target');
    await putSymlink('hop2', 'hop1');
    assertRefused(await raw('GET', `/${Bucket}/hop2`), 404, 'NoSuchKey');
    await putSymlink('self', 'self');
    assertRefused(await raw('GET', `/${Bucket}/self`), 404, 'NoSuchKey');
  });

  it('refuses a missing, badly encoded or too long target, and GET ?symlink of a normal object', async () => {
    assertRefused(await raw('PUT', `/${Bucket}/bad?symlink`), 400, 'InvalidArgument');
    assertRefused(await raw('PUT', `/${Bucket}/bad?symlink`, { 'x-cos-symlink-target': '%E4%B8' }), 400, 'InvalidArgument');
    assertRefused(await raw('PUT', `/${Bucket}/bad?symlink`, { 'x-cos-symlink-target': 'k'.repeat(851) }), 400, 'KeyTooLong');
    assertRefused(await raw('GET', `/${Bucket}/bad?symlink`), 404, 'NoSuchKey');
    await cos.putObject({ Bucket, Region: Region(), Key: 'plain', Body: 'p' });
    assertRefused(await raw('GET', `/${Bucket}/plain?symlink`), 400, 'InvalidArgument');
  });

  it('versions links: each PUT is a version, GET ?symlink&versionId reads one, a bad id is NoSuchVersion', async () => {
    const versioned = await server.newBucket();
    await cos.putBucketVersioning({ Bucket: versioned, Region: Region(), VersioningConfiguration: { Status: 'Enabled' } });
    await cos.putObject({ Bucket: versioned, Region: Region(), Key: 'a', Body: 'A' });
    await cos.putObject({ Bucket: versioned, Region: Region(), Key: 'b', Body: 'B' });
    const first = (await putSymlink('v-link', 'a', versioned)).headers?.['x-cos-version-id'];
    const second = (await putSymlink('v-link', 'b', versioned)).headers?.['x-cos-version-id'];
    assert.ok(first && second && first !== second, 'each link write is a version');
    assert.equal((await raw('GET', `/${versioned}/v-link?symlink&versionId=${first}`)).headers['x-cos-symlink-target'], 'a');
    assert.equal((await raw('GET', `/${versioned}/v-link?symlink`)).headers['x-cos-symlink-target'], 'b');
    const old = await raw('GET', `/${versioned}/v-link?versionId=${first}`);
    assert.equal(old.text, 'A', 'an older link version follows its own target');
    assert.equal(old.headers['x-cos-version-id'], first, "the link's version, not the target's");
    assertRefused(await raw('GET', `/${versioned}/v-link?symlink&versionId=MTg0NDUxNTc1NjIzMTQ1MDAwODg`), 404, 'NoSuchVersion');
  });
});

describe('symlink authorization', () => {
  it('a read through a link needs the target read too: a policy denying the target denies the link, and says nothing of it', async () => {
    const shared = await server.newBucket();
    const other = server.sdk(OTHER);
    const principal = { qcs: [`qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`] };
    const objects = `qcs::cos:${Region()}:uid/${OWNER.appid}:${shared}/*`;
    const Policy = {
      version: '2.0',
      statement: [
        { principal, effect: 'allow', resource: [objects], action: ['name/cos:GetObject', 'name/cos:HeadObject', 'name/cos:GetSymlink', 'name/cos:PutSymlink'] },
        { principal, effect: 'deny', resource: [`qcs::cos:${Region()}:uid/${OWNER.appid}:${shared}/secret/*`], action: ['name/cos:GetObject', 'name/cos:HeadObject'] },
      ],
    };
    await cos.putBucketPolicy({ Bucket: shared, Region: Region(), Policy: Policy as COS.PutBucketPolicyParams['Policy'] });
    await cos.putObject({ Bucket: shared, Region: Region(), Key: 'secret/plan.txt', Body: 'classified' });
    await cos.putObject({ Bucket: shared, Region: Region(), Key: 'public.txt', Body: 'open' });
    assert.equal(await codeOf(other.getObject({ Bucket: shared, Region: Region(), Key: 'secret/plan.txt' })), 'AccessDenied');

    assert.equal((await putSymlink('way-in', 'secret/plan.txt', shared, other)).statusCode, 200, 'the policy lets OTHER make links');
    assert.equal((await putSymlink('way-out', 'public.txt', shared, other)).statusCode, 200);
    assert.equal((await other.getObject({ Bucket: shared, Region: Region(), Key: 'way-out' })).Body.toString(), 'open');
    const through = await raw('GET', `/${shared}/way-in`, {}, OTHER);
    assertRefused(through, 403, 'AccessDenied');
    assert.doesNotMatch(through.text, /classified/);
    assert.equal((await raw('HEAD', `/${shared}/way-in`, {}, OTHER)).status, 403, 'HEAD through the link is denied too');
    await putSymlink('dangling', 'secret/none.txt', shared, other);
    assertRefused(await raw('GET', `/${shared}/dangling`, {}, OTHER), 403, 'AccessDenied');
    assert.equal((await cos.getObject({ Bucket: shared, Region: Region(), Key: 'way-in' })).Body.toString(), 'classified', 'the owner reads through it');
  });

  it('PUT and GET ?symlink are their own actions: GetObject alone does not read or write a link', async () => {
    const own = await server.newBucket();
    const principal = { qcs: [`qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`] };
    const Policy = {
      version: '2.0',
      statement: [{ principal, effect: 'allow', resource: [`qcs::cos:${Region()}:uid/${OWNER.appid}:${own}/*`], action: ['name/cos:GetObject', 'name/cos:PutObject'] }],
    };
    await cos.putBucketPolicy({ Bucket: own, Region: Region(), Policy: Policy as COS.PutBucketPolicyParams['Policy'] });
    await putSymlink('mine', 't', own);
    assert.equal(await codeOf(putSymlink('theirs', 't', own, server.sdk(OTHER))), 'AccessDenied');
    assertRefused(await raw('GET', `/${own}/mine?symlink`, {}, OTHER), 403, 'AccessDenied');
  });
});
