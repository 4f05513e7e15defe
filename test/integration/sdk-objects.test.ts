// Every core bucket and object operation through cos-nodejs-sdk-v5, configured exactly as the banner prints it.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { crc64 } from '../../src/util/crc64.ts';
import { sendUrl } from '../helpers/raw.ts';
import { codeOf, OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cos: COS;
let region: string;

before(async () => {
  server = await startTestServer();
  cos = server.sdk();
  region = server.region;
});
after(() => server.close());

const newBucket = (): Promise<string> => server.newBucket();


describe('buckets', () => {
  it('creates, heads, lists in GET Service, locates and deletes a bucket', async () => {
    const Bucket = await newBucket();
    const head = await cos.headBucket({ Bucket, Region: region });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers?.['x-cos-bucket-region'], region);
    const service = await cos.getService({});
    assert.ok(service.Buckets.some((b) => b.Name === Bucket && b.Location === region));
    assert.ok(service.Buckets.some((b) => b.Name === `seeded-${OWNER.appid}`), 'seeded bucket listed');
    assert.equal(service.Owner.ID, `qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}`);
    const location = (await cos.getBucketLocation({ Bucket, Region: region })) as unknown as { LocationConstraint: string };
    assert.equal(location.LocationConstraint, region);
    await cos.deleteBucket({ Bucket, Region: region });
    assert.equal(await codeOf(cos.headBucket({ Bucket, Region: region })), '404');
  });

  it('answers BucketAlreadyOwnedByYou, BucketNotEmpty and NoSuchBucket', async () => {
    const Bucket = await newBucket();
    assert.equal(await codeOf(cos.putBucket({ Bucket, Region: region })), 'BucketAlreadyOwnedByYou');
    await cos.putObject({ Bucket, Region: region, Key: 'x', Body: 'x' });
    assert.equal(await codeOf(cos.deleteBucket({ Bucket, Region: region })), 'BucketNotEmpty');
    assert.equal(await codeOf(cos.getBucket({ Bucket: uniqueBucket(), Region: region })), 'NoSuchBucket');
  });

  it('takes full bucket names of up to 63 characters, as production does, and refuses 64 with BucketNameTooLong', async () => {
    // The official Python suite's name: a 77-character host, over the 60 COS documents.
    const suiteName = `cos-python-v5-test-3-11-ap-guangzhou-${OWNER.appid}`;
    const longest = `${'b'.repeat(63 - OWNER.appid.length - 1)}-${OWNER.appid}`;
    for (const Bucket of [suiteName, longest, `clients-rclone-path-1733580000-${OWNER.appid}`]) {
      await cos.putBucket({ Bucket, Region: region });
      await cos.putObject({ Bucket, Region: region, Key: 'k', Body: 'v' });
      assert.equal((await cos.getObject({ Bucket, Region: region, Key: 'k' })).Body.toString(), 'v', Bucket);
    }
    assert.equal(longest.length, 63);
    // The SDK itself rejects malformed names before sending; test/integration/auth-and-errors.test.ts sends them raw.
    assert.equal(await codeOf(cos.putBucket({ Bucket: `b${longest}`, Region: region })), 'BucketNameTooLong');
  });
});

describe('objects', () => {
  it('puts, gets, heads and deletes with metadata, ETag and CRC64', async () => {
    const Bucket = await newBucket();
    const Key = 'dir/hello wörld+(1).txt';
    const body = 'hello, coslocal';
    const put = await cos.putObject({
      Bucket,
      Region: region,
      Key,
      Body: body,
      ContentType: 'text/plain',
      ContentDisposition: 'attachment; filename="h.txt"',
      CacheControl: 'max-age=60',
      Expires: 'Wed, 21 Oct 2026 07:28:00 GMT',
      ContentEncoding: 'identity',
      Headers: { 'x-cos-meta-color': 'blue' },
    });
    const md5 = createHash('md5').update(body).digest('hex');
    assert.equal(put.ETag, `"${md5}"`);
    assert.equal(put.headers?.['x-cos-hash-crc64ecma'], crc64(Buffer.from(body)));

    const got = await cos.getObject({ Bucket, Region: region, Key });
    assert.equal(got.Body.toString(), body);
    assert.equal(got.headers?.['content-type'], 'text/plain');
    assert.equal(got.headers?.['content-disposition'], 'attachment; filename="h.txt"');
    assert.equal(got.headers?.['cache-control'], 'max-age=60');
    assert.equal(got.headers?.['expires'], 'Wed, 21 Oct 2026 07:28:00 GMT');
    assert.equal(got.headers?.['content-encoding'], 'identity');
    assert.equal(got.headers?.['x-cos-meta-color'], 'blue');
    assert.equal(got.headers?.['x-cos-hash-crc64ecma'], crc64(Buffer.from(body)));

    const head = await cos.headObject({ Bucket, Region: region, Key });
    assert.equal(head.headers?.['content-length'], String(body.length));
    assert.equal(head.ETag, `"${md5}"`);

    await cos.deleteObject({ Bucket, Region: region, Key });
    assert.equal(await codeOf(cos.getObject({ Bucket, Region: region, Key })), 'NoSuchKey');
    assert.equal(await codeOf(cos.headObject({ Bucket, Region: region, Key })), '404');
  });

  it('gives large bodies (hashed on a worker thread) the same ETag and CRC64, and checks their Content-MD5', async () => {
    const Bucket = await newBucket();
    const body = randomBytes(3 * 1024 * 1024 + 5);
    const md5 = createHash('md5').update(body);
    const md5Hex = md5.copy().digest('hex');
    const put = await cos.putObject({ Bucket, Region: region, Key: 'big', Body: body });
    assert.equal(put.ETag, `"${md5Hex}"`);
    assert.equal(put.headers?.['x-cos-hash-crc64ecma'], crc64(body));
    const head = await cos.headObject({ Bucket, Region: region, Key: 'big' });
    assert.equal(head.headers?.['x-cos-hash-crc64ecma'], crc64(body));

    const wrong = createHash('md5').update('other').digest('base64');
    const bad = await codeOf(cos.putObject({ Bucket, Region: region, Key: 'big', Body: randomBytes(body.length), Headers: { 'Content-MD5': wrong } }));
    assert.equal(bad, 'BadDigest');
    assert.ok((await cos.getObject({ Bucket, Region: region, Key: 'big' })).Body.equals(body));
    const good = await cos.putObject({ Bucket, Region: region, Key: 'big2', Body: body, Headers: { 'Content-MD5': md5.digest('base64') } });
    assert.equal(good.ETag, `"${md5Hex}"`);
  });

  it('overwrites an object with the new bytes', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: region, Key: 'k', Body: 'one' });
    await cos.putObject({ Bucket, Region: region, Key: 'k', Body: 'two!' });
    assert.equal((await cos.getObject({ Bucket, Region: region, Key: 'k' })).Body.toString(), 'two!');
  });

  it('serves one Range with 206 and refuses an unsatisfiable one with 416', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: region, Key: 'r', Body: '0123456789' });
    const part = await cos.getObject({ Bucket, Region: region, Key: 'r', Range: 'bytes=2-5' });
    assert.equal(part.statusCode, 206);
    assert.equal(part.Body.toString(), '2345');
    assert.equal(part.headers?.['content-range'], 'bytes 2-5/10');
    const suffix = await cos.getObject({ Bucket, Region: region, Key: 'r', Range: 'bytes=-3' });
    assert.equal(suffix.Body.toString(), '789');
    const open = await cos.getObject({ Bucket, Region: region, Key: 'r', Range: 'bytes=7-' });
    assert.equal(open.Body.toString(), '789');
    const clamp = await cos.getObject({ Bucket, Region: region, Key: 'r', Range: 'bytes=8-100' });
    assert.equal(clamp.Body.toString(), '89');
    assert.equal(await codeOf(cos.getObject({ Bucket, Region: region, Key: 'r', Range: 'bytes=10-20' })), 'InvalidRange');
  });

  it('honours If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since', async () => {
    const Bucket = await newBucket();
    const put = await cos.putObject({ Bucket, Region: region, Key: 'c', Body: 'cond' });
    const etag = put.ETag;
    const past = new Date(Date.now() - 3600_000).toUTCString();
    const future = new Date(Date.now() + 3600_000).toUTCString();
    assert.equal((await cos.getObject({ Bucket, Region: region, Key: 'c', IfMatch: etag })).statusCode, 200);
    assert.equal(await codeOf(cos.getObject({ Bucket, Region: region, Key: 'c', IfMatch: '"nope"' })), 'PreconditionFailed');
    const notModified = await cos.getObject({ Bucket, Region: region, Key: 'c', IfNoneMatch: etag }).catch((e: { statusCode: number }) => e);
    assert.equal((notModified as { statusCode: number }).statusCode, 304);
    // The SDK turns a 304 answering If-Modified-Since into { NotModified: true }.
    const ims = (await cos.getObject({ Bucket, Region: region, Key: 'c', IfModifiedSince: future })) as unknown as { NotModified?: boolean };
    assert.equal(ims.NotModified, true);
    assert.equal((await cos.getObject({ Bucket, Region: region, Key: 'c', IfModifiedSince: past })).statusCode, 200);
    assert.equal(await codeOf(cos.getObject({ Bucket, Region: region, Key: 'c', IfUnmodifiedSince: past })), 'PreconditionFailed');
    // IfModifiedSince is missing from the SDK's HeadObjectParams typing, though the SDK sends it.
    const headParams = { Bucket, Region: region, Key: 'c', IfModifiedSince: future } as COS.HeadObjectParams;
    const head = (await cos.headObject(headParams)) as unknown as { NotModified?: boolean };
    assert.equal(head.NotModified, true);
  });

  it('applies response-* overrides on GET', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: region, Key: 'o', Body: 'x', ContentType: 'text/plain' });
    const got = await cos.getObject({
      Bucket,
      Region: region,
      Key: 'o',
      ResponseContentType: 'application/json',
      ResponseContentDisposition: 'attachment; filename="o.json"',
      ResponseCacheControl: 'no-cache',
    });
    assert.equal(got.headers?.['content-type'], 'application/json');
    assert.equal(got.headers?.['content-disposition'], 'attachment; filename="o.json"');
    assert.equal(got.headers?.['cache-control'], 'no-cache');
  });

  it('copies objects with metadata directive Copy and Replaced', async () => {
    const Bucket = await newBucket();
    const Target = await newBucket();
    await cos.putObject({ Bucket, Region: region, Key: 'src key.txt', Body: 'copy me', ContentType: 'text/plain', Headers: { 'x-cos-meta-a': '1' } });
    const CopySource = `${Bucket}.cos.${region}.myqcloud.com/${encodeURIComponent('src key.txt')}`;
    const copied = await cos.putObjectCopy({ Bucket: Target, Region: region, Key: 'dst.txt', CopySource });
    assert.equal(copied.ETag, `"${createHash('md5').update('copy me').digest('hex')}"`);
    const got = await cos.getObject({ Bucket: Target, Region: region, Key: 'dst.txt' });
    assert.equal(got.Body.toString(), 'copy me');
    assert.equal(got.headers?.['x-cos-meta-a'], '1');
    assert.equal(got.headers?.['content-type'], 'text/plain');

    await cos.putObjectCopy({
      Bucket: Target,
      Region: region,
      Key: 'dst2.txt',
      CopySource,
      MetadataDirective: 'Replaced',
      ContentType: 'application/x-test',
      Headers: { 'x-cos-meta-b': '2' },
    });
    const replaced = await cos.headObject({ Bucket: Target, Region: region, Key: 'dst2.txt' });
    assert.equal(replaced.headers?.['content-type'], 'application/x-test');
    assert.equal(replaced.headers?.['x-cos-meta-b'], '2');
    assert.equal(replaced.headers?.['x-cos-meta-a'], undefined);

    const missing = `${Bucket}.cos.${region}.myqcloud.com/nope`;
    assert.equal(await codeOf(cos.putObjectCopy({ Bucket: Target, Region: region, Key: 'x', CopySource: missing })), 'NoSuchKey');
    assert.equal(
      await codeOf(cos.putObjectCopy({ Bucket, Region: region, Key: 'src key.txt', CopySource })),
      'InvalidRequest',
      'copying onto itself without new metadata',
    );
  });

  it('deletes multiple objects, verbose and quiet', async () => {
    const Bucket = await newBucket();
    for (const Key of ['a', 'b', 'c & d']) await cos.putObject({ Bucket, Region: region, Key, Body: Key });
    const verbose = await cos.deleteMultipleObject({ Bucket, Region: region, Objects: [{ Key: 'a' }, { Key: 'c & d' }, { Key: 'never' }] });
    assert.deepEqual(verbose.Deleted.map((d) => d.Key).sort(), ['a', 'c & d', 'never']);
    assert.equal(verbose.Error.length, 0);
    const quiet = await cos.deleteMultipleObject({ Bucket, Region: region, Quiet: true, Objects: [{ Key: 'b' }] });
    assert.equal(quiet.Deleted.length, 0);
    const left = await cos.getBucket({ Bucket, Region: region });
    assert.equal(left.Contents.length, 0);
  });

  it('uploads a small file with uploadFile and fetches it with a presigned URL', async () => {
    const Bucket = await newBucket();
    const FilePath = join(server.dataDir, 'upload.bin');
    const bytes = randomBytes(200_000);
    await writeFile(FilePath, bytes);
    await cos.uploadFile({ Bucket, Region: region, Key: 'up.bin', FilePath });
    const url = cos.getObjectUrl({ Bucket, Region: region, Key: 'up.bin', Sign: true }, () => undefined);
    const res = await sendUrl(server.hostPort, url);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, bytes);
  });

  it('accepts a presigned PUT URL', async () => {
    const Bucket = await newBucket();
    const url = cos.getObjectUrl({ Bucket, Region: region, Key: 'presigned put.txt', Sign: true, Method: 'PUT' }, () => undefined);
    const res = await sendUrl(server.hostPort, url, { method: 'PUT', body: 'via url' });
    assert.equal(res.status, 200);
    assert.equal((await cos.getObject({ Bucket, Region: region, Key: 'presigned put.txt' })).Body.toString(), 'via url');
  });
});

describe('listing', () => {
  it('pages with prefix, delimiter, marker, max-keys and encoding-type=url', async () => {
    const Bucket = await newBucket();
    const keys = ['a/1', 'a/2', 'a/b/3', 'b/1', 'c', 'd e', 'é'];
    for (const Key of keys) await cos.putObject({ Bucket, Region: region, Key, Body: Key });

    const top = await cos.getBucket({ Bucket, Region: region, Delimiter: '/' });
    assert.deepEqual(top.CommonPrefixes.map((p) => p.Prefix), ['a/', 'b/']);
    assert.deepEqual(top.Contents.map((c) => c.Key), ['c', 'd e', 'é']);

    const underA = await cos.getBucket({ Bucket, Region: region, Prefix: 'a/', Delimiter: '/' });
    assert.deepEqual(underA.Contents.map((c) => c.Key), ['a/1', 'a/2']);
    assert.deepEqual(underA.CommonPrefixes.map((p) => p.Prefix), ['a/b/']);

    // Page through everything two at a time: no loss, no duplicates, byte order.
    const seen: string[] = [];
    let Marker = '';
    for (let page = 0; page < 10; page++) {
      const res = await cos.getBucket({ Bucket, Region: region, MaxKeys: 2, Marker, Delimiter: '/' });
      seen.push(...res.CommonPrefixes.map((p) => p.Prefix), ...res.Contents.map((c) => c.Key));
      if (res.IsTruncated !== 'true') break;
      Marker = res.NextMarker ?? '';
    }
    assert.deepEqual(seen.sort(), ['a/', 'b/', 'c', 'd e', 'é'].sort());

    const encoded = await cos.getBucket({ Bucket, Region: region, Prefix: 'd', EncodingType: 'url' });
    assert.deepEqual(encoded.Contents.map((c) => c.Key), ['d%20e']);
  });

  it('refuses a multi-character delimiter and a bad max-keys', async () => {
    const Bucket = await newBucket();
    assert.equal(await codeOf(cos.getBucket({ Bucket, Region: region, Delimiter: '//' })), 'InvalidDelimiter');
    assert.equal(await codeOf(cos.getBucket({ Bucket, Region: region, MaxKeys: -1 as unknown as number })), 'InvalidArgument');
  });
});
