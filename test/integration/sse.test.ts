// Server-side encryption through cos-nodejs-sdk-v5, @aws-sdk/client-s3 and signed raw requests: SSE-COS and
// SSE-C on every write, the customer key required (and checked) on every read, ranges over single and
// multipart objects, copies between keys, the bucket's default, and no plaintext anywhere on disk.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type COS from 'cos-nodejs-sdk-v5';
import { catalogue } from '../../src/errors/catalogue.ts';
import { crc64 } from '../../src/util/crc64.ts';
import { eventually } from '../helpers/eventually.ts';
import { multipartBody, signPolicy } from '../helpers/post-form.ts';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { s3Client } from '../helpers/s3.ts';
import { authorization } from '../helpers/sign.ts';
import { onDiskOnly, OWNER, startTestServer, type TestServer } from '../helpers/server.ts';

const MiB = 1024 * 1024;
let server: TestServer;
let cos: COS;
let s3: S3Client;

before(async () => {
  server = await startTestServer();
  cos = server.sdk();
  s3 = s3Client(server);
});
after(() => server.close());

interface CustomerKey {
  key: Buffer;
  /** The three SSE-C headers under `prefix`. */
  headers(prefix?: string): Record<string, string>;
}

function customerKey(): CustomerKey {
  const key = randomBytes(32);
  return {
    key,
    headers: (prefix = 'x-cos-server-side-encryption') => ({
      [`${prefix}-customer-algorithm`]: 'AES256',
      [`${prefix}-customer-key`]: key.toString('base64'),
      [`${prefix}-customer-key-MD5`]: createHash('md5').update(key).digest('base64'),
    }),
  };
}

const md5Hex = (data: Buffer): string => createHash('md5').update(data).digest('hex');

/** A signed raw request as OWNER on a path-style URL. */
const raw = (method: string, url: string, headers: Record<string, string> = {}, body?: Buffer): Promise<RawResponse> =>
  send(server.hostPort, { method, url, headers: Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v])), signAs: OWNER, ...(body && { body }) });

function assertCosError(res: RawResponse, code: keyof typeof catalogue, message?: RegExp): void {
  assert.equal(res.status, catalogue[code].status, res.text);
  if (res.text === '') return;
  const error = errorOf(res);
  assert.equal(error['Code'], code, res.text);
  assert.ok(error['RequestId'], 'the error names its request');
  if (message) assert.match(error['Message'] ?? '', message);
}

describe('SSE-COS', () => {
  it('putObject with ServerSideEncryption (cos SDK): answered AES256 on PUT, GET and HEAD; the ETag is the MD5, the CRC of the plaintext', async () => {
    const Bucket = await server.newBucket();
    const body = randomBytes(200 * 1024);
    const put = await cos.putObject({ Bucket, Region: server.region, Key: 'sse-cos.bin', Body: body, ServerSideEncryption: 'AES256' });
    assert.equal(put.headers?.['x-cos-server-side-encryption'], 'AES256');
    assert.equal(put.ETag, `"${md5Hex(body)}"`);
    const got = await cos.getObject({ Bucket, Region: server.region, Key: 'sse-cos.bin' });
    assert.deepEqual(got.Body, body);
    assert.equal(got.headers?.['x-cos-server-side-encryption'], 'AES256');
    assert.equal(got.headers?.['x-cos-hash-crc64ecma'], crc64(body));
    const head = await cos.headObject({ Bucket, Region: server.region, Key: 'sse-cos.bin' });
    assert.equal(head.headers?.['x-cos-server-side-encryption'], 'AES256');
  });

  it('Content-MD5 is checked against the plaintext: a wrong one is BadDigest and stores nothing, a right one is taken', async () => {
    const Bucket = await server.newBucket();
    for (const size of [100, 300 * 1024]) {
      const body = randomBytes(size);
      const wrong = createHash('md5').update('other').digest('base64');
      const headers = { 'x-cos-server-side-encryption': 'AES256' };
      assertCosError(await raw('PUT', `/${Bucket}/m-${size}`, { ...headers, 'content-md5': wrong }, body), 'BadDigest');
      assert.equal((await raw('HEAD', `/${Bucket}/m-${size}`)).status, 404);
      const right = createHash('md5').update(body).digest('base64');
      assert.equal((await raw('PUT', `/${Bucket}/m-${size}`, { ...headers, 'content-md5': right }, body)).status, 200);
      assert.deepEqual((await raw('GET', `/${Bucket}/m-${size}`)).body, body);
    }
  });

  it('the bucket encryption configuration (AES256) encrypts a write that asks for nothing', async () => {
    const Bucket = await server.newBucket();
    await cos.putBucketEncryption({ Bucket, Region: server.region, ServerSideEncryptionConfiguration: { Rule: [{ ApplySideEncryptionConfiguration: { SSEAlgorithm: 'AES256' } }] } });
    const put = await cos.putObject({ Bucket, Region: server.region, Key: 'default.txt', Body: 'by default' });
    assert.equal(put.headers?.['x-cos-server-side-encryption'], 'AES256');
    const got = await cos.getObject({ Bucket, Region: server.region, Key: 'default.txt' });
    assert.equal(got.Body.toString(), 'by default');
    assert.equal(got.headers?.['x-cos-server-side-encryption'], 'AES256');
  });

  it('x-cos-server-side-encryption other than AES256 (cos/kms needs a key service, a typo is no value) is 400 InvalidArgument', async () => {
    const Bucket = await server.newBucket();
    for (const value of ['cos/kms', 'aes256', 'SM4']) {
      const res = await raw('PUT', `/${Bucket}/x`, { 'x-cos-server-side-encryption': value }, Buffer.from('x'));
      assertCosError(res, 'InvalidArgument');
    }
    assert.equal((await raw('HEAD', `/${Bucket}/x`)).status, 404, 'nothing was stored');
  });

  it('@aws-sdk/client-s3 ServerSideEncryption AES256 is SSE-COS, answered under x-amz-', async () => {
    const Bucket = await server.newBucket();
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 's3.txt', Body: 'through s3', ServerSideEncryption: 'AES256' }));
    assert.equal(put.ServerSideEncryption, 'AES256');
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 's3.txt' }));
    assert.equal(got.ServerSideEncryption, 'AES256');
    assert.equal(await got.Body?.transformToString(), 'through s3');
  });

  it('POST Object takes the x-cos-server-side-encryption field', async () => {
    const Bucket = await server.newBucket();
    const signed = signPolicy(OWNER, [{ bucket: Bucket }]);
    const { body, contentType } = multipartBody({ key: 'posted.txt', 'x-cos-server-side-encryption': 'AES256', ...signed.fields }, { filename: 'p.txt', content: 'posted' });
    const res = await send(server.hostPort, { method: 'POST', url: `/${Bucket}/`, body, headers: { 'content-type': contentType } });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.headers['x-cos-server-side-encryption'], 'AES256');
    const head = await raw('HEAD', `/${Bucket}/posted.txt`);
    assert.equal(head.headers['x-cos-server-side-encryption'], 'AES256');

    // A body the policy refuses mid-stream is refused with its own error through the encrypting stage.
    const capped = signPolicy(OWNER, [{ bucket: Bucket }, ['content-length-range', 0, 100 * 1024]]);
    const big = multipartBody({ key: 'big.bin', 'x-cos-server-side-encryption': 'AES256', ...capped.fields }, { filename: 'b', content: Buffer.alloc(300 * 1024, 7) });
    const refused = await send(server.hostPort, { method: 'POST', url: `/${Bucket}/`, body: big.body, headers: { 'content-type': big.contentType } });
    assertCosError(refused, 'EntityTooLarge');
    assert.equal((await raw('HEAD', `/${Bucket}/big.bin`)).status, 404);
  });
});

describe('SSE-C', () => {
  it('putObject/getObject with SSECustomer* (cos SDK): the key MD5 echoed, the bytes back; the ETag is not the plaintext MD5, the CRC is of the plaintext', async () => {
    const Bucket = await server.newBucket();
    const k = customerKey();
    const sse = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: k.key.toString('base64'), SSECustomerKeyMD5: createHash('md5').update(k.key).digest('base64') };
    for (const size of [1000, 300 * 1024]) {
      const body = randomBytes(size);
      const put = await cos.putObject({ Bucket, Region: server.region, Key: `c-${size}`, Body: body, ...sse });
      assert.equal(put.headers?.['x-cos-server-side-encryption-customer-algorithm'], 'AES256');
      assert.equal(put.headers?.['x-cos-server-side-encryption-customer-key-md5'], sse.SSECustomerKeyMD5);
      assert.notEqual(put.ETag, `"${md5Hex(body)}"`);
      assert.equal(put.headers?.['x-cos-hash-crc64ecma'], crc64(body));
      const got = await cos.getObject({ Bucket, Region: server.region, Key: `c-${size}`, ...sse });
      assert.deepEqual(got.Body, body);
      assert.equal(got.headers?.['x-cos-server-side-encryption-customer-key-md5'], sse.SSECustomerKeyMD5);
    }
  });

  it('a read without the key is 400 InvalidRequest, with another key 403 AccessDenied: no bytes, and HEAD tells no metadata', async () => {
    const Bucket = await server.newBucket();
    const k = customerKey();
    const secret = Buffer.from('the secret plaintext '.repeat(10));
    const put = await raw('PUT', `/${Bucket}/secret.txt`, { ...k.headers(), 'x-cos-meta-owner': 'alice', 'content-type': 'text/x-secret' }, secret);
    assert.equal(put.status, 200, put.text);
    const none = await raw('GET', `/${Bucket}/secret.txt`);
    assertCosError(none, 'InvalidRequest', /Server Side Encryption/);
    const wrong = await raw('GET', `/${Bucket}/secret.txt`, customerKey().headers());
    assertCosError(wrong, 'AccessDenied');
    const ranged = await raw('GET', `/${Bucket}/secret.txt`, { ...customerKey().headers(), range: 'bytes=0-9' });
    assertCosError(ranged, 'AccessDenied');
    for (const res of [none, wrong, ranged]) assert.ok(!res.body.includes(secret.subarray(0, 10)), 'no plaintext in the reply');
    for (const headers of [{}, customerKey().headers()]) {
      const head = await raw('HEAD', `/${Bucket}/secret.txt`, headers);
      assert.ok(head.status === 400 || head.status === 403, `HEAD ${head.status}`);
      assert.equal(head.body.length, 0);
      for (const leak of ['x-cos-meta-owner', 'etag', 'x-cos-hash-crc64ecma', 'last-modified']) assert.equal(head.headers[leak], undefined, leak);
      assert.notEqual(head.headers['content-type'], 'text/x-secret');
    }
    // An ETag match is not told either (no 304 before the key is checked).
    const conditional = await raw('GET', `/${Bucket}/secret.txt`, { 'if-none-match': String(put.headers['etag']) });
    assertCosError(conditional, 'InvalidRequest');
    const right = await raw('GET', `/${Bucket}/secret.txt`, k.headers());
    assert.deepEqual(right.body, secret);
  });

  it('customer-key headers are checked as S3 checks them', async () => {
    const Bucket = await server.newBucket();
    const k = customerKey();
    const good = k.headers();
    const cases: [Record<string, string>, keyof typeof catalogue, RegExp][] = [
      [{ ...good, 'x-cos-server-side-encryption-customer-algorithm': 'AES128' }, 'InvalidEncryptionAlgorithmError', /AES256/],
      [{ ...good, 'x-cos-server-side-encryption-customer-key-MD5': customerKey().headers()['x-cos-server-side-encryption-customer-key-MD5'] ?? '' }, 'InvalidArgument', /MD5/],
      [{ 'x-cos-server-side-encryption-customer-algorithm': 'AES256', 'x-cos-server-side-encryption-customer-key': good['x-cos-server-side-encryption-customer-key'] ?? '' }, 'InvalidArgument', /MD5/],
      [{ 'x-cos-server-side-encryption-customer-algorithm': 'AES256' }, 'InvalidArgument', /secret key/],
      [{ 'x-cos-server-side-encryption-customer-key': good['x-cos-server-side-encryption-customer-key'] ?? '' }, 'InvalidArgument', /algorithm/],
      [
        {
          'x-cos-server-side-encryption-customer-algorithm': 'AES256',
          'x-cos-server-side-encryption-customer-key': randomBytes(16).toString('base64'),
          'x-cos-server-side-encryption-customer-key-MD5': createHash('md5').update(randomBytes(16)).digest('base64'),
        },
        'InvalidArgument',
        /invalid for the specified algorithm/,
      ],
      [{ ...good, 'x-cos-server-side-encryption': 'AES256' }, 'InvalidArgument', /incompatible/],
    ];
    for (const [headers, code, message] of cases) assertCosError(await raw('PUT', `/${Bucket}/bad`, headers, Buffer.from('x')), code, message);
    assert.equal((await raw('HEAD', `/${Bucket}/bad`)).status, 404, 'nothing was stored');
    // A key sent for an object stored as sent is no key for it (S3).
    await raw('PUT', `/${Bucket}/plain`, {}, Buffer.from('plain'));
    assertCosError(await raw('GET', `/${Bucket}/plain`, good), 'InvalidRequest', /not applicable/);
  });

  it('Select Object Content reads an SSE-C object with its key and refuses it without', async () => {
    const Bucket = await server.newBucket();
    const k = customerKey();
    assert.equal((await raw('PUT', `/${Bucket}/people.csv`, k.headers(), Buffer.from('name,age\nalice,34\nbob,27\n'))).status, 200);
    const body = Buffer.from(
      '<SelectRequest><Expression>select s.name from COSObject s where cast(s.age as int) > 30</Expression><ExpressionType>SQL</ExpressionType>' +
        '<InputSerialization><CSV><FileHeaderInfo>USE</FileHeaderInfo></CSV></InputSerialization><OutputSerialization><CSV/></OutputSerialization></SelectRequest>',
    );
    const url = `/${Bucket}/people.csv?select&select-type=2`;
    assertCosError(await raw('POST', url, {}, body), 'InvalidRequest');
    assertCosError(await raw('POST', url, customerKey().headers(), body), 'AccessDenied');
    const selected = await raw('POST', url, k.headers(), body);
    assert.equal(selected.status, 200, selected.text);
    assert.ok(selected.body.includes('alice\n') && !selected.body.includes('bob'), 'the records of the plaintext');
  });

  it('ranges decrypt from the right counter, inline and blob objects alike', async () => {
    const Bucket = await server.newBucket();
    const k = customerKey();
    for (const size of [5000, 700 * 1024]) {
      const body = randomBytes(size);
      assert.equal((await raw('PUT', `/${Bucket}/r-${size}`, k.headers(), body)).status, 200);
      for (const [start, end] of [[0, 0], [1, 16], [15, 33], [size - 17, size - 1], [4097, 4999]] as const) {
        const res = await raw('GET', `/${Bucket}/r-${size}`, { ...k.headers(), range: `bytes=${start}-${end}` });
        assert.equal(res.status, 206);
        assert.deepEqual(res.body, body.subarray(start, end + 1), `bytes ${start}-${end} of ${size}`);
      }
    }
  });

  it('@aws-sdk/client-s3 SSECustomer* round trip; HEAD without the key fails', async () => {
    const Bucket = await server.newBucket();
    const k = customerKey();
    const sse = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: k.key.toString('base64'), SSECustomerKeyMD5: createHash('md5').update(k.key).digest('base64') };
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'c.txt', Body: 'customer keyed', ...sse }));
    assert.equal(put.SSECustomerAlgorithm, 'AES256');
    assert.equal(put.SSECustomerKeyMD5, sse.SSECustomerKeyMD5);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'c.txt', ...sse }));
    assert.equal(await got.Body?.transformToString(), 'customer keyed');
    assert.equal(got.SSECustomerKeyMD5, sse.SSECustomerKeyMD5);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket, Key: 'c.txt' })), (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode === 400);
  });

  it('multipart: every part needs the Initiate key; a ranged GET across part boundaries decrypts each part with its own counter', async () => {
    const Bucket = await server.newBucket();
    const k = customerKey();
    const init = await raw('POST', `/${Bucket}/mp.bin?uploads`, k.headers());
    assert.equal(init.status, 200, init.text);
    assert.equal(init.headers['x-cos-server-side-encryption-customer-algorithm'], 'AES256');
    const uploadId = String((init.xml?.['InitiateMultipartUploadResult'] as Record<string, unknown>)['UploadId']);
    const parts = [randomBytes(MiB + 3), randomBytes(MiB), randomBytes(777)];
    assertCosError(await raw('PUT', `/${Bucket}/mp.bin?partNumber=1&uploadId=${uploadId}`, {}, parts[0]), 'InvalidRequest');
    assertCosError(await raw('PUT', `/${Bucket}/mp.bin?partNumber=1&uploadId=${uploadId}`, customerKey().headers(), parts[0]), 'InvalidArgument');
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const res = await raw('PUT', `/${Bucket}/mp.bin?partNumber=${i + 1}&uploadId=${uploadId}`, k.headers(), part);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers['x-cos-server-side-encryption-customer-key-md5'], k.headers()['x-cos-server-side-encryption-customer-key-MD5']);
      etags.push(String(res.headers['etag']));
    }
    const xml = `<CompleteMultipartUpload>${etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    const done = await raw('POST', `/${Bucket}/mp.bin?uploadId=${uploadId}`, {}, Buffer.from(xml));
    assert.equal(done.status, 200, done.text);
    const whole = Buffer.concat(parts);
    assert.equal(done.headers['x-cos-hash-crc64ecma'], crc64(whole));
    assertCosError(await raw('GET', `/${Bucket}/mp.bin`, { range: 'bytes=0-9' }), 'InvalidRequest');
    for (const [start, end] of [[MiB - 5, MiB + 20], [MiB + 2, 2 * MiB + 9], [0, whole.length - 1], [2 * MiB + 3, 2 * MiB + 3]] as const) {
      const res = await raw('GET', `/${Bucket}/mp.bin`, { ...k.headers(), range: `bytes=${start}-${end}` });
      assert.equal(res.status, 206);
      assert.ok(res.body.equals(whole.subarray(start, end + 1)), `bytes ${start}-${end}`);
    }
  });

  it('copy: the source needs its key (x-cos-copy-source-…); the copy is encrypted as its own headers say: another key, or none', async () => {
    const Bucket = await server.newBucket();
    const source = customerKey();
    const target = customerKey();
    const body = randomBytes(90 * 1024);
    await raw('PUT', `/${Bucket}/src`, source.headers(), body);
    const copySource = `${Bucket}.cos.${server.region}.myqcloud.com/src`;
    assertCosError(await raw('PUT', `/${Bucket}/no-key`, { 'x-cos-copy-source': copySource }), 'InvalidRequest');
    assertCosError(await raw('PUT', `/${Bucket}/wrong-key`, { 'x-cos-copy-source': copySource, ...target.headers('x-cos-copy-source-server-side-encryption') }), 'AccessDenied');
    const reKeyed = await raw('PUT', `/${Bucket}/rekeyed`, { 'x-cos-copy-source': copySource, ...source.headers('x-cos-copy-source-server-side-encryption'), ...target.headers() });
    assert.equal(reKeyed.status, 200, reKeyed.text);
    assert.equal(reKeyed.headers['x-cos-server-side-encryption-customer-key-md5'], target.headers()['x-cos-server-side-encryption-customer-key-MD5']);
    assertCosError(await raw('GET', `/${Bucket}/rekeyed`, source.headers()), 'AccessDenied');
    assert.deepEqual((await raw('GET', `/${Bucket}/rekeyed`, target.headers())).body, body);
    const plain = await raw('PUT', `/${Bucket}/plain`, { 'x-cos-copy-source': copySource, ...source.headers('x-cos-copy-source-server-side-encryption') });
    assert.equal(plain.status, 200, plain.text);
    const read = await raw('GET', `/${Bucket}/plain`);
    assert.deepEqual(read.body, body);
    assert.equal(read.headers['x-cos-server-side-encryption-customer-algorithm'], undefined);

    // Upload Part - Copy: the source's key to read a range of it, the part encrypted as its upload says (SSE-COS here).
    const init = await raw('POST', `/${Bucket}/assembled?uploads`, { 'x-cos-server-side-encryption': 'AES256' });
    const uploadId = String((init.xml?.['InitiateMultipartUploadResult'] as Record<string, unknown>)['UploadId']);
    const partUrl = `/${Bucket}/assembled?partNumber=1&uploadId=${uploadId}`;
    const range = { 'x-cos-copy-source': copySource, 'x-cos-copy-source-range': 'bytes=1000-50999' };
    assertCosError(await raw('PUT', partUrl, range), 'InvalidRequest');
    const copied = await raw('PUT', partUrl, { ...range, ...source.headers('x-cos-copy-source-server-side-encryption') });
    assert.equal(copied.status, 200, copied.text);
    assert.equal(copied.headers['x-cos-server-side-encryption'], 'AES256');
    const etag = String((copied.xml?.['CopyPartResult'] as Record<string, unknown>)['ETag']);
    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
    assert.equal((await raw('POST', `/${Bucket}/assembled?uploadId=${uploadId}`, {}, Buffer.from(xml))).status, 200);
    const assembled = await raw('GET', `/${Bucket}/assembled`);
    assert.equal(assembled.headers['x-cos-server-side-encryption'], 'AES256');
    assert.deepEqual(assembled.body, body.subarray(1000, 51000));
  });
});

/** Every file under the data directory (blob files, the SQLite database and its WAL, the key file). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('at rest', () => {
  it('a body cut short through the encrypting stage leaves no object and no blob', { skip: onDiskOnly('blob files') }, async () => {
    const Bucket = await server.newBucket();
    const before = (await server.blobFiles()).sort();
    const path = `/${Bucket}/short.bin`;
    const headers = { host: server.hostPort, 'x-cos-server-side-encryption': 'AES256' };
    const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'PUT', path, headers });
    await new Promise<void>((resolve) => {
      const [hostname, port] = server.hostPort.split(':');
      const socket = connect(Number(port), hostname ?? '127.0.0.1', () => {
        socket.write(`PUT ${path} HTTP/1.1\r\nHost: ${server.hostPort}\r\nx-cos-server-side-encryption: AES256\r\nAuthorization: ${auth}\r\nContent-Length: ${MiB}\r\n\r\n`);
        socket.write(Buffer.alloc(200 * 1024, 'x'), () => setTimeout(() => socket.destroy(), 50));
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    assert.equal((await raw('HEAD', path)).status, 404);
    // The server hears the cut after the client has gone; the collector frees the partial blob after that.
    await eventually('the partial blob is collected', async () => JSON.stringify((await server.blobFiles()).sort()) === JSON.stringify(before));
  });

  it('no plaintext of an SSE-COS or SSE-C object, inline or blob, single or multipart, is in any file under the data directory', { skip: onDiskOnly('bytes on disk') }, async () => {
    const Bucket = await server.newBucket();
    const marker = (tag: string): Buffer => Buffer.from(`PLAINTEXT-MARKER-${tag}-`.repeat(4096 / 24));
    const k = customerKey();
    const written: Buffer[] = [];
    for (const [tag, headers, size] of [
      ['cos-inline', { 'x-cos-server-side-encryption': 'AES256' }, 4096],
      ['cos-blob', { 'x-cos-server-side-encryption': 'AES256' }, 200 * 1024],
      ['c-inline', k.headers(), 4096],
      ['c-blob', k.headers(), 200 * 1024],
    ] as const) {
      const body = Buffer.concat(Array.from({ length: size / 4096 }, () => marker(tag)));
      written.push(marker(tag).subarray(0, 64));
      assert.equal((await raw('PUT', `/${Bucket}/${tag}`, headers, body)).status, 200);
    }
    const init = await cos.multipartInit({ Bucket, Region: server.region, Key: 'mp', Headers: { 'x-cos-server-side-encryption': 'AES256' } });
    const partBody = Buffer.concat(Array.from({ length: 300 }, () => marker('cos-part')));
    written.push(marker('cos-part').subarray(0, 64));
    const uploaded = await cos.multipartUpload({ Bucket, Region: server.region, Key: 'mp', UploadId: init.UploadId, PartNumber: 1, Body: partBody });
    assert.equal(uploaded.headers?.['x-cos-server-side-encryption'], 'AES256');
    await cos.multipartComplete({ Bucket, Region: server.region, Key: 'mp', UploadId: init.UploadId, Parts: [{ PartNumber: 1, ETag: uploaded.ETag }] });
    // Once the collector is done with the parts' names; the SQLite WAL holds the inline rows until a checkpoint: both files are read.
    await server.blobFiles();
    const files = await filesUnder(server.dataDir);
    assert.ok(files.some((f) => f.endsWith('sse-cos.key')), 'the server key lives in the data directory');
    for (const file of files) {
      const bytes = await readFile(file);
      for (const plain of written) assert.ok(!bytes.includes(plain), `plaintext ${plain.subarray(0, 24).toString()} in ${file}`);
    }
    // And the objects still read back whole.
    assert.ok((await raw('GET', `/${Bucket}/c-blob`, k.headers())).body.includes(written[3] ?? Buffer.alloc(1)));
    assert.deepEqual((await cos.getObject({ Bucket, Region: server.region, Key: 'mp' })).Body, partBody);
  });
});
