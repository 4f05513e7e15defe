// awscli (Debian bookworm's `awscli` package: aws-cli 2.9) against coslocal, configured as COS documents it for its
// S3 endpoint: `--endpoint-url http://cos.<region>.myqcloud.com`, virtual-hosted addressing, SigV4, its default 8 MB
// multipart threshold; coslocal is its HTTP proxy, so the real host names need no DNS.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { S3_ALL_USERS } from '../../src/domain/acl.ts';
import {
  BIG_KEY,
  OWNER,
  SMALL_KEY,
  assertBucketExists,
  assertBucketGone,
  assertPresignedGet,
  assertSameFile,
  assertSamePolicy,
  assertUploaded,
  bucketAclGrants,
  findTool,
  interopBucket,
  otherCanRead,
  requireTool,
  run,
  s3Policy,
  skipUnless,
  startInterop,
  type Interop,
} from './harness.ts';

const found = await findTool(['/usr/bin/aws', 'aws'], ['--version'], /aws-cli\//);

describe('awscli', skipUnless(found, 'awscli'), () => {
  let x: Interop;
  let env: NodeJS.ProcessEnv;
  const region = 'ap-chengdu';
  const bucket = interopBucket('awscli', region);
  const aws = (...args: string[]) => run(requireTool(found, 'awscli'), ['--endpoint-url', `http://cos.${region}.myqcloud.com`, ...args], env);

  before(async () => {
    x = await startInterop();
    env = {
      AWS_ACCESS_KEY_ID: OWNER.secretId,
      AWS_SECRET_ACCESS_KEY: OWNER.secretKey,
      AWS_DEFAULT_REGION: region,
      HTTP_PROXY: x.endpoint,
      AWS_CONFIG_FILE: join(x.dir, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(x.dir, 'aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    };
    await writeFile(env['AWS_CONFIG_FILE']!, '');
    await run(requireTool(found, 'awscli'), ['configure', 'set', 'default.s3.addressing_style', 'virtual'], env);
  });
  after(() => x?.close());

  it('makes a bucket', async () => {
    const v = await run(requireTool(found, 'awscli'), ['--version'], env);
    console.log(`# ${v.stdout.trim()}`);
    await aws('s3', 'mb', `s3://${bucket}`);
    await assertBucketExists(x, bucket);
  });

  it('uploads a small file and a 50 MB file (multipart)', async () => {
    await aws('s3', 'cp', x.small.path, `s3://${bucket}/${SMALL_KEY}`);
    await aws('s3', 'cp', x.big.path, `s3://${bucket}/${BIG_KEY}`);
    assert.ok((await assertUploaded(x, bucket)) > 1);
  });

  it('lists', async () => {
    const out = (await aws('s3', 'ls', `s3://${bucket}`, '--recursive')).stdout;
    assert.match(out, new RegExp(`\\s${x.small.size}\\s+${SMALL_KEY}$`, 'm'));
    assert.match(out, new RegExp(`\\s${x.big.size}\\s+${BIG_KEY}$`, 'm'));
    const api = JSON.parse((await aws('s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'big/')).stdout) as { Contents: { Key: string }[] };
    assert.deepEqual(api.Contents.map((c) => c.Key), [BIG_KEY]);
  });

  it('downloads both and they are byte for byte the same', async () => {
    await aws('s3', 'cp', `s3://${bucket}/${SMALL_KEY}`, join(x.dir, 'small.down'));
    await aws('s3', 'cp', `s3://${bucket}/${BIG_KEY}`, join(x.dir, 'big.down'));
    await assertSameFile(join(x.dir, 'small.down'), x.small);
    await assertSameFile(join(x.dir, 'big.down'), x.big);
  });

  it('presigns a GET that plain HTTP can fetch', async () => {
    const url = (await aws('s3', 'presign', `s3://${bucket}/${SMALL_KEY}`, '--expires-in', '300')).stdout.trim();
    await assertPresignedGet(x, url, x.small);
  });

  it('puts and reads a bucket ACL', async () => {
    await aws('s3api', 'put-bucket-acl', '--bucket', bucket, '--acl', 'public-read');
    const read = JSON.parse((await aws('s3api', 'get-bucket-acl', '--bucket', bucket)).stdout) as { Grants: { Grantee: { URI?: string }; Permission: string }[] };
    // S3 callers read S3's group URIs, whatever form the grant was written in.
    assert.ok(read.Grants.some((g) => g.Grantee.URI === S3_ALL_USERS && g.Permission === 'READ'), JSON.stringify(read));
    assert.ok((await bucketAclGrants(x, bucket)).includes(`${S3_ALL_USERS}:READ`));
    await aws('s3api', 'put-bucket-acl', '--bucket', bucket, '--acl', 'private');
  });

  it('puts and reads a bucket policy (S3 dialect)', async () => {
    const policy = s3Policy(bucket);
    assert.equal(await otherCanRead(x, bucket), false);
    await writeFile(join(x.dir, 'policy.json'), policy);
    await aws('s3api', 'put-bucket-policy', '--bucket', bucket, '--policy', `file://${join(x.dir, 'policy.json')}`);
    const read = JSON.parse((await aws('s3api', 'get-bucket-policy', '--bucket', bucket)).stdout) as { Policy: string };
    assert.equal(read.Policy, policy);
    assertSamePolicy(read.Policy, policy);
    assert.equal(await otherCanRead(x, bucket), true);
    await aws('s3api', 'delete-bucket-policy', '--bucket', bucket);
  });

  it('deletes everything', async () => {
    await aws('s3', 'rm', `s3://${bucket}`, '--recursive');
    await aws('s3', 'rb', `s3://${bucket}`);
    await assertBucketGone(x, bucket);
  });
});
