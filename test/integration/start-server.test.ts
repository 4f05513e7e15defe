// startServer, the package's in-process API, in a node:test file as a user would write one: imported
// from the package entry, its SDK and S3 options used as they are, reset between tests.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import COS from 'cos-nodejs-sdk-v5';
import { startServer, type CoslocalServer } from '../../src/index.ts';
import { sendUrl } from '../helpers/raw.ts';

describe('startServer', () => {
  let server: CoslocalServer;
  let cos: COS;
  before(async () => {
    server = await startServer({
      seed: { buckets: [{ name: 'fixtures-1250000000', owner: '100000000001', acl: 'public-read' }] },
      secretId: 'AKIDstartServer000000000000000000001',
      secretKey: 'startServerSecretKey000000000000',
    });
    cos = new COS(server.cos);
  });
  afterEach(() => server.reset());
  after(() => server.close());

  it('gives the endpoint, the default account and client options that work as they are', async () => {
    assert.match(server.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.endpoint, `http://127.0.0.1:${server.port}`);
    assert.deepEqual(server.account, { uin: '100000000001', appid: '1250000000', secretId: 'AKIDstartServer000000000000000000001', secretKey: 'startServerSecretKey000000000000' });
    const Bucket = server.bucket('photos');
    assert.equal(Bucket, 'photos-1250000000');
    await cos.putBucket({ Bucket, Region: server.region });
    await cos.putObject({ Bucket, Region: server.region, Key: 'a.txt', Body: 'hello' });
    assert.equal((await cos.getObject({ Bucket, Region: server.region, Key: 'a.txt' })).Body.toString(), 'hello');
    const s3 = new S3Client(server.s3);
    try {
      const listed = await s3.send(new ListBucketsCommand({}));
      assert.deepEqual(listed.Buckets?.map((b) => b.Name).sort(), ['fixtures-1250000000', 'photos-1250000000']);
    } finally {
      s3.destroy();
    }
  });

  it('reset() (here after every test) leaves only the seed: the bucket the previous test made is gone', async () => {
    const names = (await cos.getService({})).Buckets.map((b) => b.Name);
    assert.deepEqual(names, ['fixtures-1250000000']);
  });

  it('clock.advance() expires a presigned URL; faults.add() fails a request once', async () => {
    const Bucket = 'fixtures-1250000000';
    await cos.putObject({ Bucket, Region: server.region, Key: 'k', Body: 'v' });
    const url = cos.getObjectUrl({ Bucket, Region: server.region, Key: 'k', Sign: true, Expires: 30 }, () => undefined);
    const hostPort = `127.0.0.1:${server.port}`;
    assert.equal((await sendUrl(hostPort, url)).status, 200);
    server.clock.advance(31_000);
    assert.equal((await sendUrl(hostPort, url)).status, 403);
    server.clock.restore();
    const rule = server.faults.add({ bucket: Bucket, key: 'k', operation: 'GetObject', status: 500, times: 1 });
    assert.equal((await sendUrl(hostPort, url)).status, 500);
    assert.equal((await sendUrl(hostPort, url)).status, 200);
    assert.deepEqual(server.faults.list(), [{ ...rule, hits: 1 }]);
    server.faults.clear();
    assert.deepEqual(server.faults.list(), []);
  });
});

describe('startServer with a data directory', () => {
  it('keeps its data there, and a second start finds it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-start-server-'));
    try {
      const first = await startServer({ dataDir });
      await new COS(first.cos).putBucket({ Bucket: first.bucket('kept'), Region: first.region });
      await first.close();
      assert.ok((await readdir(dataDir)).length > 0);
      const second = await startServer({ dataDir });
      try {
        assert.equal(second.account.secretId, first.account.secretId, 'the generated key was kept');
        await new COS(second.cos).headBucket({ Bucket: second.bucket('kept'), Region: second.region });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
