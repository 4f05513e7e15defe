// Regions: one server holds buckets of several regions; each is created by, and served from, its own
// region's endpoints (real COS host names through cos-nodejs-sdk-v5's `Ip` option, as server.sdk() is
// set up, raw requests with Host headers or path style, and S3's LocationConstraint through @aws-sdk/client-s3).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetBucketLocationCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import type COS from 'cos-nodejs-sdk-v5';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { codeOf, OTHER, OWNER, startTestServer, uniqueBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';
import { s3Client } from '../helpers/s3.ts';
import { REGION } from '../helpers/sigv4.ts';

let server: TestServer;
/** Sends the real host `<bucket>.cos.<Region>.myqcloud.com` to the server's IP, as production clients would to COS. */
let owner: COS;
const REGIONS = ['ap-guangzhou', 'ap-chengdu', 'ap-beijing'] as const;
const buckets = new Map<string, string>();

before(async () => {
  server = await startTestServer();
  owner = server.sdk(OWNER);
  for (const Region of REGIONS) {
    const Bucket = uniqueBucket();
    await owner.putBucket({ Bucket, Region });
    buckets.set(Region, Bucket);
  }
});
after(() => server.close());

const bucketIn = (region: string): string => buckets.get(region) ?? assert.fail(`no bucket in ${region}`);

/** A raw request under this Host, signed by the owner unless another identity or null (anonymous) is given. */
const onHost = (host: string, method = 'HEAD', url = '/', signAs: TestIdentity | null = OWNER): Promise<RawResponse> =>
  send(server.hostPort, { method, url, host, ...(signAs && { signAs }) });
/** The same in path style on the server's IP, a host that names no region. */
const pathStyle = (method: string, bucket: string): Promise<RawResponse> => send(server.hostPort, { method, url: `/${bucket}`, signAs: OWNER });

describe('buckets of several regions on one server', () => {
  it('creates each bucket in the region of its endpoint, which HEAD, GET Bucket location and GET Service report', async () => {
    for (const Region of REGIONS) {
      const Bucket = bucketIn(Region);
      const head = await owner.headBucket({ Bucket, Region });
      assert.equal(head.headers?.['x-cos-bucket-region'], Region);
      const location = (await owner.getBucketLocation({ Bucket, Region })) as unknown as { LocationConstraint: string };
      assert.equal(location.LocationConstraint, Region);
    }
    const service = await owner.getService({});
    for (const Region of REGIONS) assert.equal(service.Buckets.find((b) => b.Name === bucketIn(Region))?.Location, Region);
  });

  it("answers NoSuchBucket for a bucket addressed on another region's endpoint", async () => {
    const Bucket = bucketIn('ap-guangzhou');
    assert.equal(await codeOf(owner.headBucket({ Bucket, Region: 'ap-beijing' })), '404');
    assert.equal(await codeOf(owner.getBucket({ Bucket, Region: 'ap-chengdu' })), 'NoSuchBucket');
    assert.equal(await codeOf(owner.putObject({ Bucket, Region: 'ap-beijing', Key: 'k', Body: 'x' })), 'NoSuchBucket');
    // A region no SDK would name (the short `gz`) serves no bucket either.
    assert.equal((await onHost(`${Bucket}.cos.gz.myqcloud.com`)).status, 404);
    const get = await onHost(`${Bucket}.cos.gz.myqcloud.com`, 'GET', '/k');
    assert.equal(get.status, 404);
    assert.equal(errorOf(get)['Code'], 'NoSuchBucket');
    assert.ok(errorOf(get)['RequestId']);
  });

  it('tells a caller who would be denied nothing: the wrong region answers as a missing bucket does', async () => {
    const Bucket = bucketIn('ap-chengdu');
    await owner.putBucketAcl({ Bucket, Region: 'ap-chengdu', ACL: 'public-read' });
    const missing = uniqueBucket();
    for (const signAs of [OTHER, null]) {
      // Readable on its own endpoint...
      assert.equal((await onHost(`${Bucket}.cos.ap-chengdu.myqcloud.com`, 'GET', '/', signAs)).status, 200);
      // ...and on another region's exactly as unknown as a bucket that does not exist.
      const wrong = await onHost(`${Bucket}.cos.ap-beijing.myqcloud.com`, 'GET', '/', signAs);
      const absent = await onHost(`${missing}.cos.ap-beijing.myqcloud.com`, 'GET', '/', signAs);
      assert.equal(wrong.status, 403);
      assert.deepEqual([errorOf(wrong)['Code'], errorOf(wrong)['Message']], [errorOf(absent)['Code'], errorOf(absent)['Message']]);
      assert.equal(absent.status, 403);
    }
  });

  it("serves the SDKs' legacy hosts, the acceleration endpoint and path style for every region", async () => {
    assert.equal((await onHost(`${bucketIn('ap-guangzhou')}.cn-south.myqcloud.com`)).status, 200);
    assert.equal((await onHost(`${bucketIn('ap-chengdu')}.cn-southwest.myqcloud.com`)).status, 200);
    assert.equal((await onHost(`${bucketIn('ap-beijing')}.cn-south.myqcloud.com`)).status, 404);
    assert.equal((await onHost(`${bucketIn('ap-beijing')}.cos.accelerate.myqcloud.com`)).status, 200);
    // The Node SDK's legacy region names go to the legacy hosts.
    assert.equal((await owner.headBucket({ Bucket: bucketIn('ap-chengdu'), Region: 'cn-southwest' })).statusCode, 200);
    for (const Region of REGIONS) assert.equal((await pathStyle('HEAD', bucketIn(Region))).status, 200);
  });

  it('lists one region on that region\'s service endpoint or with ?region=, every region on service.cos', async () => {
    const chengdu = await owner.getService({ Region: 'ap-chengdu' });
    assert.deepEqual(new Set(chengdu.Buckets.map((b) => b.Location)), new Set(['ap-chengdu']));
    assert.ok(chengdu.Buckets.some((b) => b.Name === bucketIn('ap-chengdu')));
    const beijing = await onHost('service.cos.myqcloud.com', 'GET', '/?region=ap-beijing');
    assert.match(beijing.text, new RegExp(`<Name>${bucketIn('ap-beijing')}</Name>`));
    assert.doesNotMatch(beijing.text, /<Location>ap-guangzhou<\/Location>/);
    const all = await owner.getService({});
    assert.ok(REGIONS.every((r) => all.Buckets.some((b) => b.Name === bucketIn(r))));
  });

  it('refuses to create a name again: BucketAlreadyOwnedByYou in its region, BucketAlreadyExistsDiffRegion elsewhere', async () => {
    const Bucket = bucketIn('ap-chengdu');
    assert.equal(await codeOf(owner.putBucket({ Bucket, Region: 'ap-chengdu' })), 'BucketAlreadyOwnedByYou');
    assert.equal(await codeOf(owner.putBucket({ Bucket, Region: 'ap-beijing' })), 'BucketAlreadyExistsDiffRegion');
    assert.equal((await owner.headBucket({ Bucket, Region: 'ap-chengdu' })).headers?.['x-cos-bucket-region'], 'ap-chengdu');
  });

  it('creates no bucket on the acceleration endpoint or in a region that is no region name', async () => {
    const accelerate = await onHost(`${uniqueBucket()}.cos.accelerate.myqcloud.com`, 'PUT');
    assert.equal(accelerate.status, 400);
    assert.equal(errorOf(accelerate)['Code'], 'ActionAccelerateNotSupported');
    const gz = await onHost(`${uniqueBucket()}.cos.gz.myqcloud.com`, 'PUT');
    assert.equal(gz.status, 400);
    assert.equal(errorOf(gz)['Code'], 'InvalidRegionName');
  });

  it('a path-style PUT Bucket on an IP goes to --region', async () => {
    const Bucket = uniqueBucket();
    assert.equal((await pathStyle('PUT', Bucket)).status, 200);
    assert.equal((await owner.headBucket({ Bucket, Region: server.region })).headers?.['x-cos-bucket-region'], server.region);
  });

  it("copies from a source named on its own region's endpoint only", async () => {
    const source = bucketIn('ap-chengdu');
    const target = bucketIn('ap-beijing');
    await owner.putObject({ Bucket: source, Region: 'ap-chengdu', Key: 'src', Body: 'cross-region' });
    await owner.putObjectCopy({ Bucket: target, Region: 'ap-beijing', Key: 'copy', CopySource: `${source}.cos.ap-chengdu.myqcloud.com/src` });
    const copied = await owner.getObject({ Bucket: target, Region: 'ap-beijing', Key: 'copy' });
    assert.equal(copied.Body.toString(), 'cross-region');
    const wrong = owner.putObjectCopy({ Bucket: target, Region: 'ap-beijing', Key: 'copy2', CopySource: `${source}.cos.ap-guangzhou.myqcloud.com/src` });
    assert.equal(await codeOf(wrong), 'NoSuchBucket');
  });
});

describe("S3's LocationConstraint", () => {
  it('places a path-style CreateBucket in its LocationConstraint, and refuses one that is no region', async () => {
    const s3 = s3Client({ endpoint: server.endpoint, region: REGION });
    try {
      const Bucket = uniqueBucket();
      // The AWS SDK types LocationConstraint as AWS's regions; COS's are what awscli `mb --region ap-chengdu` sends.
      await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'ap-chengdu' as 'EU' } }));
      assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint, 'ap-chengdu');
      assert.equal((await s3.send(new HeadBucketCommand({ Bucket }))).BucketRegion, 'ap-chengdu');
      assert.equal((await owner.headBucket({ Bucket, Region: 'ap-chengdu' })).statusCode, 200);
      await assert.rejects(s3.send(new CreateBucketCommand({ Bucket: uniqueBucket(), CreateBucketConfiguration: { LocationConstraint: 'EU' } })), {
        name: 'InvalidLocationConstraint',
      });
    } finally {
      s3.destroy();
    }
  });

  it("refuses a LocationConstraint that contradicts the endpoint's region", async () => {
    const body = '<CreateBucketConfiguration><LocationConstraint>ap-chengdu</LocationConstraint></CreateBucketConfiguration>';
    const res = await send(server.hostPort, { method: 'PUT', url: '/', host: `${uniqueBucket()}.cos.ap-beijing.myqcloud.com`, body, signAs: OWNER });
    assert.equal(res.status, 400);
    assert.equal(errorOf(res)['Code'], 'InvalidLocationConstraint');
  });
});
