// @aws-sdk/client-s3 v3 with default settings (+ forcePathStyle) and @aws-sdk/lib-storage's Upload, the SDK's
// own multipart uploader (5 MiB parts, 4 at a time by default), against coslocal.
import assert from 'node:assert/strict';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { S3_ALL_USERS } from '../../src/domain/acl.ts';
import {
  BIG_KEY,
  OWNER,
  SMALL_KEY,
  assertBucketExists,
  assertBucketGone,
  assertPresignedGet,
  assertSameFile,
  assertUploaded,
  interopBucket,
  otherCanRead,
  s3Policy,
  startInterop,
  type Interop,
} from './harness.ts';

describe('@aws-sdk/client-s3 v3 (default settings, forcePathStyle)', () => {
  let x: Interop;
  let s3: S3Client;
  const Bucket = interopBucket('aws-sdk-js', 'ap-guangzhou');

  before(async () => {
    x = await startInterop();
    s3 = new S3Client({
      region: x.region,
      endpoint: x.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: OWNER.secretId, secretAccessKey: OWNER.secretKey },
    });
  });
  after(async () => {
    s3?.destroy();
    await x?.close();
  });

  it('makes a bucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket }));
    await assertBucketExists(x, Bucket);
  });

  it('uploads a small file and a 50 MB file (multipart through lib-storage Upload)', async () => {
    for (const [Key, file] of [
      [SMALL_KEY, x.small],
      [BIG_KEY, x.big],
    ] as const) {
      await new Upload({ client: s3, params: { Bucket, Key, Body: createReadStream(file.path) } }).done();
    }
    assert.ok((await assertUploaded(x, Bucket)) > 1);
  });

  it('lists', async () => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket }));
    assert.deepEqual(
      listed.Contents?.map((o) => [o.Key, o.Size]),
      [
        [BIG_KEY, x.big.size],
        [SMALL_KEY, x.small.size],
      ],
    );
  });

  it('downloads both and they are byte for byte the same', async () => {
    for (const [Key, file, name] of [
      [SMALL_KEY, x.small, 'small.down'],
      [BIG_KEY, x.big, 'big.down'],
    ] as const) {
      const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
      await pipeline(got.Body as Readable, createWriteStream(join(x.dir, name)));
      await assertSameFile(join(x.dir, name), file);
    }
  });

  it('presigns a GET that plain HTTP can fetch', async () => {
    await assertPresignedGet(x, await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: SMALL_KEY }), { expiresIn: 300 }), x.small);
  });

  it('puts and reads a bucket ACL', async () => {
    await s3.send(new PutBucketAclCommand({ Bucket, ACL: 'public-read' }));
    const acl = await s3.send(new GetBucketAclCommand({ Bucket }));
    assert.ok(acl.Grants?.some((g) => g.Grantee?.URI === S3_ALL_USERS && g.Permission === 'READ'));
    await s3.send(new PutBucketAclCommand({ Bucket, ACL: 'private' }));
  });

  it('puts and reads a bucket policy (S3 dialect)', async () => {
    const Policy = s3Policy(Bucket);
    assert.equal(await otherCanRead(x, Bucket), false);
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
    assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy, Policy);
    assert.equal(await otherCanRead(x, Bucket), true);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
  });

  it('deletes everything', async () => {
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: SMALL_KEY }, { Key: BIG_KEY }] } }));
    assert.equal(deleted.Deleted?.length, 2);
    await s3.send(new DeleteBucketCommand({ Bucket }));
    await assertBucketGone(x, Bucket);
  });
});
