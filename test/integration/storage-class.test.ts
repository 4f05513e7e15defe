// Storage classes: stored from x-cos-storage-class (or x-amz-storage-class), returned on HEAD/GET and in
// every listing, under COS's names to COS clients and S3's to S3 clients (cos-nodejs-sdk-v5, @aws-sdk/client-s3).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type COS from 'cos-nodejs-sdk-v5';
import { multipartBody } from '../helpers/post-form.ts';
import { errorOf, send } from '../helpers/raw.ts';
import { codeOf, OWNER, startTestServer, type TestServer } from '../helpers/server.ts';
import { s3Client } from '../helpers/s3.ts';

let server: TestServer;
let cos: COS;
let s3: S3Client;
const Region = (): string => server.region;

before(async () => {
  server = await startTestServer();
  cos = server.sdk();
  s3 = s3Client(server);
});
after(async () => {
  s3.destroy();
  await server.close();
});

const newBucket = (): Promise<string> => server.newBucket();

async function classOf(Bucket: string, Key: string): Promise<string | undefined> {
  const head = await cos.headObject({ Bucket, Region: Region(), Key });
  return head.headers?.['x-cos-storage-class'];
}

describe('storage classes through the COS SDK', () => {
  it('stores the class of a PUT and returns it on HEAD, GET and GET Bucket; STANDARD sends no header', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: Region(), Key: 'ia.txt', Body: 'ia', StorageClass: 'STANDARD_IA' });
    await cos.putObject({ Bucket, Region: Region(), Key: 'plain.txt', Body: 'plain' });
    // COS SDKs document mixed-case spellings (`Standard_IA`); COS answers with the upper-case name.
    await cos.putObject({ Bucket, Region: Region(), Key: 'mixed.txt', Body: 'm', Headers: { 'x-cos-storage-class': 'Deep_Archive' } });
    assert.equal(await classOf(Bucket, 'ia.txt'), 'STANDARD_IA');
    assert.equal(await classOf(Bucket, 'plain.txt'), undefined);
    assert.equal(await classOf(Bucket, 'mixed.txt'), 'DEEP_ARCHIVE');
    const get = await cos.getObject({ Bucket, Region: Region(), Key: 'ia.txt' });
    assert.equal(get.headers?.['x-cos-storage-class'], 'STANDARD_IA');
    const list = await cos.getBucket({ Bucket, Region: Region() });
    assert.deepEqual(
      list.Contents.map((c) => [c.Key, c.StorageClass]),
      [['ia.txt', 'STANDARD_IA'], ['mixed.txt', 'DEEP_ARCHIVE'], ['plain.txt', 'STANDARD']],
    );
  });

  it('lists each version with its own class', async () => {
    const Bucket = await newBucket();
    await cos.putBucketVersioning({ Bucket, Region: Region(), VersioningConfiguration: { Status: 'Enabled' } });
    await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: '1', StorageClass: 'INTELLIGENT_TIERING' });
    await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: '2', StorageClass: 'MAZ_STANDARD' });
    const versions = await cos.listObjectVersions({ Bucket, Region: Region() });
    assert.deepEqual(versions.Versions.map((v) => v.StorageClass), ['MAZ_STANDARD', 'INTELLIGENT_TIERING']);
  });

  it('gives a multipart upload the class of its initiation, shown by List Uploads, List Parts and the object', async () => {
    const Bucket = await newBucket();
    const Key = 'big.bin';
    const init = await cos.multipartInit({ Bucket, Region: Region(), Key, StorageClass: 'ARCHIVE' });
    const part = await cos.multipartUpload({ Bucket, Region: Region(), Key, UploadId: init.UploadId, PartNumber: 1, Body: 'only part' });
    const uploads = await cos.multipartList({ Bucket, Region: Region(), Prefix: '', Delimiter: '' });
    assert.deepEqual(uploads.Upload?.map((u) => u.StorageClass), ['ARCHIVE']);
    const parts = await cos.multipartListPart({ Bucket, Region: Region(), Key, UploadId: init.UploadId });
    assert.equal(parts.StorageClass, 'ARCHIVE');
    await cos.multipartComplete({ Bucket, Region: Region(), Key, UploadId: init.UploadId, Parts: [{ PartNumber: 1, ETag: part.ETag }] });
    assert.equal(await classOf(Bucket, Key), 'ARCHIVE');
  });

  it('a copy takes the class its own header names, STANDARD without one; a self-copy with a new class changes it', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: Region(), Key: 'src', Body: 'data', StorageClass: 'STANDARD_IA', Headers: { 'x-cos-meta-a': '1' } });
    const CopySource = `${Bucket}.cos.${Region()}.myqcloud.com/src`;
    await cos.putObjectCopy({ Bucket, Region: Region(), Key: 'default', CopySource });
    assert.equal(await classOf(Bucket, 'default'), undefined);
    await cos.putObjectCopy({ Bucket, Region: Region(), Key: 'archived', CopySource, StorageClass: 'ARCHIVE' });
    assert.equal(await classOf(Bucket, 'archived'), 'ARCHIVE');
    // Onto itself: the same class is no change (refused, as S3 refuses it), a new one is the documented way to change it.
    assert.equal(await codeOf(cos.putObjectCopy({ Bucket, Region: Region(), Key: 'src', CopySource, StorageClass: 'STANDARD_IA' })), 'InvalidRequest');
    await cos.putObjectCopy({ Bucket, Region: Region(), Key: 'src', CopySource, StorageClass: 'MAZ_STANDARD_IA' });
    const head = await cos.headObject({ Bucket, Region: Region(), Key: 'src' });
    assert.equal(head.headers?.['x-cos-storage-class'], 'MAZ_STANDARD_IA');
    assert.equal(head.headers?.['x-cos-meta-a'], '1', 'metadata kept by the Copy directive');
  });

  it('stores the class of a POST Object form', async () => {
    const Bucket = await newBucket();
    await cos.putBucketAcl({ Bucket, Region: Region(), ACL: 'public-read-write' });
    const { body, contentType } = multipartBody({ key: 'form.txt', 'x-cos-storage-class': 'STANDARD_IA' }, { filename: 'a.txt', content: 'form' });
    const res = await send(server.hostPort, { method: 'POST', url: `/${Bucket}/`, body, headers: { 'content-type': contentType } });
    assert.equal(res.status, 204);
    assert.equal(await classOf(Bucket, 'form.txt'), 'STANDARD_IA');
  });

  it('refuses an unknown class with InvalidArgument and stores nothing', async () => {
    const Bucket = await newBucket();
    const res = await send(server.hostPort, {
      method: 'PUT',
      url: `/${Bucket}/bad.txt`,
      body: 'x',
      headers: { 'x-cos-storage-class': 'COLD' },
      signAs: OWNER,
    });
    assert.equal(res.status, 400);
    assert.equal(errorOf(res)['Code'], 'InvalidArgument');
    assert.ok(errorOf(res)['RequestId']);
    assert.equal(await codeOf(cos.headObject({ Bucket, Region: Region(), Key: 'bad.txt' })), '404');
    assert.equal(await codeOf(cos.multipartInit({ Bucket, Region: Region(), Key: 'bad', StorageClass: 'REDUCED_REDUNDANCY' as 'STANDARD' })), 'InvalidArgument');
  });
});

describe('storage classes through the S3 SDK', () => {
  it("speaks S3's names: GLACIER is COS's ARCHIVE, the rest are the same words", async () => {
    const Bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket, Key: 'cold', Body: 'c', StorageClass: 'GLACIER' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'ia', Body: 'i', StorageClass: 'STANDARD_IA' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'std', Body: 's' }));
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'cold' }))).StorageClass, 'GLACIER');
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'std' }))).StorageClass, undefined);
    const list = await s3.send(new ListObjectsV2Command({ Bucket }));
    assert.deepEqual(
      list.Contents?.map((c) => [c.Key, c.StorageClass]),
      [['cold', 'GLACIER'], ['ia', 'STANDARD_IA'], ['std', 'STANDARD']],
    );
    // The same object read by a COS client carries COS's name.
    assert.equal(await classOf(Bucket, 'cold'), 'ARCHIVE');
    await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mp', StorageClass: 'DEEP_ARCHIVE' }));
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
    assert.deepEqual(uploads.Uploads?.map((u) => u.StorageClass), ['DEEP_ARCHIVE']);
  });

  it("refuses S3 classes COS lacks with COS's InvalidArgument", async () => {
    const Bucket = await newBucket();
    await assert.rejects(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', StorageClass: 'ONEZONE_IA' })), { name: 'InvalidArgument' });
  });
});
