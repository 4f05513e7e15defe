// Lifecycle rules acted on (jobs/lifecycle.ts) through cos-nodejs-sdk-v5, on the test clock: moving the clock
// with the admin endpoint wakes the job runner, and POST /_coslocal/v1/jobs/lifecycle/run runs it and waits.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import { send, type RawResponse } from '../helpers/raw.ts';
import { codeOf, OWNER, startTestServer, type TestServer } from '../helpers/server.ts';

const DAY = 24 * 3600 * 1000;
/** Objects below 64 KB are never transitioned (domain/lifecycle-rules.ts MIN_TRANSITION_SIZE). */
const BIG = Buffer.alloc(64 * 1024, 7);

let server: TestServer;
let cos: COS;
/** How far the server's clock runs ahead of the real one. */
let ahead = 0;
const Region = (): string => server.region;

const admin = (method: string, path: string, body?: object): Promise<RawResponse> =>
  send(server.hostPort, { method, url: `/_coslocal/v1/${path}`, ...(body && { body: JSON.stringify(body) }), signAs: OWNER });

/** Moves the server's clock on, and the SDK's with it (its signatures must stay in the server's window). */
async function advance(ms: number): Promise<void> {
  const res = await admin('POST', 'clock', { advanceSeconds: ms / 1000 });
  assert.equal(res.status, 200, res.text);
  ahead += ms;
  cos = new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: server.hostPort, SystemClockOffset: ahead });
}

async function runLifecycle(): Promise<Record<string, unknown>> {
  const res = await admin('POST', 'jobs/lifecycle/run');
  assert.equal(res.status, 200, res.text);
  return JSON.parse(res.text) as Record<string, unknown>;
}

async function keysOf(Bucket: string): Promise<string[]> {
  return (await cos.getBucket({ Bucket, Region: Region() })).Contents.map((c) => c.Key);
}

/** The key's versions, newest first (the tests' versions are days apart), as `object` or `marker`. */
async function versionsOf(Bucket: string, Key: string): Promise<string[]> {
  const listed = await cos.listObjectVersions({ Bucket, Region: Region(), Prefix: Key });
  const versions = [...listed.DeleteMarkers.map((m) => ({ at: m.LastModified, what: 'marker' })), ...listed.Versions.map((v) => ({ at: v.LastModified, what: 'object' }))];
  return versions.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).map((v) => v.what);
}

async function bucketWith(rules: COS.LifecycleRule[], versioned = false): Promise<string> {
  const Bucket = await server.newBucket();
  if (versioned) await cos.putBucketVersioning({ Bucket, Region: Region(), VersioningConfiguration: { Status: 'Enabled' } });
  await cos.putBucketLifecycle({ Bucket, Region: Region(), Rules: rules });
  return Bucket;
}

before(async () => {
  server = await startTestServer({ args: ['--test-controls'] });
  cos = server.sdk();
});
after(() => server.close());

describe('lifecycle expiration', () => {
  it('expires objects after "30 days" well within a second of moving the clock, and only those its prefix selects', async () => {
    const Bucket = await bucketWith([{ ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: '30' } }]);
    for (const Key of ['logs/a', 'logs/b', 'keep/c']) await cos.putObject({ Bucket, Region: Region(), Key, Body: Key });

    await advance(29 * DAY);
    await runLifecycle();
    assert.deepEqual(await keysOf(Bucket), ['keep/c', 'logs/a', 'logs/b'], '29 days are not 30');

    const moved = Date.now();
    await advance(2 * DAY);
    while ((await keysOf(Bucket)).length > 1) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(Date.now() - moved < 1000, `took ${Date.now() - moved} ms`);
    assert.deepEqual(await keysOf(Bucket), ['keep/c']);
  });

  it('selects by tags (Filter And: prefix and every tag) and leaves a disabled rule alone', async () => {
    const Bucket = await bucketWith([
      { ID: 'tagged', Status: 'Enabled', Filter: { And: { Prefix: 'p/', Tag: [{ Key: 'k', Value: 'v' }] } }, Expiration: { Days: '1' } },
      { ID: 'off', Status: 'Disabled', Filter: { Prefix: 'off/' }, Expiration: { Days: '1' } },
    ]);
    const put = (Key: string, Tagging?: string) => cos.putObject({ Bucket, Region: Region(), Key, Body: 'x', ...(Tagging && { Headers: { 'x-cos-tagging': Tagging } }) });
    await put('p/tagged', 'k=v');
    await put('p/other-tag', 'k=w');
    await put('p/plain');
    await put('q/tagged', 'k=v');
    await put('off/x');
    await advance(2 * DAY);
    await runLifecycle();
    assert.deepEqual(await keysOf(Bucket), ['off/x', 'p/other-tag', 'p/plain', 'q/tagged']);
  });

  it('expires on a Date (midnight Beijing time), not before', async () => {
    const now = Date.now() + ahead;
    // The first midnight (UTC+8) at least 3 days ahead.
    const date = Math.ceil((now + 3 * DAY - 16 * 3600_000) / DAY) * DAY + 16 * 3600_000;
    const Bucket = await bucketWith([{ ID: 'd', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date(date).toISOString() } }]);
    await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: 'x' });
    await advance(date - now - 60_000);
    await runLifecycle();
    assert.deepEqual(await keysOf(Bucket), ['k'], 'a minute before the date');
    await advance(120_000);
    await runLifecycle();
    assert.deepEqual(await keysOf(Bucket), []);
  });
});

describe('lifecycle in a versioned bucket', () => {
  it('stacks one delete marker per expired key, expires noncurrent versions, then the lone marker', async () => {
    const Bucket = await bucketWith([{ ID: 'all', Status: 'Enabled', Filter: {}, Expiration: { Days: '1' }, NoncurrentVersionExpiration: { NoncurrentDays: '1' } }], true);
    await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: 'v1' });
    await advance(3 * DAY);
    await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: 'v2' });
    assert.deepEqual(await versionsOf(Bucket, 'k'), ['object', 'object']);

    await advance(2 * DAY);
    await runLifecycle();
    // v2 expired: a delete marker above it; v1, noncurrent since v2 was written 2 days ago, is gone.
    assert.deepEqual(await versionsOf(Bucket, 'k'), ['marker', 'object']);
    await runLifecycle();
    assert.deepEqual(await versionsOf(Bucket, 'k'), ['marker', 'object'], 'a second run adds no second marker');

    // Two runs: the first removes v2 (noncurrent for 2 days), the second the marker, alone then (a run
    // looks at a key's marker before the versions below it). Moving the clock may have started the first
    // already, or not yet (the runner may be running another job due): then a third comes, to no effect.
    await advance(2 * DAY);
    await runLifecycle();
    await runLifecycle();
    assert.deepEqual(await versionsOf(Bucket, 'k'), []);
  });

  it('in a Suspended bucket, puts a null delete marker in place of the old null version and keeps it', async () => {
    const Bucket = await bucketWith([{ ID: 'all', Status: 'Enabled', Filter: {}, Expiration: { Days: '1' }, NoncurrentVersionExpiration: { NoncurrentDays: '1' } }]);
    const versioning = (Status: 'Enabled' | 'Suspended') => cos.putBucketVersioning({ Bucket, Region: Region(), VersioningConfiguration: { Status } });
    await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: 'null version' });
    await versioning('Enabled');
    await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: 'v2' });
    await versioning('Suspended');
    await advance(3 * DAY);
    await runLifecycle();
    // v2 expired: the null marker replaced the null version; v2, noncurrent since just now, stays.
    assert.deepEqual(await versionsOf(Bucket, 'k'), ['marker', 'object']);
  });

  it('removes an expired object delete marker with ExpiredObjectDeleteMarker', async () => {
    const Bucket = await bucketWith([{ ID: 'm', Status: 'Enabled', Filter: {}, Expiration: { ExpiredObjectDeleteMarker: 'true' } }], true);
    await cos.putObject({ Bucket, Region: Region(), Key: 'lone', Body: 'x' });
    await cos.putObject({ Bucket, Region: Region(), Key: 'kept', Body: 'x' });
    await cos.deleteObject({ Bucket, Region: Region(), Key: 'lone' });
    await cos.deleteObject({ Bucket, Region: Region(), Key: 'kept' });
    const { Versions } = await cos.listObjectVersions({ Bucket, Region: Region(), Prefix: 'lone' });
    // The SDK forwards VersionId on deleteObject; its index.d.ts omits it.
    await cos.deleteObject({ Bucket, Region: Region(), Key: 'lone', VersionId: Versions[0]?.VersionId ?? '' } as COS.DeleteObjectParams);
    await runLifecycle();
    assert.deepEqual(await versionsOf(Bucket, 'lone'), []);
    assert.deepEqual(await versionsOf(Bucket, 'kept'), ['marker', 'object'], 'a marker with a version below it stays');
  });
});

describe('lifecycle transitions and uploads', () => {
  it('moves objects of 64 KB and more to ARCHIVE, which then need a restore to be read', async () => {
    const Bucket = await bucketWith([{ ID: 't', Status: 'Enabled', Filter: {}, Transition: [{ Days: '30', StorageClass: 'ARCHIVE' }] }]);
    await cos.putObject({ Bucket, Region: Region(), Key: 'big', Body: BIG });
    await cos.putObject({ Bucket, Region: Region(), Key: 'small', Body: 'x' });
    await advance(31 * DAY);
    await runLifecycle();
    const storageClass = async (Key: string): Promise<unknown> => (await cos.headObject({ Bucket, Region: Region(), Key })).headers?.['x-cos-storage-class'];
    assert.equal(await storageClass('big'), 'ARCHIVE');
    assert.equal(await storageClass('small'), undefined, 'still STANDARD');
    assert.equal(await codeOf(cos.getObject({ Bucket, Region: Region(), Key: 'big' })), 'InvalidObjectState');
    await cos.restoreObject({ Bucket, Region: Region(), Key: 'big', RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Expedited' } } });
    await advance(10 * 60_000);
    assert.deepEqual((await cos.getObject({ Bucket, Region: Region(), Key: 'big' })).Body, BIG);
  });

  it('aborts multipart uploads DaysAfterInitiation after they began', async () => {
    const Bucket = await bucketWith([{ ID: 'u', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: '7' } }]);
    const stale = await cos.multipartInit({ Bucket, Region: Region(), Key: 'tmp/big' });
    const other = await cos.multipartInit({ Bucket, Region: Region(), Key: 'keep/big' });
    await cos.multipartUpload({ Bucket, Region: Region(), Key: 'tmp/big', UploadId: stale.UploadId, PartNumber: 1, Body: 'part' });
    await advance(6 * DAY);
    await runLifecycle();
    await cos.multipartListPart({ Bucket, Region: Region(), Key: 'tmp/big', UploadId: stale.UploadId });
    await advance(2 * DAY);
    await runLifecycle();
    assert.equal(await codeOf(cos.multipartListPart({ Bucket, Region: Region(), Key: 'tmp/big', UploadId: stale.UploadId })), 'NoSuchUpload');
    await cos.multipartListPart({ Bucket, Region: Region(), Key: 'keep/big', UploadId: other.UploadId });
  });
});

describe('the jobs endpoint and metrics', () => {
  it('lists the lifecycle job with its last run, and counts runs by outcome', async () => {
    const ran = await runLifecycle();
    assert.equal(ran['outcome'], 'success');
    const listed = JSON.parse((await admin('GET', 'jobs')).text) as { jobs: { name: string; running: boolean; lastRun?: { outcome: string }; nextRunAt: string }[] };
    const job = listed.jobs.find((j) => j.name === 'lifecycle');
    assert.equal(job?.lastRun?.outcome, 'success');
    assert.ok(Date.parse(job?.nextRunAt ?? '')  > Date.now() + ahead, 'the next run is ahead');
    const metrics = await send(server.hostPort, { method: 'GET', url: '/_coslocal/metrics' });
    assert.match(metrics.text, /coslocal_job_runs_total\{job="lifecycle",outcome="success"\} [1-9]/);
    assert.match(metrics.text, /coslocal_job_last_success_timestamp_seconds\{job="lifecycle"\} \d/);
  });

  it('answers an unknown job and a wrong method with JSON errors, and anonymous callers not at all', async () => {
    assert.equal((await admin('POST', 'jobs/nope/run')).status, 400);
    assert.equal((await admin('GET', 'jobs/lifecycle/run')).status, 405);
    assert.equal((await send(server.hostPort, { method: 'GET', url: '/_coslocal/v1/jobs' })).status, 403);
  });
});
