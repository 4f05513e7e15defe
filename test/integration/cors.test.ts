// CORS through cos-nodejs-sdk-v5 and raw HTTP: rules round-trip, preflights allowed and refused, headers on actual responses, validation errors.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
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

// The SDK sends a rule's ID (putBucketCors copies every field) though its typings omit it.
type Rule = COS.PutBucketCorsParams['CORSRules'][number] & { ID?: string };
const RULES: Rule[] = [
  { ID: 'uploads', AllowedOrigin: ['https://*.example.com'], AllowedMethod: ['PUT', 'POST'], AllowedHeader: ['content-type', 'x-cos-meta-*'], ExposeHeader: ['ETag', 'x-cos-request-id'], MaxAgeSeconds: 600 },
  { ID: 'reads', AllowedOrigin: ['*'], AllowedMethod: ['GET', 'HEAD'], AllowedHeader: ['*'] },
];

async function bucketWithCors(rules: Rule[] = RULES): Promise<string> {
  const Bucket = uniqueBucket();
  await owner.putBucket({ Bucket, Region: Region() });
  await owner.putObject({ Bucket, Region: Region(), Key: 'doc/a.txt', Body: 'a' });
  if (rules.length > 0) await owner.putBucketCors({ Bucket, Region: Region(), CORSRules: rules });
  return Bucket;
}

const preflight = (bucket: string, path: string, headers: Record<string, string>): Promise<RawResponse> =>
  send(server.hostPort, { method: 'OPTIONS', url: `/${bucket}${path}`, headers });

const md5 = (body: string): string => createHash('md5').update(body).digest('base64');
const putCorsXml = (bucket: string, xml: string, headers: Record<string, string> = { 'content-md5': md5(xml) }) =>
  send(server.hostPort, { method: 'PUT', url: `/${bucket}/?cors`, body: xml, headers: { 'content-type': 'application/xml', ...headers }, signAs: OWNER });

describe('PUT/GET/DELETE Bucket cors through the SDK', () => {
  it('reads back the rules field for field; delete is 204; then NoSuchCORSConfiguration', async () => {
    const Bucket = await bucketWithCors();
    const got = await owner.getBucketCors({ Bucket, Region: Region() });
    assert.deepEqual(got.CORSRules, [
      { ID: 'uploads', AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['PUT', 'POST'], AllowedHeaders: ['content-type', 'x-cos-meta-*'], ExposeHeaders: ['ETag', 'x-cos-request-id'], MaxAgeSeconds: '600' },
      { ID: 'reads', AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'], AllowedHeaders: ['*'], ExposeHeaders: [] },
    ]);
    const del = await owner.deleteBucketCors({ Bucket, Region: Region() });
    assert.equal(del.statusCode, 204);
    // The SDK turns NoSuchCORSConfiguration into an empty rule list; the wire shows the code.
    const none = await owner.getBucketCors({ Bucket, Region: Region() });
    assert.deepEqual(none.CORSRules, []);
    const raw = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/?cors`, signAs: OWNER });
    assert.equal(raw.status, 404);
    assert.equal(errorOf(raw).Code, 'NoSuchCORSConfiguration');
  });

  it('ResponseVary round-trips and adds Vary to answers', async () => {
    const Bucket = uniqueBucket();
    await owner.putBucket({ Bucket, Region: Region() });
    await owner.putBucketCors({ Bucket, Region: Region(), CORSRules: [RULES[1] as Rule], ResponseVary: 'true' });
    assert.equal((await owner.getBucketCors({ Bucket, Region: Region() })).ResponseVary, 'true');
    const res = await preflight(Bucket, '/k', { origin: 'https://x.io', 'access-control-request-method': 'GET' });
    assert.equal(res.headers['vary'], 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
  });

  it('only the owner (or a policy) may read or change the rules', async () => {
    const Bucket = await bucketWithCors();
    const other = server.sdk(OTHER);
    const err = await other.getBucketCors({ Bucket, Region: Region() }).catch((e: { statusCode: number; code: string }) => e);
    assert.equal((err as { statusCode: number }).statusCode, 403);
    const put = await other.putBucketCors({ Bucket, Region: Region(), CORSRules: RULES }).catch((e: { statusCode: number }) => e);
    assert.equal((put as { statusCode: number }).statusCode, 403);
  });
});

describe('OPTIONS Object', () => {
  it('SDK optionsObject: allowed, with the first matching rule\'s headers', async () => {
    const Bucket = await bucketWithCors();
    const ok = await owner.optionsObject({ Bucket, Region: Region(), Key: 'doc/a.txt', Origin: 'https://app.example.com', AccessControlRequestMethod: 'PUT', AccessControlRequestHeaders: 'Content-Type,x-cos-meta-author' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.AccessControlAllowOrigin, 'https://app.example.com');
    assert.equal(ok.AccessControlAllowMethods, 'PUT,POST');
    assert.equal(ok.AccessControlAllowHeaders, 'content-type,x-cos-meta-author');
    assert.equal(ok.AccessControlExposeHeaders, 'ETag,x-cos-request-id');
    assert.equal(ok.AccessControlMaxAge, '600');
    assert.equal(ok.headers?.['access-control-allow-credentials'], 'true');
  });

  it('SDK optionsObject: refused (its OptionsForbidden flag)', async () => {
    const Bucket = await bucketWithCors();
    const refused = (await owner.optionsObject({ Bucket, Region: Region(), Key: 'doc/a.txt', Origin: 'https://evil.io', AccessControlRequestMethod: 'PUT', AccessControlRequestHeaders: 'content-type' })) as { OptionsForbidden?: boolean; statusCode?: number };
    assert.equal(refused.OptionsForbidden, true);
    assert.equal(refused.statusCode, 403);
  });

  const cases: Array<{ name: string; origin: string; method: string; headers?: string; allowOrigin?: string }> = [
    { name: 'wildcard inside an origin', origin: 'https://a.b.example.com', method: 'POST', allowOrigin: 'https://a.b.example.com' },
    { name: '* origin answers *', origin: 'https://anyone.io', method: 'GET', headers: 'range', allowOrigin: '*' },
    { name: 'second rule when the first refuses the method', origin: 'https://app.example.com', method: 'HEAD', allowOrigin: '*' },
    { name: 'origin outside the pattern', origin: 'https://example.com', method: 'PUT' },
    { name: 'method no rule allows', origin: 'https://app.example.com', method: 'DELETE' },
    { name: 'header the matching rule does not allow', origin: 'https://app.example.com', method: 'PUT', headers: 'authorization' },
    { name: 'lower-case method is not a method', origin: 'https://anyone.io', method: 'get' },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.method} from ${c.origin} -> ${c.allowOrigin ?? 'AccessForbidden'}`, async () => {
      const Bucket = await bucketWithCors();
      const res = await preflight(Bucket, '/doc/a.txt', {
        origin: c.origin,
        'access-control-request-method': c.method,
        ...(c.headers !== undefined && { 'access-control-request-headers': c.headers }),
      });
      if (c.allowOrigin !== undefined) {
        assert.equal(res.status, 200);
        assert.equal(res.headers['access-control-allow-origin'], c.allowOrigin);
      } else {
        assert.equal(res.status, 403);
        assert.equal(errorOf(res).Code, 'AccessForbidden');
        assert.equal(res.headers['access-control-allow-origin'], undefined);
      }
    });
  }

  it('preflights on the bucket root and on /?lifecycle are answered too (COS examples 3)', async () => {
    const Bucket = await bucketWithCors();
    for (const path of ['/', '/?lifecycle']) {
      const res = await preflight(Bucket, path, { origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' });
      assert.equal(res.status, 200, path);
    }
  });

  it('no CORS rules and no such bucket both give AccessForbidden with COS\'s message, distinct from AccessDenied', async () => {
    const Bucket = await bucketWithCors([]);
    for (const bucket of [Bucket, uniqueBucket()]) {
      const res = await preflight(bucket, '/doc/a.txt', { origin: 'https://app.example.com', 'access-control-request-method': 'GET' });
      assert.equal(res.status, 403);
      const error = errorOf(res);
      assert.equal(error.Code, 'AccessForbidden');
      assert.match(error.Message ?? '', /^CORSResponse: This CORS request is not allowed\./);
      assert.ok(res.headers['x-cos-request-id']);
    }
    // An unsigned GET of the private object is the authorization failure, AccessDenied.
    const denied = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/doc/a.txt`, headers: { origin: 'https://app.example.com' } });
    assert.equal(denied.status, 403);
    assert.equal(errorOf(denied).Code, 'AccessDenied');
  });

  it('preflights need no signature, and a bad one is ignored', async () => {
    const Bucket = await bucketWithCors();
    const res = await preflight(Bucket, '/doc/a.txt', { origin: 'https://x.io', 'access-control-request-method': 'GET', authorization: 'q-sign-algorithm=sha1&q-ak=nobody&q-signature=00' });
    assert.equal(res.status, 200);
  });

  it('missing Origin or Access-Control-Request-Method is a 400', async () => {
    const Bucket = await bucketWithCors();
    const noOrigin = await preflight(Bucket, '/k', { 'access-control-request-method': 'GET' });
    assert.equal(noOrigin.status, 400);
    assert.deepEqual([errorOf(noOrigin).Code, errorOf(noOrigin).Message], ['InvalidRequest', 'Insufficient information. Origin request header needed.']);
    const noMethod = await preflight(Bucket, '/k', { origin: 'https://x.io' });
    assert.equal(noMethod.status, 400);
    assert.equal(errorOf(noMethod).Code, 'InvalidRequest');
  });
});

describe('CORS headers on actual responses', () => {
  it('GET, HEAD and PUT carry them when a rule allows the origin and method; other origins get none', async () => {
    const Bucket = await bucketWithCors();
    const get = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/doc/a.txt`, headers: { origin: 'https://anyone.io' }, signAs: OWNER });
    assert.equal(get.status, 200);
    assert.equal(get.headers['access-control-allow-origin'], '*');
    const head = await send(server.hostPort, { method: 'HEAD', url: `/${Bucket}/doc/a.txt`, headers: { origin: 'https://anyone.io' }, signAs: OWNER });
    assert.equal(head.headers['access-control-allow-origin'], '*');
    const put = await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/up.txt`, body: 'x', headers: { origin: 'https://app.example.com' }, signAs: OWNER });
    assert.equal(put.status, 200);
    assert.equal(put.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(put.headers['access-control-expose-headers'], 'ETag,x-cos-request-id');
    const refused = await send(server.hostPort, { method: 'DELETE', url: `/${Bucket}/up.txt`, headers: { origin: 'https://app.example.com' }, signAs: OWNER });
    assert.equal(refused.status, 204);
    assert.equal(refused.headers['access-control-allow-origin'], undefined, 'no rule allows DELETE');
    const plain = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/doc/a.txt`, signAs: OWNER });
    assert.equal(plain.headers['access-control-allow-origin'], undefined, 'no Origin, no CORS headers');
  });

  it('error responses carry them too: AccessDenied, NoSuchKey and a bad signature', async () => {
    const Bucket = await bucketWithCors();
    const origin = { origin: 'https://anyone.io' };
    const denied = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/doc/a.txt`, headers: origin });
    assert.equal(errorOf(denied).Code, 'AccessDenied');
    assert.equal(denied.headers['access-control-allow-origin'], '*');
    const missing = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/nope`, headers: origin, signAs: OWNER });
    assert.equal(errorOf(missing).Code, 'NoSuchKey');
    assert.equal(missing.headers['access-control-allow-origin'], '*');
    const badSig = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/doc/a.txt`, headers: origin, signAs: { ...OWNER, secretKey: 'wrong' } });
    assert.equal(errorOf(badSig).Code, 'SignatureDoesNotMatch');
    assert.equal(badSig.headers['access-control-allow-origin'], '*');
  });
});

describe('PUT Bucket cors validation', () => {
  const rule = (inner: string) => `<CORSConfiguration><CORSRule>${inner}</CORSRule></CORSConfiguration>`;
  const cases: Array<{ name: string; xml: string; code: string; status: number; message?: RegExp }> = [
    { name: 'not XML', xml: '<CORSConfiguration>', code: 'MalformedXML', status: 400 },
    { name: 'wrong root', xml: '<CORS><CORSRule/></CORS>', code: 'MalformedXML', status: 400 },
    { name: 'no rule', xml: '<CORSConfiguration></CORSConfiguration>', code: 'MalformedXML', status: 400 },
    { name: 'rule without origin', xml: rule('<AllowedMethod>GET</AllowedMethod>'), code: 'MalformedXML', status: 400 },
    { name: 'rule without method', xml: rule('<AllowedOrigin>*</AllowedOrigin>'), code: 'MalformedXML', status: 400 },
    { name: 'unsupported method', xml: rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>'), code: 'InvalidRequest', status: 400, message: /Unsupported method is PATCH/ },
    { name: 'two wildcards in an origin', xml: rule('<AllowedOrigin>https://*.*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>'), code: 'InvalidRequest', status: 400, message: /more than one wildcard/ },
    { name: 'two wildcards in a header', xml: rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>x-*-*</AllowedHeader>'), code: 'InvalidRequest', status: 400 },
    { name: 'wildcard ExposeHeader', xml: rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>*</ExposeHeader>'), code: 'InvalidRequest', status: 400 },
    { name: 'MaxAgeSeconds not an integer', xml: rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds>'), code: 'MalformedXML', status: 400 },
    {
      name: '101 rules',
      xml: `<CORSConfiguration>${'<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>'.repeat(101)}</CORSConfiguration>`,
      code: 'InvalidRequest',
      status: 400,
    },
    { name: 'over 64 KB', xml: `<CORSConfiguration>${' '.repeat(65 * 1024)}</CORSConfiguration>`, code: 'XMLSizeLimit', status: 400 },
  ];
  for (const c of cases) {
    it(`${c.name} -> ${c.code}`, async () => {
      const Bucket = await bucketWithCors([]);
      const res = await putCorsXml(Bucket, c.xml);
      assert.equal(res.status, c.status);
      const error = errorOf(res);
      assert.equal(error.Code, c.code);
      if (c.message) assert.match(error.Message ?? '', c.message);
      const stored = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/?cors`, signAs: OWNER });
      assert.equal(errorOf(stored).Code, 'NoSuchCORSConfiguration', 'nothing stored');
    });
  }

  it('Content-MD5: missing is MissingContentMD5, wrong is BadDigest, right is 200', async () => {
    const Bucket = await bucketWithCors([]);
    const xml = rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>');
    assert.equal(errorOf(await putCorsXml(Bucket, xml, {})).Code, 'MissingContentMD5');
    assert.equal(errorOf(await putCorsXml(Bucket, xml, { 'content-md5': md5('other') })).Code, 'BadDigest');
    assert.equal((await putCorsXml(Bucket, xml)).status, 200);
  });
});
