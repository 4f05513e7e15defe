// s3cmd (Debian bookworm: 2.3) against coslocal: the .s3cfg COS documents (host_base cos.<region>.myqcloud.com,
// host_bucket %(bucket)s.cos.<region>.myqcloud.com) with coslocal as its proxy, plain HTTP, SigV4, its default
// 15 MB multipart chunks; its `signurl` (SigV2 only), and a second .s3cfg with `signature_v2 = True`.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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
  plainRequest,
  requireTool,
  run,
  s3Policy,
  skipUnless,
  startInterop,
  type Interop,
} from './harness.ts';
import { S3_ALL_USERS } from '../../src/domain/acl.ts';

const found = await findTool(['/usr/bin/s3cmd', 's3cmd'], ['--version'], /s3cmd version/);

describe('s3cmd', skipUnless(found, 's3cmd'), () => {
  let x: Interop;
  let config: string;
  const region = 'ap-guangzhou';
  const bucket = interopBucket('s3cmd', region);
  const s3cmd = async (...args: string[]): Promise<string> => (await run(requireTool(found, 's3cmd'), ['-c', config, ...args])).stdout;

  before(async () => {
    x = await startInterop();
    config = join(x.dir, 's3cfg');
    await writeFile(
      config,
      [
        '[default]',
        `access_key = ${OWNER.secretId}`,
        `secret_key = ${OWNER.secretKey}`,
        `host_base = cos.${region}.myqcloud.com`,
        `host_bucket = %(bucket)s.cos.${region}.myqcloud.com`,
        `bucket_location = ${region}`,
        // The real host names need no DNS: coslocal serves proxy requests itself.
        'proxy_host = 127.0.0.1',
        `proxy_port = ${x.server.app.port}`,
        'use_https = False',
        'signature_v2 = False',
        '',
      ].join('\n'),
    );
  });
  after(() => x?.close());

  it('makes a bucket', async () => {
    console.log(`# ${(await s3cmd('--version')).trim()}`);
    await s3cmd('mb', `s3://${bucket}`);
    await assertBucketExists(x, bucket);
  });

  it('uploads a small file and a 50 MB file (multipart)', async () => {
    await s3cmd('put', x.small.path, `s3://${bucket}/${SMALL_KEY}`);
    await s3cmd('put', x.big.path, `s3://${bucket}/${BIG_KEY}`);
    assert.ok((await assertUploaded(x, bucket)) > 1);
  });

  it('lists', async () => {
    const out = await s3cmd('ls', '--recursive', `s3://${bucket}`);
    assert.match(out, new RegExp(`\\s${x.small.size}\\s+s3://${bucket}/${SMALL_KEY}$`, 'm'));
    assert.match(out, new RegExp(`\\s${x.big.size}\\s+s3://${bucket}/${BIG_KEY}$`, 'm'));
  });

  it('downloads both and they are byte for byte the same', async () => {
    await s3cmd('get', '--force', `s3://${bucket}/${SMALL_KEY}`, join(x.dir, 'small.down'));
    await s3cmd('get', '--force', `s3://${bucket}/${BIG_KEY}`, join(x.dir, 'big.down'));
    await assertSameFile(join(x.dir, 'small.down'), x.small);
    await assertSameFile(join(x.dir, 'big.down'), x.big);
  });

  it('presigns with SigV2 (signurl), good until its expiry', async () => {
    const url = (await s3cmd('signurl', `s3://${bucket}/${SMALL_KEY}`, '+300')).trim();
    assert.match(url, /[?&]AWSAccessKeyId=/);
    await assertPresignedGet(x, url, x.small);
    const expired = (await s3cmd('signurl', `s3://${bucket}/${SMALL_KEY}`, String(Math.floor(Date.now() / 1000) - 60))).trim();
    assert.equal((await plainRequest(x, expired)).status, 403);
  });

  it('signs with SigV2 (signature_v2 = True): put, list, get, info, delete', async () => {
    const v2config = join(x.dir, 's3cfg-v2');
    await writeFile(v2config, (await readFile(config, 'utf8')).replace('signature_v2 = False', 'signature_v2 = True'));
    const v2 = async (...args: string[]): Promise<string> => (await run(requireTool(found, 's3cmd'), ['-c', v2config, ...args])).stdout;
    const key = `v2/${SMALL_KEY}`;
    await v2('put', x.small.path, `s3://${bucket}/${key}`);
    assert.match(await v2('ls', `s3://${bucket}/v2/small/`), new RegExp(`\\s${x.small.size}\\s+s3://${bucket}/${key}$`, 'm'));
    await v2('get', '--force', `s3://${bucket}/${key}`, join(x.dir, 'v2.down'));
    await assertSameFile(join(x.dir, 'v2.down'), x.small);
    assert.match(await v2('info', `s3://${bucket}/${key}`), /File size:\s+\d+/);
    await v2('del', `s3://${bucket}/${key}`);
    assert.doesNotMatch(await s3cmd('ls', '--recursive', `s3://${bucket}`), /v2\//);
  });

  it('puts, reads and revokes a bucket ACL', async () => {
    await s3cmd('setacl', `s3://${bucket}`, '--acl-public');
    assert.ok((await bucketAclGrants(x, bucket)).includes(`${S3_ALL_USERS}:READ`));
    // S3's group URI, which s3cmd recognises as everyone.
    assert.match(await s3cmd('info', `s3://${bucket}`), /ACL:\s+\*anon\*: READ/);
    // `setacl --acl-private` revokes only the grants it recognises by S3's group URI.
    await s3cmd('setacl', `s3://${bucket}`, '--acl-private');
    assert.ok(!(await bucketAclGrants(x, bucket)).includes(`${S3_ALL_USERS}:READ`));
    assert.equal((await x.server.sdk().getBucketAcl({ Bucket: bucket, Region: x.region })).ACL, 'private');
  });

  it('puts and reads a bucket policy (S3 dialect)', async () => {
    const policy = s3Policy(bucket);
    assert.equal(await otherCanRead(x, bucket), false);
    await writeFile(join(x.dir, 'policy.json'), policy);
    await s3cmd('setpolicy', join(x.dir, 'policy.json'), `s3://${bucket}`);
    const info = await s3cmd('info', `s3://${bucket}`);
    const shown = /Policy:\s+(\{.*\})\s*$/m.exec(info);
    assert.ok(shown?.[1], info);
    assertSamePolicy(shown[1], policy);
    assert.equal(await otherCanRead(x, bucket), true);
    await s3cmd('delpolicy', `s3://${bucket}`);
    assert.equal(await otherCanRead(x, bucket), false);
  });

  it('deletes everything', async () => {
    await s3cmd('del', '--recursive', '--force', `s3://${bucket}`);
    await s3cmd('rb', `s3://${bucket}`);
    await assertBucketGone(x, bucket);
  });
});
