// rclone (Debian bookworm: 1.60) against coslocal through its S3 backend, as provider Other (path style on
// 127.0.0.1) and as provider TencentCOS (COS's endpoint cos.<region>.myqcloud.com, virtual-hosted, coslocal as the
// HTTP proxy): SigV4, upload_cutoff lowered to 16 MiB so that 50 MB goes multipart (default 200 MiB).
// rclone has no bucket-ACL read or bucket-policy commands; it sets a bucket ACL when it makes the bucket.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
  assertUploaded,
  bucketAclGrants,
  findTool,
  interopBucket,
  requireTool,
  run,
  skipUnless,
  startInterop,
  type Interop,
} from './harness.ts';

const found = await findTool(['/usr/bin/rclone', 'rclone'], ['version'], /rclone v/);

for (const [provider, region] of [
  ['Other', 'ap-chengdu'],
  ['TencentCOS', 'ap-beijing'],
] as const) {
  describe(`rclone (S3 provider ${provider})`, skipUnless(found, 'rclone'), () => {
    let x: Interop;
    let config: string;
    const bucket = interopBucket(provider === 'Other' ? 'rclone-other' : 'rclone-cos', region);
    // The TencentCOS provider always addresses buckets virtual-hosted (force_path_style has no effect on it): its
    // endpoint is COS's, and <bucket>.cos.<region>.myqcloud.com, which need not resolve, reaches coslocal as its proxy.
    const proxy = (): NodeJS.ProcessEnv => (provider === 'TencentCOS' ? { HTTP_PROXY: x.endpoint } : {});
    const endpoint = (): string => (provider === 'TencentCOS' ? `http://cos.${region}.myqcloud.com` : x.endpoint);
    const rclone = async (...args: string[]): Promise<string> => (await run(requireTool(found, 'rclone'), ['--config', config, ...args], proxy())).stdout;

    before(async () => {
      x = await startInterop();
      config = join(x.dir, 'rclone.conf');
      await writeFile(
        config,
        [
          '[cos]',
          'type = s3',
          `provider = ${provider}`,
          'env_auth = false',
          `access_key_id = ${OWNER.secretId}`,
          `secret_access_key = ${OWNER.secretKey}`,
          `endpoint = ${endpoint()}`,
          `region = ${region}`,
          'force_path_style = true',
          'upload_cutoff = 16Mi',
          'chunk_size = 16Mi',
          // Made with a public-read ACL, which the ACL step checks: rclone can set, not read, bucket ACLs.
          'bucket_acl = public-read',
          '',
        ].join('\n'),
      );
    });
    after(() => x?.close());

    it('makes a bucket (with a bucket ACL)', async () => {
      console.log(`# ${(await rclone('version')).split('\n')[0]}`);
      await rclone('mkdir', `cos:${bucket}`);
      await assertBucketExists(x, bucket);
      assert.ok((await bucketAclGrants(x, bucket)).includes(`${S3_ALL_USERS}:READ`));
    });

    it('uploads a small file and a 50 MB file (multipart)', async () => {
      await rclone('copyto', x.small.path, `cos:${bucket}/${SMALL_KEY}`);
      await rclone('copyto', x.big.path, `cos:${bucket}/${BIG_KEY}`);
      assert.ok((await assertUploaded(x, bucket)) > 1);
    });

    it('lists', async () => {
      const listed = JSON.parse(await rclone('lsjson', '--recursive', '--files-only', `cos:${bucket}`)) as { Path: string; Size: number }[];
      assert.deepEqual(
        listed.map((e) => [e.Path, e.Size]).sort(),
        [
          [BIG_KEY, x.big.size],
          [SMALL_KEY, x.small.size],
        ],
      );
    });

    it('downloads both and they are byte for byte the same', async () => {
      await rclone('copyto', `cos:${bucket}/${SMALL_KEY}`, join(x.dir, 'small.down'));
      await rclone('copyto', `cos:${bucket}/${BIG_KEY}`, join(x.dir, 'big.down'));
      await assertSameFile(join(x.dir, 'small.down'), x.small);
      await assertSameFile(join(x.dir, 'big.down'), x.big);
    });

    it('presigns a GET (rclone link) that plain HTTP can fetch', async () => {
      const url = (await rclone('link', `cos:${bucket}/${SMALL_KEY}`, '--expire', '5m')).trim();
      await assertPresignedGet(x, url, x.small);
    });

    it('deletes everything', async () => {
      await rclone('purge', `cos:${bucket}`);
      await assertBucketGone(x, bucket);
    });
  });
}
