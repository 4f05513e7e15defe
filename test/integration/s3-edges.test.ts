// S3 edges ceph s3-tests probe (and two the Python SDK and requests hit), through @aws-sdk/client-s3 and raw requests.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { ALGORITHM, cachedSigningKey, canonicalRequest, credentialScope, signHex, stringToSign } from '../../src/auth/sigv4/canonical.ts';
import { multipartBody } from '../helpers/post-form.ts';
import { errorOf, send } from '../helpers/raw.ts';
import { OTHER, OWNER, startTestServer, uniqueBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';
import { s3Client } from '../helpers/s3.ts';
import { amzDateOf, REGION } from '../helpers/sigv4.ts';

let server: TestServer;
let s3: S3Client;
const MiB = 1024 * 1024;

const client = (identity: TestIdentity): S3Client =>
  s3Client(server, identity);

before(async () => {
  server = await startTestServer();
  s3 = client(OWNER);
});
after(async () => {
  s3.destroy();
  await server.close();
});

async function newBucket(ACL?: 'public-read-write'): Promise<string> {
  const Bucket = uniqueBucket();
  await s3.send(new CreateBucketCommand({ Bucket, ...(ACL && { ACL }) }));
  return Bucket;
}

/** The S3 error name (code) a command failed with and its HTTP status. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  assert.fail('expected the request to fail');
}

const md5Base64 = (data: string): string => createHash('md5').update(data).digest('base64');

describe('Complete Multipart Upload', () => {
  it('answers a Complete of an upload it already completed with the same result, while that object is current', async () => {
    const Bucket = await newBucket();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'done' }));
    const bodies = [randomBytes(MiB), randomBytes(10)];
    const Parts: CompletedPart[] = [];
    for (const [i, Body] of bodies.entries()) {
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key: 'done', UploadId, PartNumber: i + 1, Body }));
      Parts.push({ PartNumber: i + 1, ETag });
    }
    const complete = (parts: typeof Parts, Key = 'done') => s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
    const first = await complete(Parts);
    const again = await complete(Parts);
    assert.deepEqual([again.ETag, again.Key, again.Location], [first.ETag, first.Key, first.Location]);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'done' }));
    assert.deepEqual(Buffer.from((await got.Body?.transformToByteArray()) ?? []), Buffer.concat(bodies));
    // Another list of parts, another key, or the object replaced since: the upload is gone.
    assert.equal((await failure(complete(Parts.slice(0, 1)))).name, 'NoSuchUpload');
    assert.equal((await failure(complete(Parts, 'other'))).name, 'NoSuchUpload');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'done', Body: 'replaced' }));
    assert.equal((await failure(complete(Parts))).name, 'NoSuchUpload');
  });

  it('answers two concurrent Completes of one upload (a client retrying while the first runs) both with the object', async () => {
    const Bucket = await newBucket();
    for (let round = 0; round < 5; round++) {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'raced' }));
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key: 'raced', UploadId, PartNumber: 1, Body: randomBytes(1000) }));
      const complete = () => s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'raced', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] } }));
      const [a, b] = await Promise.all([complete(), complete()]);
      assert.equal(a.ETag, b.ETag);
    }
  });

  it('refuses a repeated PartNumber with InvalidPartOrder', async () => {
    const Bucket = await newBucket();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'twice' }));
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'twice', UploadId, PartNumber: 1, Body: randomBytes(MiB) }));
    const parts = [1, 1].map((PartNumber) => ({ PartNumber, ETag: part.ETag }));
    assert.deepEqual(await failure(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'twice', UploadId, MultipartUpload: { Parts: parts } }))), {
      name: 'InvalidPartOrder',
      status: 400,
    });
  });
});

describe('request headers', () => {
  it('accepts an empty Expect and one other than 100-continue, as S3 does', async () => {
    const Bucket = await newBucket();
    for (const expect of ['', '200']) {
      const res = await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/expect`, headers: { expect }, body: 'bar', signAs: OWNER });
      assert.equal(res.status, 200, `Expect: ${expect} -> ${res.text}`);
    }
  });

  it('Expect: 100-continue is answered 100 only once the request is authorized; a refused one gets its 403 at once', async () => {
    // The first bytes the server writes after the headers alone, the body held back as a client waiting for 100 does.
    const firstReply = (Bucket: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const [host = '127.0.0.1', port = '0'] = server.hostPort.split(':');
        const socket = connect(Number(port), host, () =>
          socket.write(`PUT /${Bucket}/obj HTTP/1.1\r\nHost: ${server.hostPort}\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n`),
        );
        socket.once('data', (data) => {
          resolve(data.toString('latin1').split('\r\n')[0] ?? '');
          socket.destroy();
        });
        socket.once('error', reject);
      });
    assert.equal(await firstReply(await newBucket()), 'HTTP/1.1 403 Forbidden');
    assert.equal(await firstReply(await newBucket('public-read-write')), 'HTTP/1.1 100 Continue');
  });

  it('refuses an empty Content-MD5 with InvalidDigest and stores nothing', async () => {
    const Bucket = await newBucket();
    const res = await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/md5`, headers: { 'content-md5': '' }, body: 'bar', signAs: OWNER });
    assert.equal(res.status, 400);
    assert.equal(errorOf(res).Code, 'InvalidDigest');
    assert.equal((await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'md5' })))).status, 404);
    const right = await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/md5`, headers: { 'content-md5': md5Base64('bar') }, body: 'bar', signAs: OWNER });
    assert.equal(right.status, 200);
  });
});

describe('conditional PUT (S3 callers)', () => {
  const failure = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
      return 'succeeded';
    } catch (error) {
      const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
      return `${e.$metadata?.httpStatusCode ?? ''} ${e.name}`;
    }
  };
  const body = async (Bucket: string, Key: string): Promise<string> => (await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString()) ?? '';

  it('If-None-Match: * writes only a new key; If-Match only over the object with that ETag', async () => {
    const Bucket = await newBucket();
    const first = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'bar', IfNoneMatch: '*' }));
    assert.equal(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'zar', IfNoneMatch: '*' }))), '412 PreconditionFailed');
    assert.equal(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'zar', IfMatch: '"ABCORZ"' }))), '412 PreconditionFailed');
    assert.equal(await body(Bucket, 'k'), 'bar');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'baz', IfMatch: first.ETag }));
    assert.equal(await body(Bucket, 'k'), 'baz');
    assert.equal(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'missing', Body: 'x', IfMatch: first.ETag }))), '404 NoSuchKey');
  });

  it('of two racing If-None-Match: * writers exactly one wins', async () => {
    const Bucket = await newBucket();
    const results = await Promise.all(['a', 'b', 'c'].map((Body) => failure(s3.send(new PutObjectCommand({ Bucket, Key: 'race', Body, IfNoneMatch: '*' })))));
    assert.deepEqual(results.filter((r) => r === 'succeeded').length, 1, results.join(', '));
  });
});

describe('listings', () => {
  it('max-keys=0 answers an empty page that is not truncated (ListObjects and ListObjectsV2)', async () => {
    const Bucket = await newBucket();
    for (const Key of ['bar', 'baz']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    const v1 = await s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 0 }));
    assert.equal(v1.IsTruncated, false);
    assert.equal(v1.Contents, undefined);
    const v2 = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 0 }));
    assert.equal(v2.IsTruncated, false);
    assert.equal(v2.KeyCount, 0);
  });

  it('an empty continuation-token is absent, and echoed back empty', async () => {
    const Bucket = await newBucket();
    for (const Key of ['bar', 'baz', 'foo']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    const res = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/?list-type=2&continuation-token=`, signAs: OWNER });
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /<ContinuationToken><\/ContinuationToken>/);
    assert.equal(res.text.match(/<Key>/g)?.length, 3);
    assert.match(res.text, /<IsTruncated>false<\/IsTruncated>/);
  });
});

/** A presigned GET URL with any X-Amz-Expires, signed correctly (the SDK's presigner refuses more than a week). */
function presignGet(path: string, expires: string): string {
  const amzDate = amzDateOf(Date.now());
  const scope = credentialScope(amzDate.slice(0, 8), REGION, 's3');
  const query: Array<[string, string]> = [
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${OWNER.secretId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', expires],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const canonical = canonicalRequest({ method: 'GET', path, query, headers: { host: server.hostPort }, signedHeaders: ['host'], payloadHash: 'UNSIGNED-PAYLOAD' });
  const signature = signHex(cachedSigningKey(OWNER.secretKey, amzDate.slice(0, 8), REGION, 's3'), stringToSign(amzDate, scope, canonical));
  return `${path}?${new URLSearchParams([...query, ['X-Amz-Signature', signature]]).toString()}`;
}

describe('presigned URLs', () => {
  it('X-Amz-Expires over seven days, zero or negative is 403 AccessDenied; seven days is served', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'p.txt', Body: 'presigned' }));
    for (const expires of ['604801', '609901', '0', '-7']) {
      const res = await send(server.hostPort, { method: 'GET', url: presignGet(`/${Bucket}/p.txt`, expires) });
      assert.equal(res.status, 403, `X-Amz-Expires=${expires}: ${res.text}`);
      assert.equal(errorOf(res).Code, 'AccessDenied');
    }
    const week = await send(server.hostPort, { method: 'GET', url: presignGet(`/${Bucket}/p.txt`, '604800') });
    assert.equal(week.text, 'presigned');
  });
});

describe('Upload Part - Copy ranges', () => {
  it('an empty x-cos-copy-source-range copies the whole source (cos-python-sdk-v5 always sends one)', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'whole source' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'dst' }));
    const res = await send(server.hostPort, {
      method: 'PUT',
      url: `/${Bucket}/dst?partNumber=1&uploadId=${UploadId}`,
      headers: { 'x-cos-copy-source': `${Bucket}.cos.${REGION}.myqcloud.com/src`, 'x-cos-copy-source-range': '' },
      signAs: OWNER,
    });
    assert.equal(res.status, 200, res.text);
    const result = res.xml?.['CopyPartResult'] as Record<string, string> | undefined;
    assert.equal(result?.['ETag'], `"${createHash('md5').update('whole source').digest('hex')}"`);
  });

  it('a range past the end of the source is InvalidRange', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: '12345' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'dst' }));
    const copy = (CopySourceRange: string) => s3.send(new UploadPartCopyCommand({ Bucket, Key: 'dst', UploadId, PartNumber: 1, CopySource: `${Bucket}/src`, CopySourceRange }));
    assert.deepEqual(await failure(copy('bytes=0-21')), { name: 'InvalidRange', status: 416 });
    assert.equal((await failure(copy('bytes=0-bar'))).name, 'InvalidArgument', 'a malformed range stays InvalidArgument');
    assert.ok((await copy('bytes=0-4')).CopyPartResult?.ETag);
  });
});

describe('keys', () => {
  it('a key whose percent-encoding is not UTF-8 is 400 InvalidURI', async () => {
    const Bucket = await newBucket();
    for (const key of ['%FF', 'a%C0%AF', '%ED%A0%80', 'x%E6%8A']) {
      // The path cannot be decoded to sign it; the route is refused before the signature is looked at.
      const res = await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/${key}`, body: 'x', signAs: OWNER, signPath: `/${Bucket}/x` });
      assert.equal(res.status, 400, `${key}: ${res.text}`);
      assert.equal(errorOf(res).Code, 'InvalidURI', key);
    }
  });
});

describe('GET/HEAD of a missing key', () => {
  const resource = (bucket: string): string => `qcs::cos:${server.region}:uid/${OWNER.appid}:${bucket}/*`;

  it('is 404 NoSuchKey to a caller who may list the bucket, 403 to one who may not, and 403 on a missing bucket', async () => {
    const listable = await newBucket();
    const policy = {
      version: '2.0',
      statement: [{ principal: { qcs: [`qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`] }, effect: 'allow', action: ['name/cos:GetBucket'], resource: [resource(listable)] }],
    };
    const put = await send(server.hostPort, { method: 'PUT', url: `/${listable}/?policy`, body: JSON.stringify(policy), headers: { 'content-type': 'application/json' }, signAs: OWNER });
    assert.equal(put.status, 204, put.text);
    await s3.send(new PutObjectCommand({ Bucket: listable, Key: 'there', Body: 'private' }));
    const closed = await newBucket();
    const other = client(OTHER);
    try {
      assert.deepEqual(await failure(other.send(new HeadObjectCommand({ Bucket: listable, Key: 'missing' }))), { name: 'NotFound', status: 404 });
      assert.deepEqual(await failure(other.send(new GetObjectCommand({ Bucket: listable, Key: 'missing' }))), { name: 'NoSuchKey', status: 404 });
      // An object that exists stays unreadable: the list permission does not reach it.
      assert.deepEqual(await failure(other.send(new GetObjectCommand({ Bucket: listable, Key: 'there' }))), { name: 'AccessDenied', status: 403 });
      for (const Bucket of [closed, uniqueBucket()]) {
        assert.deepEqual(await failure(other.send(new GetObjectCommand({ Bucket, Key: 'missing' }))), { name: 'AccessDenied', status: 403 }, Bucket);
        assert.equal((await failure(other.send(new HeadObjectCommand({ Bucket, Key: 'missing' })))).status, 403, Bucket);
      }
      // Anonymous callers may not list either bucket.
      const anonymous = await send(server.hostPort, { method: 'HEAD', url: `/${listable}/missing` });
      assert.equal(anonymous.status, 403);
    } finally {
      other.destroy();
    }
  });
});

describe('POST Object', () => {
  it('takes the part named file as the file: fields sent with a filename (Python requests, s3-tests) are fields', async () => {
    const Bucket = await newBucket('public-read-write');
    const { body, contentType } = multipartBody({ key: 'foo.txt', acl: 'public-read', 'Content-Type': 'text/plain' }, { filename: 'file', content: 'bar' });
    // requests' `files=` puts `filename="<name>"` on every part.
    const asFiles = Buffer.from(body.toString('latin1').replace(/name="(key|acl|Content-Type)"/g, 'name="$1"; filename="$1"'), 'latin1');
    const res = await send(server.hostPort, { method: 'POST', url: `/${Bucket}/`, body: asFiles, headers: { 'content-type': contentType } });
    assert.equal(res.status, 204, res.text);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'foo.txt' }));
    assert.equal(await got.Body?.transformToString(), 'bar');
    assert.equal(got.ContentType, 'text/plain');
  });
});
