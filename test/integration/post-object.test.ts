// POST Object: browser-style multipart forms built by hand, signed with COS's form policy, read back through cos-nodejs-sdk-v5.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { multipartBody, signPolicy, signPolicyV2, type FormFileSpec } from '../helpers/post-form.ts';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { OTHER, OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let owner: COS;
const Region = (): string => server.region;

before(async () => {
  server = await startTestServer();
  owner = server.sdk(OWNER);
});
after(() => server.close());

async function newBucket(acl?: 'public-read-write'): Promise<string> {
  const Bucket = uniqueBucket();
  await owner.putBucket({ Bucket, Region: Region(), ...(acl && { ACL: acl }) });
  return Bucket;
}

function post(bucket: string, fields: Record<string, string>, file?: FormFileSpec, after: Record<string, string> = {}): Promise<RawResponse> {
  const { body, contentType } = multipartBody(fields, file, after);
  return send(server.hostPort, { method: 'POST', url: `/${bucket}/`, body, headers: { 'content-type': contentType } });
}

async function exists(Bucket: string, Key: string): Promise<boolean> {
  try {
    await owner.headObject({ Bucket, Region: Region(), Key });
    return true;
  } catch (error) {
    assert.equal((error as { statusCode?: number }).statusCode, 404);
    return false;
  }
}

const FILE: FormFileSpec = { filename: 'photo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3]), type: 'image/png' };

describe('signed form uploads', () => {
  it('stores the file with ${filename}, Content-Type, metadata and ACL; the SDK reads it back', async () => {
    const Bucket = await newBucket();
    const signed = signPolicy(OWNER, [{ bucket: Bucket }, ['starts-with', '$key', 'uploads/'], ['eq', '$Content-Type', 'image/png'], ['content-length-range', 1, 1024]]);
    const res = await post(Bucket, {
      key: 'uploads/${filename}',
      'Content-Type': 'image/png',
      'x-cos-meta-author': 'eric',
      'x-cos-acl': 'public-read',
      ...signed.fields,
    }, { ...FILE, type: 'application/x-browser-guess' });
    assert.equal(res.status, 204, res.text);
    assert.match(String(res.headers['etag']), /^"[0-9a-f]{32}"$/);
    const got = await owner.getObject({ Bucket, Region: Region(), Key: 'uploads/photo.png' });
    assert.deepEqual(got.Body, FILE.content);
    assert.equal(got.headers?.['content-type'], 'image/png', 'the form field, not the part type');
    assert.equal(got.headers?.['x-cos-meta-author'], 'eric');
    assert.equal(got.ETag, res.headers['etag']);
    const acl = await owner.getObjectAcl({ Bucket, Region: Region(), Key: 'uploads/photo.png' });
    assert.equal(acl.ACL, 'public-read');
    const anonymous = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/uploads/photo.png` });
    assert.equal(anonymous.status, 200);
  });

  it('success_action_status 201 returns the PostResponse document', async () => {
    const Bucket = await newBucket();
    const signed = signPolicy(OWNER, [{ bucket: Bucket }, { success_action_status: '201' }]);
    const res = await post(Bucket, { key: 'a/b c.txt', success_action_status: '201', ...signed.fields }, { filename: 'x.txt', content: 'hello' });
    assert.equal(res.status, 201, res.text);
    const doc = res.xml?.['PostResponse'] as Record<string, string>;
    assert.deepEqual(doc, {
      Location: `http://${server.hostPort}/${Bucket}/a/b%20c.txt`,
      Bucket,
      Key: 'a/b c.txt',
      ETag: '"5d41402abc4b2a76b9719d911017c592"',
    });
    assert.equal((await owner.getObject({ Bucket, Region: Region(), Key: 'a/b c.txt' })).Body.toString(), 'hello');
  });

  it('success_action_status 200 answers 200 with an empty body; an unknown value answers 204', async () => {
    const Bucket = await newBucket();
    const signed = signPolicy(OWNER, [{ bucket: Bucket }]);
    const ok = await post(Bucket, { key: 'k1', success_action_status: '200', ...signed.fields }, FILE);
    assert.deepEqual([ok.status, ok.text], [200, '']);
    const other = await post(Bucket, { key: 'k2', success_action_status: '302', ...signed.fields }, FILE);
    assert.equal(other.status, 204);
  });

  it('success_action_redirect answers 303 with bucket, key and etag in the query', async () => {
    const Bucket = await newBucket();
    const signed = signPolicy(OWNER, [{ bucket: Bucket }, ['starts-with', '$success_action_redirect', 'https://app.example.com/']]);
    const res = await post(Bucket, { key: 'r.txt', success_action_redirect: 'https://app.example.com/done?x=1', ...signed.fields }, { filename: 'r.txt', content: 'hello' });
    assert.equal(res.status, 303);
    const location = new URL(String(res.headers['location']));
    assert.equal(location.origin + location.pathname, 'https://app.example.com/done');
    assert.deepEqual(Object.fromEntries(location.searchParams), { x: '1', bucket: Bucket, key: 'r.txt', etag: '"5d41402abc4b2a76b9719d911017c592"' });
    assert.ok(await exists(Bucket, 'r.txt'));
  });

  it('fields after the file are ignored', async () => {
    const Bucket = await newBucket();
    const signed = signPolicy(OWNER, [{ bucket: Bucket }]);
    const res = await post(Bucket, { key: 'late.txt', ...signed.fields }, FILE, { 'x-cos-meta-late': 'yes' });
    assert.equal(res.status, 204);
    const head = await owner.headObject({ Bucket, Region: Region(), Key: 'late.txt' });
    assert.equal(head.headers?.['x-cos-meta-late'], undefined);
  });
});

describe('refused form uploads create nothing', () => {
  const refused = async (Bucket: string, key: string, res: RawResponse, status: number, code: string, message?: RegExp): Promise<void> => {
    assert.equal(res.status, status, res.text);
    const error = errorOf(res);
    assert.equal(error.Code, code);
    if (message) assert.match(error.Message ?? '', message);
    assert.equal(await exists(Bucket, key), false, `${key} must not exist`);
  };

  it('a tampered policy is SignatureDoesNotMatch', async () => {
    const Bucket = await newBucket();
    const signed = signPolicy(OWNER, [{ bucket: Bucket }, ['starts-with', '$key', 'safe/']]);
    const widened = signed.text.replace('"safe/"', '""');
    const res = await post(Bucket, { key: 'anywhere.txt', ...signed.fields, policy: Buffer.from(widened).toString('base64') }, FILE);
    await refused(Bucket, 'anywhere.txt', res, 403, 'SignatureDoesNotMatch', /^The Signature you specified is invalid\.$/);
  });

  it('a signature by an unknown SecretId is InvalidAccessKeyId; another account is AccessDenied', async () => {
    const Bucket = await newBucket();
    const unknown = signPolicy({ ...OWNER, secretId: 'AKIDnobody' }, [{ bucket: Bucket }]);
    await refused(Bucket, 'k', await post(Bucket, { key: 'k', ...unknown.fields }, FILE), 403, 'InvalidAccessKeyId');
    const other = signPolicy(OTHER, [{ bucket: Bucket }]);
    await refused(Bucket, 'k', await post(Bucket, { key: 'k', ...other.fields }, FILE), 403, 'AccessDenied', /^Access Denied\.$/);
  });

  it('an expired policy is AccessDenied with COS\'s message', async () => {
    const Bucket = await newBucket();
    const signed = signPolicy(OWNER, [{ bucket: Bucket }], { now: Math.floor(Date.now() / 1000) - 3600, expiresInSeconds: 60 });
    const res = await post(Bucket, { key: 'old.txt', ...signed.fields }, FILE);
    await refused(Bucket, 'old.txt', res, 403, 'AccessDenied', /^You post object request has been expired, expiration time: \d+ but the time now : \d+$/);
  });

  it('violated conditions are AccessDenied naming the key: key prefix, bucket, eq on a field, q-ak', async () => {
    const Bucket = await newBucket();
    const keyRule = signPolicy(OWNER, [['starts-with', '$key', 'uploads/']]);
    await refused(Bucket, 'elsewhere.txt', await post(Bucket, { key: 'elsewhere.txt', ...keyRule.fields }, FILE), 403, 'AccessDenied', /^Condition key key doesn't match the value uploads\/$/);
    const bucketRule = signPolicy(OWNER, [{ bucket: `other-${OWNER.appid}` }]);
    await refused(Bucket, 'b.txt', await post(Bucket, { key: 'b.txt', ...bucketRule.fields }, FILE), 403, 'AccessDenied', /^Condition key bucket doesn't/);
    const typeRule = signPolicy(OWNER, [['eq', '$Content-Type', 'image/png']]);
    await refused(Bucket, 't.txt', await post(Bucket, { key: 't.txt', 'Content-Type': 'text/html', ...typeRule.fields }, FILE), 403, 'AccessDenied', /Condition key content-type/);
    const metaRule = signPolicy(OWNER, [['starts-with', '$x-cos-meta-team', 'blue']]);
    await refused(Bucket, 'm.txt', await post(Bucket, { key: 'm.txt', ...metaRule.fields }, FILE), 403, 'AccessDenied', /Condition key x-cos-meta-team/);
  });

  it('content-length-range: too large is EntityTooLarge, too small EntityTooSmall', async () => {
    const Bucket = await newBucket();
    const small = signPolicy(OWNER, [['content-length-range', 1, 4]]);
    await refused(Bucket, 'big.bin', await post(Bucket, { key: 'big.bin', ...small.fields }, { filename: 'b', content: Buffer.alloc(64 * 1024, 7) }), 400, 'EntityTooLarge');
    const large = signPolicy(OWNER, [['content-length-range', 100, 200]]);
    await refused(Bucket, 'tiny.bin', await post(Bucket, { key: 'tiny.bin', ...large.fields }, { filename: 't', content: 'xy' }), 400, 'EntityTooSmall');
  });

  it('a policy without conditions is InvalidPolicyDocument with COS\'s message', async () => {
    const Bucket = await newBucket();
    const signed = signPolicy(OWNER, []);
    const bare = JSON.stringify({ expiration: new Date(Date.now() + 60_000).toISOString() });
    const res = await post(Bucket, { key: 'p.txt', ...signed.fields, policy: Buffer.from(bare).toString('base64') }, FILE);
    await refused(Bucket, 'p.txt', res, 400, 'InvalidPolicyDocument', /^You must provide condition if you specify a policy in post object request\.$/);
  });

  it('a missing file, a second file, a missing key and a non-multipart body', async () => {
    const Bucket = await newBucket();
    const signed = signPolicy(OWNER, [{ bucket: Bucket }]);
    await refused(Bucket, 'nofile', await post(Bucket, { key: 'nofile', ...signed.fields }), 400, 'IncorrectNumberOfFilesInPostRequest');
    const two = multipartBody({ key: 'two', ...signed.fields }, FILE);
    const withExtra = Buffer.from(two.body.toString('latin1').replace('name="file"', 'name="attachment"'), 'latin1');
    const extra = await send(server.hostPort, { method: 'POST', url: `/${Bucket}/`, body: withExtra, headers: { 'content-type': two.contentType } });
    await refused(Bucket, 'two', extra, 400, 'IncorrectNumberOfFilesInPostRequest');
    const noKey = await post(Bucket, { ...signed.fields }, FILE);
    assert.equal(errorOf(noKey).Code, 'InvalidArgument');
    const xml = await send(server.hostPort, { method: 'POST', url: `/${Bucket}/`, body: '<x/>', headers: { 'content-type': 'application/xml' } });
    assert.equal(xml.status, 400);
    assert.equal(errorOf(xml).Code, 'MalformedPOSTRequest');
  });

  it('a body cut off inside the file stores nothing', async () => {
    const Bucket = await newBucket();
    const signed = signPolicy(OWNER, [{ bucket: Bucket }]);
    const { body, contentType } = multipartBody({ key: 'cut.bin', ...signed.fields }, { filename: 'c', content: Buffer.alloc(32 * 1024, 1) });
    const cut = body.subarray(0, body.length - 1000);
    const res = await send(server.hostPort, { method: 'POST', url: `/${Bucket}/`, body: cut, headers: { 'content-type': contentType } });
    await refused(Bucket, 'cut.bin', res, 400, 'MalformedPOSTRequest');
  });
});

describe('S3 forms signed with AWS SigV2 (boto, s3-tests)', () => {
  const conditions = (Bucket: string): unknown[] => [{ bucket: Bucket }, ['starts-with', '$key', 'foo'], { acl: 'private' }, ['starts-with', '$Content-Type', 'text/plain'], ['content-length-range', 0, 1024]];
  const form = (fields: Record<string, string>): Record<string, string> => ({ key: 'foo.txt', acl: 'private', 'Content-Type': 'text/plain', ...fields });

  it('the owner\'s signature stores the object into a private bucket with x-amz-meta-*; field names are case-insensitive', async () => {
    const Bucket = await newBucket();
    const signed = signPolicyV2(OWNER, [...conditions(Bucket), ['starts-with', '$x-amz-meta-foo', 'bar']]);
    const res = await post(Bucket, form({ ...signed.fields, 'x-amz-meta-foo': 'barclamp' }), { filename: 'f', content: 'bar' });
    assert.equal(res.status, 204, res.text);
    const got = await owner.getObject({ Bucket, Region: Region(), Key: 'foo.txt' });
    assert.equal(got.Body.toString(), 'bar');
    assert.equal(got.headers?.['x-cos-meta-foo'], 'barclamp');
    const { AWSAccessKeyId = '', policy = '', signature = '' } = signPolicyV2(OWNER, conditions(Bucket)).fields;
    const mixed = await post(Bucket, { kEy: 'foo2.txt', aCl: 'private', 'Content-Type': 'text/plain', awsaccesskeyid: AWSAccessKeyId, pOLICy: policy, Signature: signature }, { filename: 'f', content: 'baz' });
    assert.equal(mixed.status, 204, mixed.text);
  });

  it('refusals: unknown key, wrong signature, missing signature, an expiration that is not ISO 8601', async () => {
    const Bucket = await newBucket('public-read-write');
    const unknown = signPolicyV2({ ...OWNER, secretId: 'AKIDnobody' }, conditions(Bucket));
    const badKey = await post(Bucket, form(unknown.fields), { filename: 'f', content: 'bar' });
    assert.equal(badKey.status, 403, badKey.text);
    assert.equal(errorOf(badKey).Code, 'InvalidAccessKeyId');
    const other = signPolicyV2({ ...OWNER, secretKey: 'not-the-secret' }, conditions(Bucket));
    const forged = await post(Bucket, form({ ...other.fields }), { filename: 'f', content: 'bar' });
    assert.equal(errorOf(forged).Code, 'SignatureDoesNotMatch');
    const { signature: _dropped, ...unsigned } = signPolicyV2(OWNER, conditions(Bucket)).fields;
    const missing = await post(Bucket, form(unsigned), { filename: 'f', content: 'bar' });
    assert.equal(missing.status, 400, missing.text);
    assert.match(errorOf(missing).Message ?? '', /must contain a field named 'signature'/);
    const spaced = signPolicyV2(OWNER, conditions(Bucket), '2030-01-01 00:00:00.000+00:00');
    const badDate = await post(Bucket, form(spaced.fields), { filename: 'f', content: 'bar' });
    assert.equal(badDate.status, 400, badDate.text);
    assert.equal(errorOf(badDate).Code, 'InvalidPolicyDocument');
    assert.equal(await exists(Bucket, 'foo.txt'), false);
  });
});

describe('anonymous form uploads: the bucket ACL decides', () => {
  it('a private bucket refuses; public-read-write accepts; a missing bucket is AccessDenied to strangers', async () => {
    const priv = await newBucket();
    const denied = await post(priv, { key: 'anon.txt' }, FILE);
    assert.equal(denied.status, 403);
    assert.equal(errorOf(denied).Code, 'AccessDenied');
    assert.equal(await exists(priv, 'anon.txt'), false);
    const open = await newBucket('public-read-write');
    const ok = await post(open, { key: 'anon.txt' }, FILE);
    assert.equal(ok.status, 204, ok.text);
    assert.ok(await exists(open, 'anon.txt'));
    const ghost = uniqueBucket();
    assert.equal(errorOf(await post(ghost, { key: 'k' }, FILE)).Code, 'AccessDenied');
    const signed = signPolicy(OWNER, [{ bucket: ghost }]);
    assert.equal(errorOf(await post(ghost, { key: 'k', ...signed.fields }, FILE)).Code, 'NoSuchBucket', 'the would-be owner learns it is missing');
  });
});
