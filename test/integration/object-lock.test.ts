// Object lock enforced, through cos-nodejs-sdk-v5, @aws-sdk/client-s3 and raw requests: a version written
// while the bucket's configuration has a DefaultRetention cannot be deleted or overwritten until its
// retain-until date on the server's clock, which these tests move with the admin clock endpoint
// (--test-controls).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteObjectCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import COS from 'cos-nodejs-sdk-v5';
import { multipartBody, signPolicy } from '../helpers/post-form.ts';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { s3Client } from '../helpers/s3.ts';
import { codeOf, OTHER, OWNER, startTestServer, uniqueBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';

const DAY = 86_400_000;

let server: TestServer;
/** How far the server's clock runs ahead of the real one (the admin endpoint's offsetMs). */
let ahead = 0;
const s3Clients: S3Client[] = [];
const Region = (): string => server.region;

before(async () => {
  server = await startTestServer({ args: ['--test-controls'] });
});
after(async () => {
  for (const client of s3Clients) client.destroy();
  await server.close();
});

/** Moves the server's clock on through the admin endpoint. Tests read time relative to the server's now, wherever earlier ones left it. */
async function advance(ms: number): Promise<void> {
  const res = await send(server.hostPort, { method: 'POST', url: '/_coslocal/v1/clock', body: JSON.stringify({ advanceSeconds: ms / 1000 }), signAs: OWNER });
  assert.equal(res.status, 200, res.text);
  ahead = (JSON.parse(res.text) as { offsetMs: number }).offsetMs;
}

/**
 * A COS client whose clock runs as far ahead as the server's, so its signatures are in the server's
 * window (made after each advance: the SDK's own skew correction reads the real-time Date header).
 */
const cos = (): COS => new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: server.hostPort, SystemClockOffset: ahead });

/** An S3 client as far ahead, for one request (the AWS SDK resets its offset from every response's real-time Date). */
function s3(): S3Client {
  const client = s3Client(server, OWNER, { systemClockOffset: ahead });
  s3Clients.push(client);
  return client;
}

/** A raw request signed for a window on the server's clock. */
function raw(method: string, url: string, body?: string, signAs: TestIdentity = OWNER): Promise<RawResponse> {
  const start = Math.floor((Date.now() + ahead) / 1000);
  return send(server.hostPort, { method, url, ...(body !== undefined && { body }), signAs, signWindow: { start: start - 1, end: start + 900 } });
}

/** Retain-until is the write time + 1 day; Last-Modified shows that time to the second only. */
function assertDayAfter(until: number, lastModifiedSecond: number): void {
  const delta = until - lastModifiedSecond;
  assert.ok(delta >= DAY && delta < DAY + 1000, `retain-until ${new Date(until).toISOString()} is not a day after ${new Date(lastModifiedSecond).toISOString()}`);
}

const lockXml = (days?: number): string =>
  `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>${
    days === undefined ? '' : `<Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>${days}</Days></DefaultRetention></Rule>`
  }</ObjectLockConfiguration>`;

/** A bucket with object lock on: the SDK has no object lock method, so its generic request() sends PUT ?object-lock. */
async function lockedBucket(days?: number): Promise<string> {
  const Bucket = uniqueBucket();
  await cos().putBucket({ Bucket, Region: Region() });
  await cos().request({ Bucket, Region: Region(), Method: 'PUT', Action: 'object-lock', Body: lockXml(days) });
  return Bucket;
}

describe('object lock through cos-nodejs-sdk-v5, on the test clock', () => {
  it('a locked object refuses deletion (409 ObjectLocked) until its retain-until date, then deletes', async () => {
    const Bucket = await lockedBucket(1);
    await cos().putObject({ Bucket, Region: Region(), Key: 'record.txt', Body: 'kept' });
    const head = await cos().headObject({ Bucket, Region: Region(), Key: 'record.txt' });
    assert.equal(head.headers?.['x-cos-object-lock-mode'], 'COMPLIANCE');
    const until = Date.parse(String(head.headers?.['x-cos-object-lock-retain-until-date']));
    assertDayAfter(until, Date.parse(String(head.headers?.['last-modified'])));

    await assert.rejects(cos().deleteObject({ Bucket, Region: Region(), Key: 'record.txt' }), { code: 'ObjectLocked', statusCode: 409 });
    await advance(DAY - 60_000);
    assert.equal(await codeOf(cos().deleteObject({ Bucket, Region: Region(), Key: 'record.txt' })), 'ObjectLocked', 'a minute before the date');
    assert.equal((await cos().getObject({ Bucket, Region: Region(), Key: 'record.txt' })).Body.toString(), 'kept');

    await advance(61_000);
    await cos().deleteObject({ Bucket, Region: Region(), Key: 'record.txt' });
    assert.equal(await codeOf(cos().headObject({ Bucket, Region: Region(), Key: 'record.txt' })), '404');
  });

  it('overwrites are refused too: PUT, Copy onto it, Complete Multipart Upload, POST Object', async () => {
    const Bucket = await lockedBucket(2);
    const Key = 'worm.bin';
    await cos().putObject({ Bucket, Region: Region(), Key, Body: 'original' });
    await cos().putObject({ Bucket, Region: Region(), Key: 'source', Body: 'other' });

    assert.equal(await codeOf(cos().putObject({ Bucket, Region: Region(), Key, Body: 'replacement' })), 'ObjectLocked');
    const CopySource = `${Bucket}.cos.${Region()}.myqcloud.com/source`;
    assert.equal(await codeOf(cos().putObjectCopy({ Bucket, Region: Region(), Key, CopySource })), 'ObjectLocked');
    // A copy onto itself would replace its metadata: COS forbids that during retention as well.
    assert.equal(await codeOf(cos().putObjectCopy({ Bucket, Region: Region(), Key, CopySource: `${Bucket}.cos.${Region()}.myqcloud.com/${Key}`, MetadataDirective: 'Replaced' })), 'ObjectLocked');

    const { UploadId } = await cos().multipartInit({ Bucket, Region: Region(), Key });
    const part = await cos().multipartUpload({ Bucket, Region: Region(), Key, UploadId, PartNumber: 1, Body: 'part' });
    const complete = cos().multipartComplete({ Bucket, Region: Region(), Key, UploadId, Parts: [{ PartNumber: 1, ETag: part.ETag }] });
    assert.equal(await codeOf(complete), 'ObjectLocked');
    // The upload is still there: a refused Complete changes nothing.
    assert.equal((await cos().multipartListPart({ Bucket, Region: Region(), Key, UploadId })).Part?.length, 1);

    const signed = signPolicy(OWNER, [{ bucket: Bucket }], { now: Math.floor((Date.now() + ahead) / 1000) });
    const { body, contentType } = multipartBody({ key: Key, ...signed.fields }, { filename: 'f', content: Buffer.from('posted'), type: 'text/plain' });
    const form = await send(server.hostPort, { method: 'POST', url: `/${Bucket}/`, body, headers: { 'content-type': contentType } });
    assert.deepEqual([form.status, errorOf(form)['Code']], [409, 'ObjectLocked']);
    assert.equal((await cos().getObject({ Bucket, Region: Region(), Key })).Body.toString(), 'original');

    await advance(2 * DAY + 1000);
    await cos().putObject({ Bucket, Region: Region(), Key, Body: 'replacement' });
    assert.equal((await cos().getObject({ Bucket, Region: Region(), Key })).Body.toString(), 'replacement');
  });

  it('DELETE Multiple Objects refuses each locked key in its own <Error> and deletes the rest', async () => {
    const Bucket = uniqueBucket();
    await cos().putBucket({ Bucket, Region: Region() });
    // Written before the configuration: no retention (the rule applies to objects added afterwards [doc]).
    await cos().putObject({ Bucket, Region: Region(), Key: 'before', Body: '1' });
    await cos().request({ Bucket, Region: Region(), Method: 'PUT', Action: 'object-lock', Body: lockXml(3) });
    await cos().putObject({ Bucket, Region: Region(), Key: 'after', Body: '2' });
    const head = await cos().headObject({ Bucket, Region: Region(), Key: 'before' });
    assert.equal(head.headers?.['x-cos-object-lock-mode'], undefined);

    const result = await cos().deleteMultipleObject({ Bucket, Region: Region(), Objects: [{ Key: 'before' }, { Key: 'after' }] });
    assert.deepEqual(result.Deleted.map((d) => d.Key), ['before']);
    assert.deepEqual(result.Error.map((e) => [e.Key, e.Code]), [['after', 'ObjectLocked']]);
  });

  it('Append: the first append writes a locked appendable object, which later appends may not change', async () => {
    const Bucket = await lockedBucket(1);
    await cos().appendObject({ Bucket, Region: Region(), Key: 'log', Body: 'one', Position: 0 });
    assert.equal(await codeOf(cos().appendObject({ Bucket, Region: Region(), Key: 'log', Body: 'two', Position: 3 })), 'ObjectLocked');
    assert.equal((await cos().getObject({ Bucket, Region: Region(), Key: 'log' })).Body.toString(), 'one');
  });

  it('a rule removed later leaves locked versions locked; new versions are not', async () => {
    const Bucket = await lockedBucket(1);
    await cos().putObject({ Bucket, Region: Region(), Key: 'early', Body: '1' });
    await cos().request({ Bucket, Region: Region(), Method: 'PUT', Action: 'object-lock', Body: lockXml() });
    await cos().putObject({ Bucket, Region: Region(), Key: 'late', Body: '2' });
    assert.equal(await codeOf(cos().deleteObject({ Bucket, Region: Region(), Key: 'early' })), 'ObjectLocked');
    await cos().deleteObject({ Bucket, Region: Region(), Key: 'late' });
  });
});

describe('a retention asked for on upload (x-cos-object-lock-mode, x-cos-object-lock-retain-until-date)', () => {
  const lockHeaders = (until: number): Record<string, string> => ({
    'x-cos-object-lock-mode': 'COMPLIANCE',
    'x-cos-object-lock-retain-until-date': new Date(until).toISOString(),
  });

  it('through cos-nodejs-sdk-v5: the version is locked until that date, instead of the bucket default', async () => {
    const Bucket = await lockedBucket(30);
    const until = Math.floor((Date.now() + ahead) / 1000) * 1000 + DAY;
    await cos().putObject({ Bucket, Region: Region(), Key: 'k', Body: 'v', Headers: lockHeaders(until) });
    const head = await cos().headObject({ Bucket, Region: Region(), Key: 'k' });
    assert.equal(head.headers?.['x-cos-object-lock-retain-until-date'], new Date(until).toISOString());
    assert.equal(await codeOf(cos().deleteObject({ Bucket, Region: Region(), Key: 'k' })), 'ObjectLocked');
    await advance(DAY + 1000);
    await cos().deleteObject({ Bucket, Region: Region(), Key: 'k' });
  });

  it('refused, storing nothing: in a bucket without object lock, with one header alone, a past date or another mode', async () => {
    const plain = uniqueBucket();
    await cos().putBucket({ Bucket: plain, Region: Region() });
    const Locked = await lockedBucket();
    const future = Date.now() + ahead + DAY;
    const put = (Bucket: string, Headers: Record<string, string>) => codeOf(cos().putObject({ Bucket, Region: Region(), Key: 'k', Body: 'v', Headers }));
    assert.equal(await put(plain, lockHeaders(future)), 'InvalidRequest');
    assert.equal(await put(Locked, { 'x-cos-object-lock-mode': 'COMPLIANCE' }), 'InvalidArgument');
    assert.equal(await put(Locked, lockHeaders(Date.now() + ahead - DAY)), 'InvalidArgument');
    assert.equal(await put(Locked, { ...lockHeaders(future), 'x-cos-object-lock-mode': 'GOVERNANCE' }), 'InvalidArgument');
    assert.equal(await put(Locked, { ...lockHeaders(future), 'x-cos-object-lock-retain-until-date': 'tomorrow' }), 'InvalidArgument');
    for (const Bucket of [plain, Locked]) assert.equal(await codeOf(cos().headObject({ Bucket, Region: Region(), Key: 'k' })), '404');
  });
});

describe('object lock as raw requests see it', () => {
  it('a refused delete is 409 ObjectLocked with the COS error body', async () => {
    const Bucket = await lockedBucket(1);
    await cos().putObject({ Bucket, Region: Region(), Key: 'k', Body: 'v' });
    const res = await raw('DELETE', `/${Bucket}/k`);
    assert.equal(res.status, 409);
    const error = errorOf(res);
    assert.equal(error['Code'], 'ObjectLocked');
    assert.match(error['Message'] ?? '', /retention/);
    assert.ok(error['RequestId'], 'a RequestId');
  });
});

describe('PUT/GET Object Retention as raw requests', () => {
  const retentionXml = (until: number, mode = 'COMPLIANCE'): string =>
    `<Retention><Mode>${mode}</Mode><RetainUntilDate>${new Date(until).toISOString()}</RetainUntilDate></Retention>`;
  const serverNow = (): number => Date.now() + ahead;

  it('locks an object written without a retention, can only extend it, and GET answers it', async () => {
    const Bucket = await lockedBucket();
    await cos().putObject({ Bucket, Region: Region(), Key: 'k', Body: 'v' });
    const none = await raw('GET', `/${Bucket}/k?retention`);
    assert.deepEqual([none.status, errorOf(none)['Code']], [404, 'NoSuchObjectLockConfiguration']);
    await cos().putObject({ Bucket, Region: Region(), Key: 'k', Body: 'w' });

    const until = Math.floor(serverNow() / 1000) * 1000 + 2 * DAY;
    assert.equal((await raw('PUT', `/${Bucket}/k?retention`, retentionXml(until))).status, 200);
    const got = await raw('GET', `/${Bucket}/k?retention`);
    assert.equal(got.status, 200);
    assert.match(got.text, new RegExp(`<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>${new Date(until).toISOString()}</RetainUntilDate></Retention>`));
    assert.equal(errorOf(await raw('DELETE', `/${Bucket}/k`))['Code'], 'ObjectLocked');

    const shorter = await raw('PUT', `/${Bucket}/k?retention`, retentionXml(until - 1000));
    assert.deepEqual([shorter.status, errorOf(shorter)['Code']], [409, 'InvalidLockedTime']);
    const past = await raw('PUT', `/${Bucket}/k?retention`, retentionXml(serverNow() - 1000));
    assert.deepEqual([past.status, errorOf(past)['Code']], [400, 'InvalidArgument']);
    const governance = await raw('PUT', `/${Bucket}/k?retention`, retentionXml(until + DAY, 'GOVERNANCE'));
    assert.deepEqual([governance.status, errorOf(governance)['Code']], [400, 'InvalidArgument']);
    assert.equal((await raw('PUT', `/${Bucket}/k?retention`, retentionXml(until + DAY))).status, 200, 'extended');

    await advance(2 * DAY + 1000);
    assert.equal(errorOf(await raw('DELETE', `/${Bucket}/k`))['Code'], 'ObjectLocked', 'the extended date holds');
    await advance(DAY);
    assert.equal((await raw('DELETE', `/${Bucket}/k`)).status, 204);
  });

  it('no ACL grants them: another account may write a public-read-write bucket, not set or read a retention', async () => {
    const Bucket = await lockedBucket();
    await cos().putBucketAcl({ Bucket, Region: Region(), ACL: 'public-read-write' });
    await cos().putObject({ Bucket, Region: Region(), Key: 'k', Body: 'v' });
    const put = await raw('PUT', `/${Bucket}/k?retention`, retentionXml(serverNow() + DAY), OTHER);
    assert.deepEqual([put.status, errorOf(put)['Code']], [403, 'AccessDenied']);
    assert.equal(errorOf(await raw('GET', `/${Bucket}/k?retention`, undefined, OTHER))['Code'], 'AccessDenied');
    assert.equal((await raw('PUT', `/${Bucket}/other`, 'x', OTHER)).status, 200, 'bucket WRITE still lets it upload');
  });

  it('needs a bucket with object lock (400 InvalidRequest) and an existing key (404 NoSuchKey)', async () => {
    const Bucket = uniqueBucket();
    await cos().putBucket({ Bucket, Region: Region() });
    await cos().putObject({ Bucket, Region: Region(), Key: 'k', Body: 'v' });
    const until = serverNow() + DAY;
    const unlocked = await raw('PUT', `/${Bucket}/k?retention`, retentionXml(until));
    assert.deepEqual([unlocked.status, errorOf(unlocked)['Code']], [400, 'InvalidRequest']);
    const Locked = await lockedBucket();
    assert.equal(errorOf(await raw('PUT', `/${Locked}/missing?retention`, retentionXml(until)))['Code'], 'NoSuchKey');
  });
});

describe('object lock through @aws-sdk/client-s3', () => {
  it('PutObject with ObjectLockMode and ObjectLockRetainUntilDate (x-amz-object-lock-*)', async () => {
    const Bucket = await lockedBucket();
    const ObjectLockRetainUntilDate = new Date(Math.floor((Date.now() + ahead) / 1000) * 1000 + DAY);
    await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate }));
    const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'k' }));
    assert.deepEqual([head.ObjectLockMode, head.ObjectLockRetainUntilDate], ['COMPLIANCE', ObjectLockRetainUntilDate]);
    await assert.rejects(s3().send(new DeleteObjectCommand({ Bucket, Key: 'k' })), { name: 'AccessDenied' });
  });

  it('PutObjectRetention and GetObjectRetention', async () => {
    const Bucket = await lockedBucket();
    await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
    const RetainUntilDate = new Date(Math.floor((Date.now() + ahead) / 1000) * 1000 + DAY);
    await s3().send(new PutObjectRetentionCommand({ Bucket, Key: 'k', Retention: { Mode: 'COMPLIANCE', RetainUntilDate } }));
    const { Retention } = await s3().send(new GetObjectRetentionCommand({ Bucket, Key: 'k' }));
    assert.deepEqual(Retention, { Mode: 'COMPLIANCE', RetainUntilDate });
    await assert.rejects(s3().send(new DeleteObjectCommand({ Bucket, Key: 'k' })), { name: 'AccessDenied' });
    await assert.rejects(
      s3().send(new PutObjectRetentionCommand({ Bucket, Key: 'k', Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(RetainUntilDate.getTime() - 1000) } })),
      { name: 'AccessDenied' },
    );
  });

  it('PutObjectLockConfiguration, then HeadObject shows the retention and DeleteObject is AccessDenied until the date', async () => {
    const Bucket = uniqueBucket();
    await cos().putBucket({ Bucket, Region: Region() });
    await s3().send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } } } }));
    await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
    const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'k' }));
    assert.equal(head.ObjectLockMode, 'COMPLIANCE');
    assertDayAfter(head.ObjectLockRetainUntilDate?.getTime() ?? 0, head.LastModified?.getTime() ?? 0);

    await assert.rejects(s3().send(new DeleteObjectCommand({ Bucket, Key: 'k' })), { name: 'AccessDenied', message: /object lock/ });
    await assert.rejects(s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'w' })), { name: 'AccessDenied' });
    await advance(DAY + 1000);
    await s3().send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
  });
});
