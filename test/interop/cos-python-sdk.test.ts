// cos-python-sdk-v5 (Tencent's official Python SDK, ../shared/clients/cos-python-sdk-v5) against coslocal through
// test/interop/cos-python-sdk-client.py, configured as the README tells Python users: Scheme='http' and coslocal as
// the HTTP proxy, so the SDK's own URLs (real host names <bucket>.cos.<region>.myqcloud.com) reach it unchanged; and
// the IP/Port + ServiceDomain configuration. Buckets in three regions, with production-length names. Each scenario
// is one subtest, so a failure names the feature.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ALL_USERS } from '../../src/domain/acl.ts';
import { OTHER } from '../helpers/server.ts';
import {
  BIG_KEY,
  OWNER,
  REGIONS,
  SMALL_KEY,
  assertBucketExists,
  assertBucketGone,
  assertPresignedGet,
  assertSameFile,
  assertUploaded,
  findTool,
  interopBucket,
  plainRequest,
  requireTool,
  run,
  skipUnless,
  startInterop,
  type Interop,
} from './harness.ts';

const SCRIPT = fileURLToPath(new URL('./cos-python-sdk-client.py', import.meta.url));
// CI clones the repository beside ../shared; elsewhere point COSLOCAL_SHARED_DIR at that folder.
const SHARED = process.env['COSLOCAL_SHARED_DIR'] ?? fileURLToPath(new URL('../../../shared', import.meta.url));
const LIBRARY = join(SHARED, 'clients', 'cos-python-sdk-v5');
const WHAT = 'cos-python-sdk-v5';
const INSTALL = `looked for in ${LIBRARY}, set COSLOCAL_SHARED_DIR to the folder holding clients/; apt-get install python3-requests python3-six python3-xmltodict python3-crcmod python3-pycryptodome`;
// Debian's python3-* modules live beside /usr/bin/python3; a python3 earlier on PATH (pyenv, venv) may lack them.
const python = existsSync(join(LIBRARY, 'qcloud_cos'))
  ? await findTool(['/usr/bin/python3', 'python3'], ['-c', 'import qcloud_cos'], undefined, { PYTHONPATH: LIBRARY })
  : undefined;

const PART_MB = 8;
const [GZ, CD, BJ] = REGIONS;

interface ServiceError {
  code: string;
  status: number;
}

describe('cos-python-sdk-v5', skipUnless(python, WHAT, INSTALL), () => {
  let x: Interop;
  // Objects live in ap-guangzhou, copies go to ap-chengdu, versioning is tried in ap-beijing.
  const main = interopBucket('pysdk', GZ);
  const copies = interopBucket('pysdk', CD);
  const versioned = interopBucket('pysdk', BJ);
  const TEXT_KEY = 'docs/readme.md';
  const TEXT = 'hello, coslocal';
  const py = async <T = Record<string, unknown>>(step: string, ...args: string[]): Promise<T> => {
    const env = {
      PYTHONPATH: LIBRARY,
      COSLOCAL_PORT: String(x.server.app.port),
      COSLOCAL_OWNER_ID: OWNER.secretId,
      COSLOCAL_OWNER_KEY: OWNER.secretKey,
      COSLOCAL_OTHER_ID: OTHER.secretId,
      COSLOCAL_OTHER_KEY: OTHER.secretKey,
    };
    return JSON.parse((await run(requireTool(python, WHAT), [SCRIPT, step, ...args], env)).stdout) as T;
  };
  const cosUrl = (bucket: string, region: string, key: string): string => `http://${bucket}.cos.${region}.myqcloud.com/${key}`;
  const sha256Object = async (bucket: string, key: string): Promise<string> => {
    const got = await x.check.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return createHash('sha256')
      .update(await (got.Body?.transformToByteArray() ?? new Uint8Array()))
      .digest('hex');
  };

  before(async () => {
    x = await startInterop();
  });
  after(() => x?.close());

  it('makes a bucket in each of three regions', async () => {
    console.log(`# cos-python-sdk-v5 ${(await py<{ version: string }>('version')).version}`);
    for (const [region, bucket] of [
      [GZ, main],
      [CD, copies],
      [BJ, versioned],
    ] as const) {
      await py('create-bucket', region, bucket);
      await assertBucketExists(x, bucket);
    }
  });

  for (const config of ['proxy', 'ip'] as const) {
    it(`list_buckets (${config === 'proxy' ? 'service.cos.myqcloud.com through the proxy' : 'ServiceDomain'}) names each bucket with its region`, async () => {
      const listed = await py<{ Name: string; Location: string }[]>('list-buckets', config);
      const ours = listed.filter((b) => [main, copies, versioned].includes(b.Name));
      const byName = (a: { Name: string }, b: { Name: string }): number => a.Name.localeCompare(b.Name);
      assert.deepEqual(ours.sort(byName), [
        { Name: main, Location: GZ },
        { Name: copies, Location: CD },
        { Name: versioned, Location: BJ },
      ].sort(byName));
    });
  }

  it('IP/Port: put_object, head_object and get_object with Host <bucket>.cos.<region>.myqcloud.com', async () => {
    assert.deepEqual(await py('ip-port', GZ, main, 'ip/port.txt', TEXT), { 'Content-Length': String(TEXT.length), body: TEXT });
  });

  it('put_object with metadata, then head_object: ETag, Content-Length, Content-Type, Last-Modified, metadata', async () => {
    const facts = await py<Record<string, string>>('put-head', GZ, main, TEXT_KEY, TEXT);
    const md5 = `"${createHash('md5').update(TEXT).digest('hex')}"`;
    assert.equal(facts['putETag'], md5);
    assert.equal(facts['ETag'], md5);
    assert.equal(facts['Content-Length'], String(TEXT.length));
    assert.equal(facts['Content-Type'], 'text/markdown; charset=utf-8');
    assert.ok(!Number.isNaN(Date.parse(facts['Last-Modified'] ?? '')), facts['Last-Modified']);
    assert.equal(facts['author'], 'coslocal');
  });

  it('get_object with Range (first bytes, open-ended, suffix)', async () => {
    const n = TEXT.length;
    assert.deepEqual(await py('get-ranges', GZ, main, TEXT_KEY), {
      'bytes=0-4': { 'Content-Range': `bytes 0-4/${n}`, 'Content-Length': '5', body: TEXT.slice(0, 5) },
      'bytes=6-': { 'Content-Range': `bytes 6-${n - 1}/${n}`, 'Content-Length': String(n - 6), body: TEXT.slice(6) },
      'bytes=-5': { 'Content-Range': `bytes ${n - 5}-${n - 1}/${n}`, 'Content-Length': '5', body: TEXT.slice(-5) },
    });
  });

  it("put_object without ContentType: Content-Type comes from the key's extension", async () => {
    assert.deepEqual(await py('content-types', GZ, main), {
      'inferred/report.txt': 'text/plain',
      'inferred/archive.zip': 'application/zip',
      'inferred/page.html': 'text/html',
    });
  });

  it(`upload_file: a small file in one PUT, 50 MB in ${PART_MB} MB parts`, async () => {
    await py('upload-file', GZ, main, SMALL_KEY, x.small.path, String(PART_MB));
    const big = await py<{ ETag: string }>('upload-file', GZ, main, BIG_KEY, x.big.path, String(PART_MB));
    const parts = await assertUploaded(x, main);
    assert.equal(parts, Math.ceil(x.big.size / (PART_MB * 1024 * 1024)));
    assert.match(big.ETag, new RegExp(`-${parts}"$`));
  });

  it(`upload_file_from_buffer: a 50 MB stream in ${PART_MB} MB parts`, async () => {
    const put = await py<{ ETag: string }>('upload-buffer', GZ, main, 'buffer/blob.bin', x.big.path, String(PART_MB));
    assert.match(put.ETag, new RegExp(`^"[0-9a-f]{32}-${Math.ceil(x.big.size / (PART_MB * 1024 * 1024))}"$`));
    assert.equal(await sha256Object(main, 'buffer/blob.bin'), x.big.sha256);
  });

  it('download_file: both, the big one in ranged parts, byte for byte the same', async () => {
    for (const [key, file, name] of [
      [SMALL_KEY, x.small, 'small.down'],
      [BIG_KEY, x.big, 'big.down'],
    ] as const) {
      const got = await py<{ sha256: string }>('download-file', GZ, main, key, join(x.dir, name), String(PART_MB));
      assert.equal(got.sha256, file.sha256);
      await assertSameFile(join(x.dir, name), file);
    }
  });

  it('copy(): 50 MB from ap-guangzhou to ap-chengdu as a multipart Upload Part - Copy', async () => {
    const copied = await py<{ ETag: string }>('copy', GZ, main, BIG_KEY, CD, copies, 'copied/blob.bin');
    assert.match(copied.ETag, /^"[0-9a-f]{32}-\d+"$/);
    assert.equal(await sha256Object(copies, 'copied/blob.bin'), x.big.sha256);
  });

  it('copy_object with CopyStatus=Replaced sets new metadata', async () => {
    const copied = await py<Record<string, string>>('copy-object', GZ, main, TEXT_KEY, CD, copies, 'copied/readme.md');
    assert.equal(copied['ETag'], `"${createHash('md5').update(TEXT).digest('hex')}"`);
    assert.equal(copied['copied'], 'yes');
    assert.equal(copied['Content-Length'], String(TEXT.length));
  });

  it('upload_part_copy: a ranged part and a whole-object part (empty x-cos-copy-source-range)', async () => {
    const firstPart = 5 * 1024 * 1024;
    const done = await py<{ ETag: string }>('part-copy', GZ, main, BIG_KEY, SMALL_KEY, CD, copies, 'copied/joined.bin');
    assert.match(done.ETag, /^"[0-9a-f]{32}-2"$/);
    const head = Buffer.alloc(firstPart);
    const big = await open(x.big.path);
    try {
      await big.read(head, 0, firstPart, 0);
    } finally {
      await big.close();
    }
    const small = await open(x.small.path);
    const expected = createHash('sha256')
      .update(head)
      .update(await small.readFile())
      .digest('hex');
    await small.close();
    assert.equal(await sha256Object(copies, 'copied/joined.bin'), expected);
  });

  it('put_bucket_acl / get_bucket_acl: public-read lets anyone read, private again does not', async () => {
    const url = cosUrl(main, GZ, TEXT_KEY);
    assert.equal((await plainRequest(x, url)).status, 403);
    const opened = await py<{ grants: string[] }>('bucket-acl', GZ, main, 'public-read');
    assert.deepEqual(opened.grants, [`${ALL_USERS}:READ`, `qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}:FULL_CONTROL`]);
    assert.equal((await plainRequest(x, url)).body.toString(), TEXT);
    const closed = await py<{ grants: string[] }>('bucket-acl', GZ, main, 'private');
    assert.deepEqual(closed.grants, [`qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}:FULL_CONTROL`]);
    assert.equal((await plainRequest(x, url)).status, 403);
  });

  it('put_object_acl (private with GrantRead) / get_object_acl: the grantee reads the object', async () => {
    const acl = await py<{ grants: string[]; otherGets: string }>('object-acl', GZ, main, TEXT_KEY, OTHER.uin);
    assert.ok(acl.grants.includes(`qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}:READ`), JSON.stringify(acl.grants));
    assert.equal(acl.otherGets, TEXT);
  });

  it('put_bucket_policy / get_bucket_policy / delete_bucket_policy (COS dialect) let another account read', async () => {
    const policy = {
      version: '2.0',
      Statement: [
        {
          Principal: { qcs: [`qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`] },
          Effect: 'allow',
          Action: ['name/cos:GetObject', 'name/cos:HeadObject'],
          Resource: [`qcs::cos:${GZ}:uid/${OWNER.appid}:${main}/*`],
        },
      ],
    };
    await writeFile(join(x.dir, 'policy.json'), JSON.stringify(policy));
    // Objects whose own ACL grants OTHER nothing: SMALL_KEY inherits the private bucket's.
    const facts = await py<{ before: ServiceError; policy: unknown; otherGets: string; after: ServiceError }>('bucket-policy', GZ, main, SMALL_KEY, join(x.dir, 'policy.json'));
    assert.deepEqual(facts.before, { code: 'AccessDenied', status: 403 });
    assert.deepEqual(facts.policy, policy);
    assert.equal(createHash('sha256').update(facts.otherGets).digest('hex'), x.small.sha256);
    assert.deepEqual(facts.after, { code: 'AccessDenied', status: 403 });
  });

  it('put_bucket_versioning: versions, an old version read back, a delete marker', async () => {
    const v = await py<{
      status: string;
      distinct: boolean;
      old: string;
      deleteMarker: string;
      markerVersion: string;
      versions: string[];
      markers: string[];
      ids: string[];
      gone: ServiceError;
    }>('versioning', BJ, versioned, 'notes/today.txt');
    assert.equal(v.status, 'Enabled');
    assert.ok(v.distinct);
    assert.equal(v.old, 'first');
    assert.equal(v.deleteMarker, 'true');
    assert.deepEqual(v.versions, v.ids);
    assert.deepEqual(v.markers, [v.markerVersion]);
    assert.deepEqual(v.gone, { code: 'NoSuchKey', status: 404 });
  });

  it('presigned URLs (real COS host names): a GET and a PUT that plain HTTP uses', async () => {
    const get = await py<{ url: string }>('presign', GZ, main, SMALL_KEY, 'GET');
    assert.ok(get.url.startsWith(cosUrl(main, GZ, SMALL_KEY)), get.url);
    await assertPresignedGet(x, get.url, x.small);
    const put = await py<{ url: string }>('presign', GZ, main, 'presigned/upload.txt', 'PUT');
    const body = Buffer.from('uploaded through a presigned URL');
    assert.equal((await plainRequest(x, put.url, 'PUT', body)).status, 200);
    assert.equal(await sha256Object(main, 'presigned/upload.txt'), createHash('sha256').update(body).digest('hex'));
  });

  it('errors: CosServiceError code and status for NoSuchKey, NoSuchBucket, AccessDenied', async () => {
    const missing = interopBucket('pysdk-none', GZ);
    // SMALL_KEY: TEXT_KEY's own ACL lets OTHER read it.
    assert.deepEqual(await py('errors', GZ, main, SMALL_KEY, missing), {
      getMissingKey: { code: 'NoSuchKey', status: 404 },
      // HEAD answers have no body: the SDK names every 404 NoSuchResource.
      headMissingKey: { code: 'NoSuchResource', status: 404 },
      missingBucket: { code: 'NoSuchBucket', status: 404 },
      otherGets: { code: 'AccessDenied', status: 403 },
      otherPuts: { code: 'AccessDenied', status: 403 },
    });
  });

  it('delete_object: head_object and get_object then answer 404', async () => {
    assert.deepEqual(await py('delete-object', GZ, main, TEXT_KEY), {
      head: { code: 'NoSuchResource', status: 404 },
      get: { code: 'NoSuchKey', status: 404 },
    });
  });

  it('delete_objects (every version) and delete_bucket', async () => {
    for (const [region, bucket] of [
      [GZ, main],
      [CD, copies],
      [BJ, versioned],
    ] as const) {
      assert.deepEqual(await py('empty-bucket', region, bucket), { head: { code: 'NoSuchResource', status: 404 } });
      await assertBucketGone(x, bucket);
    }
  });
});
