// The further signature forms COS accepts, through the real server: cos-nodejs-sdk-v5's getAuth and
// getV4Auth download links in `sign=`, and AWS SigV2 (header and presigned) built by hand from AWS's text.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { errorOf, send, type RawRequest, type RawResponse } from '../helpers/raw.ts';
import { OTHER, OWNER, startTestServer, uniqueBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let bucket: string;
let otherBucket: string;
const KEY = 'dir/中文 1.txt';
const RAW_KEY = 'dir/%E4%B8%AD%E6%96%87%201.txt';
const BODY = 'private bytes';

const raw = (r: RawRequest): Promise<RawResponse> => send(server.hostPort, r);
const cosHost = (name: string): string => `${name}.cos.${server.region}.myqcloud.com`;
const now = (): number => Math.floor(Date.now() / 1000);

function assertError(res: RawResponse, status: number, code: string, message?: RegExp): void {
  assert.equal(res.status, status, res.text);
  const error = errorOf(res);
  assert.equal(error['Code'], code, res.text);
  if (message) assert.match(error['Message'] ?? '', message);
}

before(async () => {
  server = await startTestServer();
  bucket = uniqueBucket();
  otherBucket = uniqueBucket();
  const sdk = server.sdk();
  for (const name of [bucket, otherBucket]) {
    await sdk.putBucket({ Bucket: name, Region: server.region });
    await sdk.putObject({ Bucket: name, Region: server.region, Key: KEY, Body: BODY });
  }
});
after(() => server.close());

describe('sign= with a q-sign string (cos.getAuth)', () => {
  const link = (method: 'get' | 'put', key = KEY, name = bucket): string => {
    const auth = server.sdk().getAuth({ Method: method, Key: key, Headers: { Host: cosHost(name) }, Expires: 60 });
    return `?sign=${encodeURIComponent(auth)}`;
  };

  it('downloads with the link the SDK documents, on the real COS host name', async () => {
    const res = await raw({ method: 'GET', url: `/${RAW_KEY}${link('get')}`, host: cosHost(bucket) });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, BODY);
  });

  it('uploads with a PUT link', async () => {
    const put = await raw({ method: 'PUT', url: `/dir/up.txt${link('put', 'dir/up.txt')}`, host: cosHost(bucket), body: 'uploaded' });
    assert.equal(put.status, 200, put.text);
    const { Body } = await server.sdk().getObject({ Bucket: bucket, Region: server.region, Key: 'dir/up.txt' });
    assert.equal(String(Body), 'uploaded');
  });

  it('is refused for another key, bucket or method', async () => {
    assertError(await raw({ method: 'GET', url: `/dir/other.txt${link('get')}`, host: cosHost(bucket) }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'GET', url: `/${RAW_KEY}${link('get')}`, host: cosHost(otherBucket) }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'DELETE', url: `/${RAW_KEY}${link('get')}`, host: cosHost(bucket) }), 403, 'SignatureDoesNotMatch');
  });
});

describe('sign= with a legacy V4 signature (cos.getV4Auth)', () => {
  const link = (name = bucket, key = KEY, expires = 60): string => `?sign=${encodeURIComponent(server.sdk().getV4Auth({ Bucket: name, Key: key, Expires: expires }))}`;

  it('downloads (GET and HEAD) the file it names, as the SDK test does', async () => {
    const get = await raw({ method: 'GET', url: `/${RAW_KEY}${link()}`, host: cosHost(bucket) });
    assert.equal(get.status, 200, get.text);
    assert.equal(get.text, BODY);
    const head = await raw({ method: 'HEAD', url: `/${RAW_KEY}${link()}`, host: cosHost(bucket) });
    assert.equal(head.status, 200);
    // Path style too: the signature names the bucket, not the host.
    const pathStyle = await raw({ method: 'GET', url: `/${bucket}/${RAW_KEY}${link()}` });
    assert.equal(pathStyle.text, BODY);
  });

  it('is refused for another file or bucket, for writes and subresources', async () => {
    assertError(await raw({ method: 'GET', url: `/dir/other.txt${link()}`, host: cosHost(bucket) }), 403, 'AccessDenied', /signed for file/);
    assertError(await raw({ method: 'GET', url: `/${RAW_KEY}${link()}`, host: cosHost(otherBucket) }), 403, 'AccessDenied', /signed for bucket/);
    assertError(await raw({ method: 'DELETE', url: `/${RAW_KEY}${link()}`, host: cosHost(bucket) }), 403, 'AccessDenied', /does not cover DELETE/);
    assertError(await raw({ method: 'PUT', url: `/${RAW_KEY}${link()}`, host: cosHost(bucket), body: 'overwritten' }), 403, 'AccessDenied');
    assertError(await raw({ method: 'GET', url: `/${RAW_KEY}${link()}&acl`, host: cosHost(bucket) }), 403, 'AccessDenied', /query parameter acl/);
    const { Body } = await server.sdk().getObject({ Bucket: bucket, Region: server.region, Key: KEY });
    assert.equal(String(Body), BODY);
  });

  it('is refused once expired, and for a key nobody has', async () => {
    assertError(await raw({ method: 'GET', url: `/${RAW_KEY}${link(bucket, KEY, -5)}`, host: cosHost(bucket) }), 403, 'AccessDenied', /^Request has expired$/);
    const foreign = server.sdk({ ...OWNER, secretId: 'AKIDnobodyHasThisKey' }).getV4Auth({ Bucket: bucket, Key: KEY });
    assertError(await raw({ method: 'GET', url: `/${RAW_KEY}?sign=${encodeURIComponent(foreign)}`, host: cosHost(bucket) }), 403, 'InvalidAccessKeyId');
  });

  it('a valid signature still needs permission: OTHER cannot read OWNER\'s private file with its own key', async () => {
    const sign = server.sdk(OTHER).getV4Auth({ Bucket: bucket, Key: KEY });
    assertError(await raw({ method: 'GET', url: `/${RAW_KEY}?sign=${encodeURIComponent(sign)}`, host: cosHost(bucket) }), 403, 'AccessDenied');
  });
});

// ---------------------------------------------------------------------------------------------
// AWS SigV2, signed here from AWS's text rather than with the server's own code:
// StringToSign = VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedAmzHeaders CanonicalizedResource.
// ---------------------------------------------------------------------------------------------

const v2Signature = (identity: TestIdentity, toSign: string): string => createHmac('sha1', identity.secretKey).update(toSign, 'utf8').digest('base64');

interface V2Options {
  method: string;
  /** `/bucket/key?subresource` as SigV2 signs it. */
  resource: string;
  headers?: Record<string, string>;
  identity?: TestIdentity;
}

function v2Headers(o: V2Options): Record<string, string> {
  const identity = o.identity ?? OWNER;
  const headers: Record<string, string> = { date: new Date().toUTCString(), ...o.headers };
  const amz = Object.keys(headers)
    .filter((name) => name.startsWith('x-amz-'))
    .sort()
    .map((name) => `${name}:${headers[name]}\n`)
    .join('');
  const toSign = `${o.method}\n${headers['content-md5'] ?? ''}\n${headers['content-type'] ?? ''}\n${headers['date']}\n${amz}${o.resource}`;
  return { ...headers, authorization: `AWS ${identity.secretId}:${v2Signature(identity, toSign)}` };
}

function v2Presigned(o: { method: string; resource: string; expires: number; identity?: TestIdentity }): string {
  const identity = o.identity ?? OWNER;
  const signature = v2Signature(identity, `${o.method}\n\n\n${o.expires}\n${o.resource}`);
  return `AWSAccessKeyId=${identity.secretId}&Expires=${o.expires}&Signature=${encodeURIComponent(signature)}`;
}

const S3_NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

describe('AWS SigV2, Authorization header', () => {
  it('PUT with x-amz-* headers and Content-MD5, then GET, path style and virtual-hosted', async () => {
    const md5 = createHash('md5').update('v2 body').digest('base64');
    const headers = v2Headers({
      method: 'PUT',
      resource: `/${bucket}/v2/a%20b.txt`,
      headers: { 'content-type': 'text/plain', 'content-md5': md5, 'x-amz-meta-color': 'blue', 'x-amz-storage-class': 'STANDARD' },
    });
    const put = await raw({ method: 'PUT', url: `/${bucket}/v2/a%20b.txt`, headers, body: 'v2 body' });
    assert.equal(put.status, 200, put.text);
    const get = await raw({ method: 'GET', url: '/v2/a%20b.txt', host: cosHost(bucket), headers: v2Headers({ method: 'GET', resource: `/${bucket}/v2/a%20b.txt` }) });
    assert.equal(get.status, 200, get.text);
    assert.equal(get.text, 'v2 body');
    assert.equal(get.headers['x-amz-meta-color'], 'blue');
  });

  it('x-amz-date stands in for Date', async () => {
    const headers = v2Headers({ method: 'GET', resource: `/${bucket}/${RAW_KEY}`, headers: { date: '', 'x-amz-date': new Date().toUTCString() } });
    const { date: _, ...withoutDate } = headers;
    const res = await raw({ method: 'GET', url: `/${bucket}/${RAW_KEY}`, headers: withoutDate });
    assert.equal(res.status, 200, res.text);
  });

  it('answers in the S3 dialect (the S3 namespace on XML replies)', async () => {
    const acl = await raw({ method: 'GET', url: `/${bucket}/?acl`, headers: v2Headers({ method: 'GET', resource: `/${bucket}/?acl` }) });
    assert.equal(acl.status, 200, acl.text);
    assert.ok(acl.text.includes(`<AccessControlPolicy ${S3_NS}`), acl.text);
  });

  it('takes a bucket-level request signed with or without the trailing slash (botocore signs `/bucket/`)', async () => {
    for (const [url, resource] of [[`/${bucket}?acl`, `/${bucket}/?acl`], [`/${bucket}/?acl`, `/${bucket}?acl`]] as const) {
      const res = await raw({ method: 'GET', url, headers: v2Headers({ method: 'GET', resource }) });
      assert.equal(res.status, 200, res.text);
    }
    const other = await raw({ method: 'GET', url: `/${otherBucket}?acl`, headers: v2Headers({ method: 'GET', resource: `/${bucket}/?acl` }) });
    assertError(other, 403, 'SignatureDoesNotMatch');
  });

  it('binds bucket, key, operation and every x-amz-* header; refuses unsigned x-cos-* headers', async () => {
    const signed = v2Headers({ method: 'GET', resource: `/${bucket}/${RAW_KEY}` });
    assertError(await raw({ method: 'GET', url: `/${otherBucket}/${RAW_KEY}`, headers: signed }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'GET', url: `/${bucket}/dir/other.txt`, headers: signed }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'GET', url: `/${bucket}/${RAW_KEY}?acl`, headers: signed }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'DELETE', url: `/${bucket}/${RAW_KEY}`, headers: signed }), 403, 'SignatureDoesNotMatch');
    const put = v2Headers({ method: 'PUT', resource: `/${bucket}/v2/acl.txt` });
    assertError(await raw({ method: 'PUT', url: `/${bucket}/v2/acl.txt`, headers: { ...put, 'x-amz-acl': 'public-read' }, body: 'x' }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'PUT', url: `/${bucket}/v2/acl.txt`, headers: { ...put, 'x-cos-acl': 'public-read' }, body: 'x' }), 403, 'AccessDenied', /not signed/);
    const anonymous = await raw({ method: 'GET', url: `/${bucket}/v2/acl.txt` });
    assert.equal(anonymous.status, 403);
  });

  it('refuses a Date 15 minutes off, a missing date, a wrong secret and an unknown key', async () => {
    const old = new Date(Date.now() - 16 * 60_000).toUTCString();
    assertError(await raw({ method: 'GET', url: `/${bucket}/${RAW_KEY}`, headers: v2Headers({ method: 'GET', resource: `/${bucket}/${RAW_KEY}`, headers: { date: old } }) }), 403, 'RequestTimeTooSkewed');
    const { date: _, ...undated } = v2Headers({ method: 'GET', resource: `/${bucket}/${RAW_KEY}` });
    assertError(await raw({ method: 'GET', url: `/${bucket}/${RAW_KEY}`, headers: undated }), 403, 'AccessDenied', /Date or x-amz-date/);
    const wrong = v2Headers({ method: 'GET', resource: `/${bucket}/${RAW_KEY}`, identity: { ...OWNER, secretKey: 'not the secret' } });
    assertError(await raw({ method: 'GET', url: `/${bucket}/${RAW_KEY}`, headers: wrong }), 403, 'SignatureDoesNotMatch');
    const unknown = v2Headers({ method: 'GET', resource: `/${bucket}/${RAW_KEY}`, identity: { ...OWNER, secretId: 'AKIDnobodyHasThisKey' } });
    assertError(await raw({ method: 'GET', url: `/${bucket}/${RAW_KEY}`, headers: unknown }), 403, 'InvalidAccessKeyId');
  });
});

describe('AWS SigV2, presigned URL (AWSAccessKeyId, Expires, Signature)', () => {
  it('GET and PUT until Expires', async () => {
    const expires = now() + 300;
    const get = await raw({ method: 'GET', url: `/${bucket}/${RAW_KEY}?${v2Presigned({ method: 'GET', resource: `/${bucket}/${RAW_KEY}`, expires })}` });
    assert.equal(get.status, 200, get.text);
    assert.equal(get.text, BODY);
    const putUrl = `/v2/presigned.txt?${v2Presigned({ method: 'PUT', resource: `/${bucket}/v2/presigned.txt`, expires })}`;
    assert.equal((await raw({ method: 'PUT', url: putUrl, host: cosHost(bucket), body: 'presigned' })).status, 200);
    const { Body } = await server.sdk().getObject({ Bucket: bucket, Region: server.region, Key: 'v2/presigned.txt' });
    assert.equal(String(Body), 'presigned');
  });

  it('is refused once expired, and for another key, bucket or method', async () => {
    const expired = `/${bucket}/${RAW_KEY}?${v2Presigned({ method: 'GET', resource: `/${bucket}/${RAW_KEY}`, expires: now() - 1 })}`;
    assertError(await raw({ method: 'GET', url: expired }), 403, 'AccessDenied', /^Request has expired$/);
    const query = v2Presigned({ method: 'GET', resource: `/${bucket}/${RAW_KEY}`, expires: now() + 300 });
    assertError(await raw({ method: 'GET', url: `/${otherBucket}/${RAW_KEY}?${query}` }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'GET', url: `/${bucket}/dir/other.txt?${query}` }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'DELETE', url: `/${bucket}/${RAW_KEY}?${query}` }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'GET', url: `/${bucket}/${RAW_KEY}?${query}&acl` }), 403, 'SignatureDoesNotMatch');
    assertError(await raw({ method: 'GET', url: `/${bucket}/${RAW_KEY}?AWSAccessKeyId=${OWNER.secretId}&Expires=${now() + 300}` }), 403, 'AccessDenied');
  });
});
