// Archive restore through cos-nodejs-sdk-v5, @aws-sdk/client-s3 and raw requests: ARCHIVE / DEEP_ARCHIVE objects
// are unreadable until POST Object restore has run for its tier's delay, on the server's clock (advanced here).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, RestoreObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import COS from 'cos-nodejs-sdk-v5';
import { errorOf, send } from '../helpers/raw.ts';
import { s3Client } from '../helpers/s3.ts';
import { codeOf, OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let server: TestServer;
let cos: COS;
/** Every S3 client made, to destroy at the end. */
const s3Clients: S3Client[] = [];
/** How far the server's clock runs ahead of the real one. */
let ahead = 0;
const Region = (): string => server.region;

/**
 * A COS client whose clock runs as far ahead as the server's, so its signatures stay in the server's
 * window (the SDK's own skew correction reads the Date header, which Node writes from the real clock).
 */
function makeClient(): void {
  cos = new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: server.hostPort, SystemClockOffset: ahead });
}

/**
 * An S3 client as far ahead, for one request: the AWS SDK resets its clock offset from every
 * response's Date header (the real time), so a second request of the same client would be skewed.
 */
function s3(): S3Client {
  const client = s3Client(server, OWNER, { systemClockOffset: ahead });
  s3Clients.push(client);
  return client;
}

before(async () => {
  server = await startTestServer({ clock: () => Date.now() + ahead });
  makeClient();
});
after(async () => {
  for (const client of s3Clients) client.destroy();
  await server.close();
});

/** Moves the server's clock on. Later tests start from wherever earlier ones left it: every test reads time relative to now. */
const advance = (ms: number): void => {
  ahead += ms;
  makeClient();
};

/** A raw request's q-sign window, on the server's clock. */
const signWindow = (): { start: number; end: number } => {
  const start = Math.floor((Date.now() + ahead) / 1000);
  return { start, end: start + 900 };
};

async function archived(Key: string, StorageClass: 'ARCHIVE' | 'DEEP_ARCHIVE' = 'ARCHIVE'): Promise<string> {
  const Bucket = uniqueBucket();
  await cos.putBucket({ Bucket, Region: Region() });
  await cos.putObject({ Bucket, Region: Region(), Key, Body: '123', StorageClass });
  return Bucket;
}

const restoreHeader = async (Bucket: string, Key: string): Promise<string | undefined> =>
  (await cos.headObject({ Bucket, Region: Region(), Key })).headers?.['x-cos-restore'];

const restoreXml = (days: number, tier?: string): string =>
  `<RestoreRequest><Days>${days}</Days>${tier === undefined ? '' : `<CASJobParameters><Tier>${tier}</Tier></CASJobParameters>`}</RestoreRequest>`;

const postRestore = (Bucket: string, Key: string, body: string) =>
  send(server.hostPort, { method: 'POST', url: `/${Bucket}/${Key}?restore`, body, headers: { 'content-type': 'application/xml' }, signAs: OWNER, signWindow: signWindow() });

describe('archive restore through cos-nodejs-sdk-v5 (its group restoreObject())', () => {
  it('restoreObject without a RestoreRequest fails in the SDK; with one it is accepted (202)', async () => {
    const Bucket = await archived('1.jpg');
    const params = { Bucket, Region: Region(), Key: '1.jpg' };
    await assert.rejects(cos.restoreObject({ ...params, RestoreRequest: undefined as never }));
    const data = await cos.restoreObject({ ...params, RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Expedited' } } });
    assert.equal(data.statusCode, 202);
  });

  it('GET is InvalidObjectState until the Expedited restore is done (5 minutes), then reads until the days run out', async () => {
    const Bucket = await archived('a.txt');
    const params = { Bucket, Region: Region(), Key: 'a.txt' };
    assert.equal(await codeOf(cos.getObject(params)), 'InvalidObjectState');
    assert.equal(await restoreHeader(Bucket, 'a.txt'), undefined, 'HEAD works, and says nothing of a restore never asked for');
    await cos.restoreObject({ ...params, RestoreRequest: { Days: 2, CASJobParameters: { Tier: 'Expedited' } } });
    assert.equal(await restoreHeader(Bucket, 'a.txt'), 'ongoing-request="true"');
    assert.equal(await codeOf(cos.getObject(params)), 'InvalidObjectState');
    const again = await postRestore(Bucket, 'a.txt', restoreXml(2, 'Expedited'));
    assert.equal(again.status, 409);
    assert.equal(errorOf(again).Code, 'RestoreAlreadyInProgress');

    advance(5 * MINUTE);
    const header = await restoreHeader(Bucket, 'a.txt');
    const expiry = /^ongoing-request="false", expiry-date="(.+)"$/.exec(header ?? '')?.[1];
    assert.ok(expiry, `restored: ${header}`);
    const serverNow = Date.now() + ahead;
    assert.ok(Math.abs(Date.parse(expiry) - (serverNow + 2 * DAY)) < MINUTE, `expires two days after it was ready: ${expiry}`);
    assert.equal((await cos.getObject(params)).Body.toString(), '123');

    advance(2 * DAY);
    assert.equal(await codeOf(cos.getObject(params)), 'InvalidObjectState', 'archived again once the days are over');
    assert.equal(await restoreHeader(Bucket, 'a.txt'), undefined);
  });

  it('restoring a restored object extends it at once (200); DEEP_ARCHIVE has no Expedited tier and takes 24 h for Standard', async () => {
    const Bucket = await archived('d.txt', 'DEEP_ARCHIVE');
    const expedited = await postRestore(Bucket, 'd.txt', restoreXml(1, 'Expedited'));
    assert.equal(expedited.status, 400);
    assert.equal(errorOf(expedited).Code, 'InvalidArgument');
    assert.equal((await postRestore(Bucket, 'd.txt', restoreXml(1))).status, 202, 'Standard when no tier is given');
    advance(23 * HOUR);
    assert.equal(await restoreHeader(Bucket, 'd.txt'), 'ongoing-request="true"');
    advance(HOUR);
    assert.match((await restoreHeader(Bucket, 'd.txt')) ?? '', /ongoing-request="false"/);
    assert.equal((await postRestore(Bucket, 'd.txt', restoreXml(7))).status, 200);
    advance(6 * DAY);
    assert.equal((await cos.getObject({ Bucket, Region: Region(), Key: 'd.txt' })).Body.toString(), '123', 'the 7 days run from the second request');
  });

  it('refuses what COS refuses: a class read directly (405), bad days or tier, a malformed body, a missing key', async () => {
    const Bucket = await archived('a.txt');
    await cos.putObject({ Bucket, Region: Region(), Key: 'std.txt', Body: 'x' });
    const cases: [string, string, number, string][] = [
      ['std.txt', restoreXml(1), 405, 'RestoreNonArchiveObject'],
      ['a.txt', restoreXml(0), 400, 'InvalidArgument'],
      ['a.txt', restoreXml(366), 400, 'InvalidArgument'],
      ['a.txt', '<RestoreRequest><Days>x</Days></RestoreRequest>', 400, 'InvalidArgument'],
      ['a.txt', restoreXml(1, 'Fast'), 400, 'MalformedXML'],
      ['a.txt', '<RestoreRequest/>', 400, 'MalformedXML'],
      ['missing.txt', restoreXml(1), 404, 'NoSuchKey'],
    ];
    for (const [key, body, status, code] of cases) {
      const res = await postRestore(Bucket, key, body);
      assert.deepEqual([res.status, errorOf(res).Code], [status, code], `${key} ${body}`);
      assert.ok(errorOf(res).RequestId);
    }
    assert.equal(await restoreHeader(Bucket, 'a.txt'), undefined, 'no refused request started a restore');
  });
});

describe('copies of archived objects (changing the class by copying onto itself)', () => {
  it('an archived source is InvalidObjectState until restored; then a self-copy makes it STANDARD and readable for good', async () => {
    const Bucket = await archived('a.txt');
    const CopySource = `${Bucket}.cos.${Region()}.myqcloud.com/a.txt`;
    const copy = () => cos.putObjectCopy({ Bucket, Region: Region(), Key: 'a.txt', CopySource, StorageClass: 'STANDARD' });
    assert.equal(await codeOf(copy()), 'InvalidObjectState');
    await cos.restoreObject({ Bucket, Region: Region(), Key: 'a.txt', RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Expedited' } } });
    advance(5 * MINUTE);
    await copy();
    const head = await cos.headObject({ Bucket, Region: Region(), Key: 'a.txt' });
    assert.equal(head.headers?.['x-cos-storage-class'], undefined, 'STANDARD now');
    assert.equal(head.headers?.['x-cos-restore'], undefined, 'the copy is a new version with no restore');
    advance(2 * DAY);
    assert.equal((await cos.getObject({ Bucket, Region: Region(), Key: 'a.txt' })).Body.toString(), '123');
  });
});

describe('archive restore through @aws-sdk/client-s3', () => {
  it('GLACIER objects: GetObject InvalidObjectState, RestoreObject (GlacierJobParameters), HeadObject Restore', async () => {
    const Bucket = uniqueBucket();
    await cos.putBucket({ Bucket, Region: Region() });
    await s3().send(new PutObjectCommand({ Bucket, Key: 'g', Body: 'glacier', StorageClass: 'GLACIER' }));
    await assert.rejects(s3().send(new GetObjectCommand({ Bucket, Key: 'g' })), { name: 'InvalidObjectState' });
    await s3().send(new RestoreObjectCommand({ Bucket, Key: 'g', RestoreRequest: { Days: 1, GlacierJobParameters: { Tier: 'Bulk' } } }));
    assert.equal((await s3().send(new HeadObjectCommand({ Bucket, Key: 'g' }))).Restore, 'ongoing-request="true"');
    advance(12 * HOUR);
    assert.match((await s3().send(new HeadObjectCommand({ Bucket, Key: 'g' }))).Restore ?? '', /^ongoing-request="false", expiry-date=/);
    const get = await s3().send(new GetObjectCommand({ Bucket, Key: 'g' }));
    assert.equal(await get.Body?.transformToString(), 'glacier');
  });
});
