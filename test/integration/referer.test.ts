// Hotlink protection (PUT Bucket referer) as a security feature: a refused Referer reads nothing - no object
// bytes, no headers of it, no listing, not whether a key exists - through real COS host names; signed
// requests are not checked; the deciding rule reaches the log and `explain`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { presignQuery } from '../helpers/sign.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';
import { OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

const log = recordingLogger();
let server: TestServer;
const SECRET = 'the bytes a hotlinker must not get';

before(async () => {
  server = await startTestServer({ log });
});
after(() => server.close());

/** A public-read bucket with one object and the given hotlink protection (cos-nodejs-sdk-v5 all the way). */
async function protectedBucket(RefererConfiguration: Record<string, unknown>): Promise<string> {
  const Bucket = uniqueBucket();
  const cos = server.sdk();
  const Region = server.region;
  await cos.putBucket({ Bucket, Region, ACL: 'public-read' });
  await cos.putObject({ Bucket, Region, Key: 'img/logo.png', Body: SECRET });
  await cos.putBucketReferer({ Bucket, Region, RefererConfiguration: RefererConfiguration as never });
  return Bucket;
}

const WHITE_LIST = { Status: 'Enabled', RefererType: 'White-List', DomainList: { Domains: ['*.example.com', 'example.com'] } };

/** An unsigned request to the bucket's real COS host name, with the given Referer (none when undefined). */
function anonymous(Bucket: string, method: string, url: string, referer: string | undefined, signed = false): Promise<RawResponse> {
  return send(server.hostPort, {
    method,
    url,
    host: `${Bucket}.cos.${server.region}.myqcloud.com`,
    headers: referer === undefined ? {} : { referer },
    ...(signed && { signAs: OWNER }),
  });
}

function assertRefused(res: RawResponse, what: string): void {
  assert.equal(res.status, 403, `${what}: ${res.text}`);
  assert.ok(!res.text.includes(SECRET), `${what} leaked the object`);
  if (res.text === '') return; // HEAD
  const error = errorOf(res);
  assert.equal(error['Code'], 'AccessDenied', what);
  assert.equal(error['Message'], 'You are denied by bucket referer rule', what);
  assert.equal(error['RequestId'], res.headers['x-cos-request-id'], what);
}

describe('hotlink protection', () => {
  it('refuses every unsigned read from a referer off the white list, and from none', async () => {
    const Bucket = await protectedBucket(WHITE_LIST);
    for (const referer of ['https://hotlinker.net/page.html', 'https://evil.net/a.example.com/', undefined, '']) {
      const what = `Referer ${String(referer)}`;
      assertRefused(await anonymous(Bucket, 'GET', '/img/logo.png', referer), `${what} GET`);
      const head = await anonymous(Bucket, 'HEAD', '/img/logo.png', referer);
      assertRefused(head, `${what} HEAD`);
      assert.equal(head.headers['etag'], undefined, 'HEAD tells nothing of the object');
      assertRefused(await anonymous(Bucket, 'GET', '/', referer), `${what} list`);
      // A missing key is refused alike: the refusal does not tell which keys exist.
      assertRefused(await anonymous(Bucket, 'GET', '/img/missing.png', referer), `${what} missing key`);
      // A write the ACL does not allow is the plain AccessDenied, and changes nothing.
      assert.equal((await anonymous(Bucket, 'PUT', '/img/logo.png', referer)).status, 403, `${what} PUT`);
    }
    const after = await server.sdk().getObject({ Bucket, Region: server.region, Key: 'img/logo.png' });
    assert.equal(after.Body.toString(), SECRET, 'the refused PUT changed nothing');
  });

  it('serves a listed referer, at any subdomain depth and with a port', async () => {
    const Bucket = await protectedBucket(WHITE_LIST);
    for (const referer of ['https://www.example.com/index.html', 'http://a.b.example.com:8080/x', 'https://example.com/']) {
      const res = await anonymous(Bucket, 'GET', '/img/logo.png', referer);
      assert.equal(res.status, 200, `${referer}: ${res.text}`);
      assert.equal(res.text, SECRET);
    }
  });

  it('EmptyReferConfiguration Allow lets requests without a Referer through; a black list refuses only its domains', async () => {
    const Bucket = await protectedBucket({ Status: 'Enabled', RefererType: 'Black-List', DomainList: { Domains: ['*.evil.net'] }, EmptyReferConfiguration: 'Allow' });
    assert.equal((await anonymous(Bucket, 'GET', '/img/logo.png', undefined)).status, 200);
    assert.equal((await anonymous(Bucket, 'GET', '/img/logo.png', 'https://friend.org/')).status, 200);
    assertRefused(await anonymous(Bucket, 'GET', '/img/logo.png', 'https://cdn.evil.net/a'), 'black-listed');
  });

  it('Disabled checks nothing', async () => {
    const Bucket = await protectedBucket({ ...WHITE_LIST, Status: 'Disabled' });
    assert.equal((await anonymous(Bucket, 'GET', '/img/logo.png', 'https://hotlinker.net/')).status, 200);
  });

  it('does not check signed requests; presigned URLs only with VerifySignatureURL Allow', async () => {
    const Bucket = await protectedBucket(WHITE_LIST);
    const hotlinker = 'https://hotlinker.net/';
    assert.equal((await anonymous(Bucket, 'GET', '/img/logo.png', hotlinker, true)).status, 200, 'header-signed');
    const host = `${Bucket}.cos.${server.region}.myqcloud.com`;
    const presigned = (): string => `/img/logo.png?${presignQuery({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'GET', path: '/img/logo.png', headers: { host } })}`;
    assert.equal((await anonymous(Bucket, 'GET', presigned(), hotlinker)).status, 200, 'presigned, VerifySignatureURL unset');
    await server.sdk().putBucketReferer({ Bucket, Region: server.region, RefererConfiguration: { ...WHITE_LIST, VerifySignatureURL: 'Allow' } as never });
    assertRefused(await anonymous(Bucket, 'GET', presigned(), hotlinker), 'presigned, VerifySignatureURL Allow');
    assert.equal((await anonymous(Bucket, 'GET', '/img/logo.png', hotlinker, true)).status, 200, 'header-signed, VerifySignatureURL Allow');
  });

  it('a caller the ACL denies gets the plain AccessDenied, whatever its referer', async () => {
    const Bucket = await protectedBucket(WHITE_LIST);
    await server.sdk().putBucketAcl({ Bucket, Region: server.region, ACL: 'private' });
    await server.sdk().putObjectAcl({ Bucket, Region: server.region, Key: 'img/logo.png', ACL: 'default' });
    const res = await anonymous(Bucket, 'GET', '/img/logo.png', 'https://hotlinker.net/');
    assert.equal(res.status, 403);
    assert.equal(errorOf(res)['Message'], 'Access Denied.');
  });

  it('logs the deciding rule under the request id, and explain names it', async () => {
    const Bucket = await protectedBucket(WHITE_LIST);
    const res = await anonymous(Bucket, 'GET', '/img/logo.png', 'https://hotlinker.net/p');
    const line = log.at('info').find((r) => r['reqId'] === res.headers['x-cos-request-id'] && r['msg'] === 'access denied');
    const decision = line?.['decision'] as { layer?: string; reason?: string } | undefined;
    assert.equal(decision?.layer, 'referer');
    assert.equal(decision?.reason, `hotlink protection of ${Bucket}: Referer "https://hotlinker.net/p" matches no domain of the White-List`);
    const explained = await send(server.hostPort, {
      method: 'POST',
      url: '/_coslocal/v1/explain',
      body: JSON.stringify({ as: 'anonymous', action: 'GetObject', bucket: Bucket, key: 'img/logo.png', referer: 'https://hotlinker.net/p' }),
      headers: { 'content-type': 'application/json' },
      signAs: OWNER,
    });
    assert.equal(explained.status, 200, explained.text);
    assert.deepEqual((JSON.parse(explained.text) as { decision: unknown }).decision, decision);
  });
});
