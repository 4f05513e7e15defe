// GET/PUT Bucket and Object acl: the documented examples read back field by field, creation-time ACLs, the seed, bad input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { errorOf, send, type RawRequest } from '../helpers/raw.ts';
import { OTHER, OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const ALL = 'http://cam.qcloud.com/groups/global/AllUsers';
const OWNER_ID = `qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}`;
const OTHER_ID = `qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`;

let server: TestServer;
let cos: COS;
const raw = (r: RawRequest) => send(server.hostPort, r);

before(async () => {
  server = await startTestServer();
  cos = server.sdk();
});
after(() => server.close());

async function newBucket(headers: Record<string, string> = {}): Promise<string> {
  const Bucket = uniqueBucket();
  await cos.putBucket({ Bucket, Region: server.region, Headers: headers });
  return Bucket;
}

/** The body of the PUT Bucket acl documentation example (spec/acl.md §6.1). */
const docBucketBody = `<AccessControlPolicy>
  <Owner><ID>${OWNER_ID}</ID></Owner>
  <AccessControlList>
    <Grant>
      <Grantee xmlns:xsi="${XSI}" xsi:type="Group"><URI>${ALL}</URI></Grantee>
      <Permission>READ</Permission>
    </Grant>
    <Grant>
      <Grantee xmlns:xsi="${XSI}" xsi:type="CanonicalUser"><ID>${OTHER_ID}</ID></Grantee>
      <Permission>WRITE</Permission>
    </Grant>
  </AccessControlList>
</AccessControlPolicy>`;

describe('the documented examples', () => {
  it('PUT Bucket acl by body, read back through the SDK and raw XML', async () => {
    const Bucket = await newBucket();
    const put = await raw({ method: 'PUT', url: `/${Bucket}/?acl`, body: docBucketBody, headers: { 'content-type': 'application/xml' }, signAs: OWNER });
    assert.equal(put.status, 200);

    const acl = await cos.getBucketAcl({ Bucket, Region: server.region });
    assert.deepEqual(acl.Owner, { ID: OWNER_ID, DisplayName: OWNER_ID });
    assert.deepEqual(acl.Grants, [
      { Grantee: { URI: ALL }, Permission: 'READ' },
      { Grantee: { ID: OTHER_ID, DisplayName: OTHER_ID }, Permission: 'WRITE' },
    ]);
    assert.equal(acl.ACL, 'public-read');
    assert.equal(acl.GrantWrite, `id="${OTHER_ID}"`);

    const got = await raw({ method: 'GET', url: `/${Bucket}/?acl`, signAs: OWNER });
    assert.equal(got.headers['content-type'], 'application/xml');
    assert.equal(got.headers['x-cos-acl'], undefined, 'never x-cos-acl on GET Bucket acl');
    const policy = got.xml?.['AccessControlPolicy'] as { Owner: unknown; AccessControlList: { Grant: unknown[] } };
    assert.deepEqual(policy.Owner, { ID: OWNER_ID, DisplayName: OWNER_ID });
    const grants = policy.AccessControlList.Grant;
    assert.deepEqual(grants[0], { Grantee: { '@_xmlns:xsi': XSI, '@_xsi:type': 'Group', URI: ALL }, Permission: 'READ' });
    assert.deepEqual(grants[1], {
      Grantee: { '@_xmlns:xsi': XSI, '@_xsi:type': 'CanonicalUser', ID: OTHER_ID, DisplayName: OTHER_ID },
      Permission: 'WRITE',
    });
  });

  it('GET Object acl after public-read plus a READ_ACP grant set by body returns exactly those grants', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: server.region, Key: 'exampleobject', Body: 'x' });
    const body = `<AccessControlPolicy><Owner><ID>${OWNER_ID}</ID></Owner><AccessControlList>
      <Grant><Grantee xmlns:xsi="${XSI}" xsi:type="Group"><URI>${ALL}</URI></Grantee><Permission>READ</Permission></Grant>
      <Grant><Grantee xmlns:xsi="${XSI}" xsi:type="CanonicalUser"><ID>${OTHER_ID}</ID></Grantee><Permission>READ_ACP</Permission></Grant>
    </AccessControlList></AccessControlPolicy>`;
    assert.equal((await raw({ method: 'PUT', url: `/${Bucket}/exampleobject?acl`, body, signAs: OWNER })).status, 200);
    const acl = await cos.getObjectAcl({ Bucket, Region: server.region, Key: 'exampleobject' });
    assert.deepEqual(acl.Grants, [
      { Grantee: { URI: ALL }, Permission: 'READ' },
      { Grantee: { ID: OTHER_ID, DisplayName: OTHER_ID }, Permission: 'READ_ACP' },
    ]);
    assert.equal(acl.ACL, 'public-read');
    // The grants take effect: anyone reads, OTHER reads the ACL but cannot change it.
    assert.equal((await raw({ method: 'GET', url: `/${Bucket}/exampleobject` })).status, 200);
    assert.equal((await raw({ method: 'GET', url: `/${Bucket}/exampleobject?acl`, signAs: OTHER })).status, 200);
    assert.equal((await raw({ method: 'PUT', url: `/${Bucket}/exampleobject?acl`, headers: { 'x-cos-acl': 'private' }, signAs: OTHER })).status, 403);
  });
});

describe('the SDK reads back what it wrote', () => {
  it('bucket: canned ACL with an extra full-control grant', async () => {
    const Bucket = await newBucket();
    await cos.putBucketAcl({ Bucket, Region: server.region, ACL: 'public-read', GrantFullControl: `id="${OTHER_ID}"` });
    const acl = await cos.getBucketAcl({ Bucket, Region: server.region });
    assert.equal(acl.ACL, 'public-read');
    assert.equal(acl.GrantFullControl, `id="${OTHER_ID}"`);
  });

  it('grant headers are the ACL: no owner entry is added, a canned value beside them adds only its group grants', async () => {
    const Bucket = await newBucket();
    const grants = async (): Promise<unknown[]> => (await cos.getBucketAcl({ Bucket, Region: server.region })).Grants;
    await cos.putBucketAcl({ Bucket, Region: server.region, GrantRead: `id="${OTHER_ID}"` });
    assert.deepEqual(await grants(), [{ Grantee: { ID: OTHER_ID, DisplayName: OTHER_ID }, Permission: 'READ' }]);
    await cos.putBucketAcl({ Bucket, Region: server.region, ACL: 'public-read', GrantFullControl: `id="${OTHER_ID}"` });
    assert.deepEqual(await grants(), [
      { Grantee: { URI: ALL }, Permission: 'READ' },
      { Grantee: { ID: OTHER_ID, DisplayName: OTHER_ID }, Permission: 'FULL_CONTROL' },
    ]);

    await cos.putObject({ Bucket, Region: server.region, Key: 'o', Body: 'x', ACL: 'private', GrantRead: `id="${OTHER_ID}"` });
    const acl = await cos.getObjectAcl({ Bucket, Region: server.region, Key: 'o' });
    assert.deepEqual(acl.Grants, [{ Grantee: { ID: OTHER_ID, DisplayName: OTHER_ID }, Permission: 'READ' }]);
    // The owner's control needs no grant.
    assert.equal((await raw({ method: 'GET', url: `/${Bucket}/o?acl`, signAs: OWNER })).status, 200);
    assert.equal((await raw({ method: 'GET', url: `/${Bucket}/o`, signAs: OTHER })).status, 200);
  });

  it('bucket: the SDK AccessControlPolicy body (no namespace, no type)', async () => {
    const Bucket = await newBucket();
    await cos.putBucketAcl({
      Bucket,
      Region: server.region,
      AccessControlPolicy: { Owner: { ID: OWNER_ID }, Grants: [{ Grantee: { ID: OTHER_ID }, Permission: 'READ' }] },
    });
    const acl = await cos.getBucketAcl({ Bucket, Region: server.region });
    assert.deepEqual(acl.Grants, [{ Grantee: { ID: OTHER_ID, DisplayName: OTHER_ID }, Permission: 'READ' }]);
    assert.equal(acl.GrantRead, `id="${OTHER_ID}"`);
  });

  it('bucket: Python <Type> children and Go type attributes are understood', async () => {
    const Bucket = await newBucket();
    const body = `<AccessControlPolicy><Owner><ID>${OWNER_ID}</ID></Owner><AccessControlList>
      <Grant><Grantee><Type>CanonicalUser</Type><ID>${OTHER_ID}</ID><DisplayName>x</DisplayName></Grantee><Permission>READ_ACP</Permission></Grant>
      <Grant><Grantee type="RootAccount"><ID>${OTHER_ID}</ID></Grantee><Permission>WRITE_ACP</Permission></Grant>
    </AccessControlList></AccessControlPolicy>`;
    assert.equal((await raw({ method: 'PUT', url: `/${Bucket}/?acl=`, body, signAs: OWNER })).status, 200);
    const acl = await cos.getBucketAcl({ Bucket, Region: server.region });
    assert.equal(acl.GrantReadAcp, `id="${OTHER_ID}"`);
    assert.equal(acl.GrantWriteAcp, `id="${OTHER_ID}"`);
  });

  it('object: default, explicit, and back to default', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: server.region, Key: 'o', Body: 'x' });
    assert.equal((await cos.getObjectAcl({ Bucket, Region: server.region, Key: 'o' })).ACL, 'default');
    await cos.putObjectAcl({ Bucket, Region: server.region, Key: 'o', ACL: 'private' });
    const explicit = await cos.getObjectAcl({ Bucket, Region: server.region, Key: 'o' });
    assert.equal(explicit.ACL, 'private');
    assert.equal(explicit.Grants.length, 1, 'private is the owner grant alone');
    await cos.putObjectAcl({ Bucket, Region: server.region, Key: 'o', ACL: 'default' });
    assert.equal((await cos.getObjectAcl({ Bucket, Region: server.region, Key: 'o' })).ACL, 'default');
  });

  it('object: versionId null addresses the current object, another id is NoSuchVersion', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: server.region, Key: 'v', Body: 'x', ACL: 'public-read' });
    assert.equal((await cos.getObjectAcl({ Bucket, Region: server.region, Key: 'v', VersionId: 'null' })).ACL, 'public-read');
    const res = await raw({ method: 'GET', url: `/${Bucket}/v?acl&versionId=MTg0NDUxNTc1NjIzMTQ1MDAwODg`, signAs: OWNER });
    assert.equal(errorOf(res)['Code'], 'NoSuchVersion');
  });
});

describe('ACLs at creation', () => {
  it('PUT Bucket, PUT Object and PUT Object - Copy take x-cos-acl and grant headers', async () => {
    const Bucket = await newBucket({ 'x-cos-acl': 'public-read' });
    assert.equal((await raw({ method: 'GET', url: `/${Bucket}/` })).status, 200, 'anyone lists a public-read bucket');
    await cos.putObject({ Bucket, Region: server.region, Key: 'private', Body: 'p', ACL: 'private' });
    assert.equal((await raw({ method: 'GET', url: `/${Bucket}/private` })).status, 403, 'an explicit object ACL overrides the bucket');
    await cos.putObject({ Bucket, Region: server.region, Key: 'granted', Body: 'g', ACL: 'private', GrantRead: `id="${OTHER_ID}"` });
    assert.equal((await raw({ method: 'GET', url: `/${Bucket}/granted`, signAs: OTHER })).status, 200);
    const CopySource = `${Bucket}.cos.${server.region}.myqcloud.com/private`;
    await cos.putObjectCopy({ Bucket, Region: server.region, Key: 'copy-default', CopySource });
    assert.equal((await raw({ method: 'GET', url: `/${Bucket}/copy-default` })).status, 200, 'a copy is default, not the source ACL');
    await cos.putObjectCopy({ Bucket, Region: server.region, Key: 'copy-private', CopySource, ACL: 'private' });
    assert.equal((await raw({ method: 'GET', url: `/${Bucket}/copy-private` })).status, 403);
  });

  it('the seed file sets bucket ACLs', async () => {
    assert.equal((await raw({ method: 'GET', url: `/seededpublic-${OWNER.appid}/` })).status, 200);
    assert.equal((await raw({ method: 'GET', url: `/seededgrants-${OWNER.appid}/`, signAs: OTHER })).status, 200);
    assert.equal((await raw({ method: 'GET', url: `/seededgrants-${OWNER.appid}/` })).status, 403);
  });
});

describe('bad ACL input changes nothing', () => {
  const grant = (id: string, permission = 'READ', type = 'CanonicalUser') =>
    `<Grant><Grantee xmlns:xsi="${XSI}" xsi:type="${type}"><ID>${id}</ID></Grantee><Permission>${permission}</Permission></Grant>`;
  const policy = (grants: string, owner = OWNER_ID) =>
    `<AccessControlPolicy><Owner><ID>${owner}</ID></Owner><AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`;
  const hundredOne = Array.from({ length: 101 }, (_, i) => grant(`qcs::cam::uin/${200000000000 + i}:uin/${200000000000 + i}`)).join('');

  const cases: Array<{ name: string; code: string; status: number; target?: 'object'; headers?: Record<string, string>; body?: string }> = [
    { name: 'malformed XML', code: 'MalformedXML', status: 400, body: '<AccessControlPolicy><Owner>' },
    { name: 'wrong root element', code: 'MalformedXML', status: 400, body: '<Policy/>' },
    { name: 'entity expansion', code: 'MalformedXML', status: 400, body: `<!DOCTYPE a [<!ENTITY x "xxxxxxxx">]>${policy(grant('&x;'))}` },
    { name: 'unknown permission', code: 'InvalidArgument', status: 400, body: policy(grant(OTHER_ID, 'READ_WRITE')) },
    { name: 'unknown grantee type', code: 'InvalidArgument', status: 400, body: policy(grant(OTHER_ID, 'READ', 'Robot')) },
    { name: 'ID not in qcs form', code: 'InvalidArgument', status: 400, body: policy(grant('100000000002')) },
    { name: 'Owner that is not the owner', code: 'InvalidArgument', status: 400, body: policy(grant(OTHER_ID), OTHER_ID) },
    { name: '101 grants', code: 'InvalidArgument', status: 400, body: policy(hundredOne) },
    { name: 'header and body together', code: 'InvalidRequest', status: 400, headers: { 'x-cos-acl': 'private' }, body: policy(grant(OTHER_ID)) },
    { name: 'oversize body', code: 'XMLSizeLimit', status: 400, body: policy(grant(OTHER_ID).repeat(400)) },
    { name: 'neither headers nor body', code: 'MissingRequestBodyError', status: 400 },
    { name: 'unknown canned ACL', code: 'InvalidArgument', status: 400, headers: { 'x-cos-acl': 'public-read-writ' } },
    { name: 'grant header in a bad form', code: 'InvalidArgument', status: 400, headers: { 'x-cos-grant-read': 'id=qcs::cam::uin/1:uin/1' } },
    { name: 'grant header with an unknown group', code: 'InvalidArgument', status: 400, headers: { 'x-cos-grant-read': 'uri="http://example.com/everyone"' } },
    { name: 'object WRITE grant', code: 'InvalidArgument', status: 400, target: 'object', headers: { 'x-cos-grant-write': `id="${OTHER_ID}"` } },
    { name: 'object public-read-write', code: 'InvalidArgument', status: 400, target: 'object', headers: { 'x-cos-acl': 'public-read-write' } },
  ];

  for (const c of cases) {
    it(`${c.name} -> ${c.code}`, async () => {
      const Bucket = await newBucket();
      await cos.putObject({ Bucket, Region: server.region, Key: 'o', Body: 'x' });
      const url = c.target === 'object' ? `/${Bucket}/o?acl` : `/${Bucket}/?acl`;
      const before = await raw({ method: 'GET', url, signAs: OWNER });
      const res = await raw({ method: 'PUT', url, signAs: OWNER, ...(c.headers && { headers: c.headers }), ...(c.body !== undefined && { body: c.body }) });
      assert.equal(res.status, c.status, res.text);
      assert.equal(errorOf(res)['Code'], c.code);
      const afterwards = await raw({ method: 'GET', url, signAs: OWNER });
      assert.equal(afterwards.text, before.text, 'ACL unchanged');
    });
  }
});
