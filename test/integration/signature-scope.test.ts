// What a signature authorizes and nothing more: its own bucket (issue #15.7), and no operation its signer did not sign (#15.8).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import COS from 'cos-nodejs-sdk-v5';
import { UNBOUND_WARNING } from '../../src/pipeline/handle.ts';
import type { Logger, LogRecord } from '../../src/http/log.ts';
import { errorOf, send, sendUrl, type RawRequest, type RawResponse } from '../helpers/raw.ts';
import { codeOf, OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';
import { s3Client } from '../helpers/s3.ts';
import { signV4 } from '../helpers/sigv4.ts';

const KEY = 'secret/data.txt';

/** The configuration coslocal used to print: requests /<bucket>/<key> on 127.0.0.1 and signs /<key>. */
const domainTemplateClient = (on: TestServer): COS =>
  new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Domain: `${on.hostPort}/{Bucket}`, ServiceDomain: on.hostPort });

/** An Authorization header exactly as cos-nodejs-sdk-v5 computes it (COS.getAuthorization is its signer). */
const sdkAuthorization = (options: Omit<COS.StaticGetAuthorizationOptions, 'SecretId' | 'SecretKey'>): string =>
  COS.getAuthorization({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, ...options });

function assertError(res: RawResponse, status: number, code: string): Record<string, string> {
  assert.equal(res.status, status, res.text);
  const error = errorOf(res);
  assert.equal(error['Code'], code, res.text);
  return error;
}

/** Two private buckets of one owner, each holding its own secret/data.txt. */
async function twoBuckets(on: TestServer): Promise<[string, string]> {
  const cos = on.sdk();
  const buckets: [string, string] = [uniqueBucket(), uniqueBucket()];
  for (const Bucket of buckets) {
    await cos.putBucket({ Bucket, Region: on.region });
    await cos.putObject({ Bucket, Region: on.region, Key: KEY, Body: `data of ${Bucket}` });
  }
  return buckets;
}

describe('a signature is good for its own bucket only (#15.7)', () => {
  let server: TestServer;
  let a: string;
  let b: string;
  const raw = (r: RawRequest): Promise<RawResponse> => send(server.hostPort, r);
  const hostOf = (bucket: string): string => `${bucket}.cos.${server.region}.myqcloud.com`;

  before(async () => {
    server = await startTestServer();
    [a, b] = await twoBuckets(server);
  });
  after(() => server.close());

  it('the printed configuration signs the bucket host: its presigned URL works on bucket A and nowhere else', async () => {
    const url = server.sdk().getObjectUrl({ Bucket: a, Region: server.region, Key: KEY, Sign: true }, () => undefined);
    assert.equal(new URL(url).host, hostOf(a));
    assert.equal((await sendUrl(server.hostPort, url)).text, `data of ${a}`);
    const { pathname, search } = new URL(url);
    assertError(await raw({ method: 'GET', url: `${pathname}${search}`, host: hostOf(b) }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'GET', url: `/${b}${pathname}${search}` }), 403, 'SignatureDoesNotMatch');
  });

  it('and so does its header signature', async () => {
    const authorization = sdkAuthorization({ Method: 'GET', Key: KEY, Bucket: a, Region: server.region });
    assert.equal((await raw({ method: 'GET', url: `/${KEY}`, host: hostOf(a), headers: { authorization } })).text, `data of ${a}`);
    assertError(await raw({ method: 'GET', url: `/${KEY}`, host: hostOf(b), headers: { authorization } }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'GET', url: `/${b}/${KEY}`, headers: { authorization } }), 403, 'SignatureDoesNotMatch');
  });

  it("refuses a presigned URL of the old Domain template on another bucket (and on its own), saying why", async () => {
    const url = domainTemplateClient(server).getObjectUrl({ Bucket: a, Region: server.region, Key: KEY, Sign: true }, () => undefined);
    const { pathname, search } = new URL(url);
    assert.equal(pathname, `/${a}/${KEY}`);
    assertError(await raw({ method: 'GET', url: `${pathname.replace(a, b)}${search}` }), 403, 'SignatureDoesNotMatch');
    const own = assertError(await raw({ method: 'GET', url: `${pathname}${search}` }), 403, 'SignatureDoesNotMatch');
    assert.match(own['Message'] ?? '', /does not name the bucket.*--allow-unbound-signatures/);
  });

  it('refuses a captured header signature over /<key> replayed on another bucket', async () => {
    // What the old configuration signs for GET /<a>/secret/data.txt: the key-only path and host 127.0.0.1:<port>.
    const authorization = sdkAuthorization({ Method: 'GET', Key: KEY, Headers: { Host: server.hostPort } });
    assertError(await raw({ method: 'GET', url: `/${b}/${KEY}`, headers: { authorization } }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'GET', url: `/${a}/${KEY}`, headers: { authorization } }), 403, 'SignatureDoesNotMatch');
  });

  it('refuses a virtual-hosted request whose signature leaves the host out', async () => {
    const authorization = sdkAuthorization({ Method: 'GET', Key: KEY });
    assert.doesNotMatch(authorization, /q-header-list=host/);
    assertError(await raw({ method: 'GET', url: `/${KEY}`, host: hostOf(b), headers: { authorization } }), 403, 'SignatureDoesNotMatch');
  });

  it('the old configuration fails with that reason, GetService (which names no bucket) still works', async () => {
    const old = domainTemplateClient(server);
    assert.equal(await codeOf(old.getObject({ Bucket: a, Region: server.region, Key: KEY })), 'SignatureDoesNotMatch');
    const service = await old.getService({});
    assert.ok(service.Buckets.some((bucket) => bucket.Name === a));
  });
});

describe('--allow-unbound-signatures', () => {
  let server: TestServer;
  let a: string;
  let b: string;
  const warnings: LogRecord[] = [];
  const log: Logger = { info: () => undefined, warn: (r) => warnings.push(r), error: () => undefined, debug: () => undefined };
  const unboundWarnings = (): LogRecord[] => warnings.filter((r) => r.msg === UNBOUND_WARNING);

  before(async () => {
    server = await startTestServer({ allowUnboundSignatures: true, log });
    [a, b] = await twoBuckets(server);
  });
  after(() => server.close());

  it('warns at start', () => {
    assert.match(warnings[0]?.msg ?? '', /--allow-unbound-signatures/);
    assert.equal(unboundWarnings().length, 0, 'the banner configuration never needs the option');
  });

  it('lets the old configuration through, with a warning on every such request', async () => {
    const old = domainTemplateClient(server);
    assert.equal((await old.getObject({ Bucket: a, Region: server.region, Key: KEY })).Body.toString(), `data of ${a}`);
    await old.putObject({ Bucket: a, Region: server.region, Key: 'new.txt', Body: 'x' });
    assert.deepEqual(
      unboundWarnings().map((r) => [r['op'], r['bucket']]),
      [
        ['GetObject', a],
        ['PutObject', a],
      ],
    );
  });

  it('which is what makes a replay on another bucket work', async () => {
    const url = domainTemplateClient(server).getObjectUrl({ Bucket: a, Region: server.region, Key: KEY, Sign: true }, () => undefined);
    const { pathname, search } = new URL(url);
    const replay = await send(server.hostPort, { method: 'GET', url: `${pathname.replace(a, b)}${search}` });
    assert.equal(replay.text, `data of ${b}`);
    assert.equal(unboundWarnings().at(-1)?.['bucket'], b);
  });
});

describe('nothing unsigned changes what a signed request does (#15.8)', () => {
  let server: TestServer;
  let bucket: string;
  let s3: S3Client;
  const raw = (r: RawRequest): Promise<RawResponse> => send(server.hostPort, r);
  const anonymousGet = async (key: string): Promise<number> => (await raw({ method: 'GET', url: `/${bucket}/${key}` })).status;
  const presigned = (Key: string, Method: 'GET' | 'PUT', Query?: COS.Query): string =>
    server.sdk().getObjectUrl({ Bucket: bucket, Region: server.region, Key, Sign: true, Method, ...(Query && { Query }) }, () => undefined);
  const publicReadAcl =
    '<AccessControlPolicy><Owner><ID>qcs::cam::uin/100000000001:uin/100000000001</ID></Owner><AccessControlList>' +
    '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://cam.qcloud.com/groups/global/AllUsers</URI></Grantee>' +
    '<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>';

  before(async () => {
    server = await startTestServer();
    [bucket] = await twoBuckets(server);
    await server.sdk().putObject({ Bucket: bucket, Region: server.region, Key: 'doc.txt', Body: 'private doc' });
    s3 = s3Client(server);
  });
  after(async () => {
    s3.destroy();
    await server.close();
  });

  describe('q-sign', () => {
    it('a presigned GET plus an unsigned &acl does not read the ACL; with acl signed it does', async () => {
      const res = await sendUrl(server.hostPort, `${presigned('doc.txt', 'GET')}&acl`);
      assert.match(assertError(res, 403, 'AccessDenied')['Message'] ?? '', /query parameter acl.*q-url-param-list/);
      const signed = await sendUrl(server.hostPort, presigned('doc.txt', 'GET', { acl: '' }));
      assert.equal(signed.status, 200, signed.text);
      assert.ok(signed.xml?.['AccessControlPolicy']);
    });

    it('a presigned PUT plus an unsigned &acl and an ACL body does not make the object public', async () => {
      const res = await sendUrl(server.hostPort, `${presigned('doc.txt', 'PUT')}&acl`, { method: 'PUT', body: publicReadAcl });
      assertError(res, 403, 'AccessDenied');
      assert.equal(await anonymousGet('doc.txt'), 403);
    });

    it('a presigned PUT plus an unsigned copy-source, ACL or grant header is refused and writes nothing', async () => {
      const cases: Array<Record<string, string>> = [
        { 'x-cos-copy-source': `${bucket}.cos.${server.region}.myqcloud.com/${KEY}` },
        { 'x-amz-copy-source': `/${bucket}/${KEY}` },
        { 'x-cos-acl': 'public-read' },
        { 'x-amz-acl': 'public-read' },
        { 'x-cos-grant-read': 'uri="http://cam.qcloud.com/groups/global/AllUsers"' },
      ];
      for (const [i, headers] of cases.entries()) {
        const key = `upload-${i}.txt`;
        const res = await sendUrl(server.hostPort, presigned(key, 'PUT'), { method: 'PUT', headers, body: 'uploaded' });
        assert.match(assertError(res, 403, 'AccessDenied')['Message'] ?? '', /header x-(cos|amz)-.*q-header-list/);
        assert.equal(await codeOf(server.sdk().headObject({ Bucket: bucket, Region: server.region, Key: key })), '404');
      }
      const plain = await sendUrl(server.hostPort, presigned('upload-plain.txt', 'PUT'), { method: 'PUT', body: 'uploaded' });
      assert.equal(plain.status, 200, 'the URL itself works');
    });

    it('a header signature without a subresource does not carry over to ?acl', async () => {
      const authorization = sdkAuthorization({ Method: 'GET', Key: 'doc.txt', Bucket: bucket, Region: server.region });
      const host = `${bucket}.cos.${server.region}.myqcloud.com`;
      assert.equal((await raw({ method: 'GET', url: '/doc.txt', host, headers: { authorization } })).status, 200);
      assertError(await raw({ method: 'GET', url: '/doc.txt?acl', host, headers: { authorization } }), 403, 'AccessDenied');
    });
  });

  describe('SigV4', () => {
    const put = (key: string, extra: Record<string, string>): Promise<RawResponse> => {
      const body = 'via sigv4';
      const signed = signV4({
        method: 'PUT',
        path: `/${bucket}/${key}`,
        headers: { host: server.hostPort, 'content-length': String(body.length) },
        payloadHash: createHash('sha256').update(body).digest('hex'),
        identity: OWNER,
      });
      return raw({ method: 'PUT', url: `/${bucket}/${key}`, headers: { ...signed.headers, ...extra }, body });
    };

    it('a header-signed PUT plus an unsigned x-amz-acl (or x-cos-acl) is refused as S3 does', async () => {
      const error = assertError(await put('v4.txt', { 'x-amz-acl': 'public-read' }), 403, 'AccessDenied');
      assert.equal(error['Message'], 'There were headers present in the request which were not signed');
      assert.equal(error['HeadersNotSigned'], 'x-amz-acl');
      assertError(await put('v4.txt', { 'x-cos-acl': 'public-read' }), 403, 'AccessDenied');
      assert.equal(await anonymousGet('v4.txt'), 403);
      assert.equal((await put('v4.txt', {})).status, 200);
    });

    it('a presigned PUT plus an unsigned x-amz-copy-source copies nothing', async () => {
      const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'presigned-v4.txt' }), { expiresIn: 60 });
      const { pathname, search } = new URL(url);
      const res = await raw({ method: 'PUT', url: `${pathname}${search}`, headers: { 'x-amz-copy-source': `/${bucket}/${KEY}` }, body: '' });
      assert.equal(assertError(res, 403, 'AccessDenied')['HeadersNotSigned'], 'x-amz-copy-source');
      const missing = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'presigned-v4.txt' })).then(
        () => 'found',
        (e: Error) => e.name,
      );
      assert.equal(missing, 'NoSuchKey');
    });
  });
});
