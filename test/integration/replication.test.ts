// Bucket replication acted on (jobs/replication.ts) through cos-nodejs-sdk-v5 and the AWS SDK: a write a rule
// selects is PENDING, POST /_coslocal/v1/jobs/replication/run copies it, and then the source says COMPLETED
// and the destination holds a REPLICA with the same version id, bytes, metadata, tags and ACL. The server's
// clock is frozen, so the job runs only when a test runs it and PENDING can be seen.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import COS from 'cos-nodejs-sdk-v5';
import { send } from '../helpers/raw.ts';
import { s3Client } from '../helpers/s3.ts';
import { OTHER, OWNER, SUB, startTestServer, uniqueBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';

const TARGET_REGION = 'ap-chengdu';
let server: TestServer;
let cos: COS;
const Region = (): string => server.region;

async function admin(method: string, path: string, body?: object): Promise<unknown> {
  const res = await send(server.hostPort, { method, url: `/_coslocal/v1/${path}`, ...(body && { body: JSON.stringify(body) }), signAs: OWNER });
  assert.equal(res.status, 200, res.text);
  return JSON.parse(res.text);
}

const runReplication = (): Promise<unknown> => admin('POST', 'jobs/replication/run');

interface JobJson {
  name: string;
  running: boolean;
  nextRunAt: string;
  lastRun?: { endedAt: string };
}

/**
 * Waits for the runner's start-up run of the replication job (every job is due at start) to be over and
 * its next one after it on the frozen clock: else a run it started after a test's first write would copy
 * that before the test has seen it PENDING.
 */
async function startUpRunOver(): Promise<void> {
  for (;;) {
    const { jobs } = (await admin('GET', 'jobs')) as { jobs: JobJson[] };
    const job = jobs.find((j) => j.name === 'replication');
    if (job?.lastRun && !job.running && Date.parse(job.nextRunAt) > Date.parse(job.lastRun.endedAt)) return;
    await setTimeout(20);
  }
}

interface Pair {
  Bucket: string;
  target: string;
  /** The SDK of the target's owner. */
  targetCos: COS;
}

const roleOf = (identity: TestIdentity): string => `qcs::cam::uin/${OWNER.uin}:uin/${identity.uin}`;

/** A bucket policy of `target` letting the Role put objects there: how its owner grants a Role other than its own root the writes. */
async function grantPut(targetCos: COS, target: string, targetOwner: TestIdentity, role: string): Promise<void> {
  const Statement = [{ Principal: { qcs: [role] }, Effect: 'allow', Action: ['name/cos:PutObject'], Resource: [`qcs::cos:${TARGET_REGION}:uid/${targetOwner.appid}:${target}/*`] }];
  await targetCos.putBucketPolicy({ Bucket: target, Region: TARGET_REGION, Policy: { version: '2.0', Statement } });
}

/**
 * A versioned source bucket replicating `rules` to a versioned bucket of `targetOwner` in ap-chengdu, as
 * OWNER's account or sub-account `as`; a target only the owner's root could write to grants the Role PutObject.
 */
async function replicatingPair(rules: Partial<COS.ReplicationRule>[], targetOwner: TestIdentity = OWNER, as: TestIdentity = OWNER): Promise<Pair> {
  const Bucket = await server.newBucket();
  const target = uniqueBucket(targetOwner.appid);
  const targetCos = server.sdk(targetOwner);
  await targetCos.putBucket({ Bucket: target, Region: TARGET_REGION });
  await targetCos.putBucketVersioning({ Bucket: target, Region: TARGET_REGION, VersioningConfiguration: { Status: 'Enabled' } });
  if (targetOwner !== OWNER || as !== OWNER) await grantPut(targetCos, target, targetOwner, roleOf(as));
  await cos.putBucketVersioning({ Bucket, Region: Region(), VersioningConfiguration: { Status: 'Enabled' } });
  const Rules = rules.map((rule, i) => ({ ID: `r${i}`, Status: 'Enabled', Prefix: '', ...rule, Destination: { ...rule.Destination, Bucket: `qcs::cos:${TARGET_REGION}::${target}` } }));
  await cos.putBucketReplication({ Bucket, Region: Region(), ReplicationConfiguration: { Role: roleOf(as), Rules: Rules as COS.ReplicationRule[] } });
  return { Bucket, target, targetCos };
}

const statusOf = async (sdk: COS, Bucket: string, BucketRegion: string, Key: string, VersionId?: string): Promise<string | undefined> =>
  (await sdk.headObject({ Bucket, Region: BucketRegion, Key, ...(VersionId && { VersionId }) })).headers?.['x-cos-replication-status'];

/**
 * The bucket's versions as `key:id:object`, in listing order (each key's newest first), then its delete
 * markers as `key:id:marker`: the SDK lists them apart, and on the frozen clock their times are all equal.
 */
async function versionsOf(sdk: COS, Bucket: string, BucketRegion: string): Promise<string[]> {
  const listed = await sdk.listObjectVersions({ Bucket, Region: BucketRegion });
  return [...listed.Versions.map((v) => `${v.Key}:${v.VersionId}:object`), ...listed.DeleteMarkers.map((m) => `${m.Key}:${m.VersionId}:marker`)];
}

before(async () => {
  server = await startTestServer({ args: ['--test-controls'] });
  cos = server.sdk();
  await admin('POST', 'clock', { freeze: true });
  await startUpRunOver();
});
after(() => server.close());

describe('replication of new objects', () => {
  it('a selected write is PENDING, then COMPLETED; the replica is REPLICA with the same version id, bytes, metadata, tags and ACL', async () => {
    const { Bucket, target, targetCos } = await replicatingPair([{ Prefix: 'sync/' }]);
    const put = await cos.putObject({
      Bucket,
      Region: Region(),
      Key: 'sync/a.txt',
      Body: 'replicated bytes',
      ContentType: 'text/x-replicated',
      ACL: 'public-read',
      Headers: { 'x-cos-meta-origin': 'source', 'x-cos-tagging': 'team=storage' },
    });
    await cos.putObject({ Bucket, Region: Region(), Key: 'local/b.txt', Body: 'stays' });
    assert.equal(await statusOf(cos, Bucket, Region(), 'sync/a.txt'), 'PENDING');
    assert.equal(await statusOf(cos, Bucket, Region(), 'local/b.txt'), undefined, 'no rule selects it');
    assert.deepEqual(await versionsOf(targetCos, target, TARGET_REGION), [], 'nothing before the job runs');

    assert.equal(((await runReplication()) as { outcome: string }).outcome, 'success');
    assert.equal(await statusOf(cos, Bucket, Region(), 'sync/a.txt'), 'COMPLETED');
    const replica = await targetCos.getObject({ Bucket: target, Region: TARGET_REGION, Key: 'sync/a.txt' });
    assert.equal(replica.Body.toString(), 'replicated bytes');
    assert.equal(replica.headers?.['x-cos-replication-status'], 'REPLICA');
    assert.equal(replica.headers?.['x-cos-version-id'], put.VersionId);
    assert.equal(replica.headers?.['content-type'], 'text/x-replicated');
    assert.equal(replica.headers?.['x-cos-meta-origin'], 'source');
    assert.equal(replica.ETag, put.ETag);
    const tags = await targetCos.getObjectTagging({ Bucket: target, Region: TARGET_REGION, Key: 'sync/a.txt' });
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'storage' }]);
    const acl = await targetCos.getObjectAcl({ Bucket: target, Region: TARGET_REGION, Key: 'sync/a.txt' });
    assert.equal(acl.ACL, 'public-read');
    assert.deepEqual(await versionsOf(targetCos, target, TARGET_REGION), [`sync/a.txt:${put.VersionId}:object`], 'local/b.txt is not replicated');
  });

  it('every version of a key, in order, once: running the job again adds nothing; the replica is not replicated on', async () => {
    const { Bucket, target, targetCos } = await replicatingPair([{}]);
    // The destination replicates on to a third bucket: a replica is not a write, so nothing goes there.
    const third = uniqueBucket();
    await cos.putBucket({ Bucket: third, Region: TARGET_REGION });
    await cos.putBucketVersioning({ Bucket: third, Region: TARGET_REGION, VersioningConfiguration: { Status: 'Enabled' } });
    const onward: COS.ReplicationRule = { ID: 'onward', Status: 'Enabled', Prefix: '', Destination: { Bucket: `qcs::cos:${TARGET_REGION}::${third}` } };
    await targetCos.putBucketReplication({ Bucket: target, Region: TARGET_REGION, ReplicationConfiguration: { Role: `qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}`, Rules: [onward] } });
    const ids: string[] = [];
    for (const Body of ['one', 'two', 'three']) ids.push((await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body })).VersionId ?? '');
    await runReplication();
    await runReplication();
    assert.deepEqual(await versionsOf(targetCos, target, TARGET_REGION), ids.reverse().map((id) => `k:${id}:object`));
    assert.equal((await targetCos.getObject({ Bucket: target, Region: TARGET_REGION, Key: 'k' })).Body.toString(), 'three');
    for (const id of ids) assert.equal(await statusOf(cos, Bucket, Region(), 'k', id), 'COMPLETED');
    assert.deepEqual(await versionsOf(cos, third, TARGET_REGION), []);
  });

  it('copies, multipart uploads, encrypted, small and large bodies replicate alike', async () => {
    const { Bucket, target, targetCos } = await replicatingPair([{}]);
    const big = Buffer.alloc(200 * 1024, 3);
    await cos.putObject({ Bucket, Region: Region(), Key: 'big', Body: big });
    await cos.putObject({ Bucket, Region: Region(), Key: 'sealed', Body: 'sealed bytes', ServerSideEncryption: 'AES256' });
    await cos.putObjectCopy({ Bucket, Region: Region(), Key: 'copy', CopySource: `${Bucket}.cos.${Region()}.myqcloud.com/big` });
    const { UploadId } = await cos.multipartInit({ Bucket, Region: Region(), Key: 'multi' });
    const part = await cos.multipartUpload({ Bucket, Region: Region(), Key: 'multi', UploadId, PartNumber: 1, Body: 'part' });
    await cos.multipartComplete({ Bucket, Region: Region(), Key: 'multi', UploadId, Parts: [{ PartNumber: 1, ETag: part.ETag }] });
    await runReplication();
    const sealed = await targetCos.getObject({ Bucket: target, Region: TARGET_REGION, Key: 'sealed' });
    assert.equal(sealed.headers?.['x-cos-server-side-encryption'], 'AES256');
    for (const [Key, body] of [['big', big], ['copy', big], ['multi', Buffer.from('part')], ['sealed', Buffer.from('sealed bytes')]] as const) {
      assert.deepEqual((await targetCos.getObject({ Bucket: target, Region: TARGET_REGION, Key })).Body, body, Key);
      assert.equal(await statusOf(cos, Bucket, Region(), Key), 'COMPLETED', Key);
    }
  });

  it('to another account\'s bucket that grants the Role PutObject, in the rule\'s storage class', async () => {
    const { Bucket, target, targetCos } = await replicatingPair([{ Destination: { StorageClass: 'STANDARD_IA' } as COS.ReplicationRule['Destination'] }], OTHER);
    await cos.putObject({ Bucket, Region: Region(), Key: 'x', Body: 'to other' });
    await runReplication();
    const replica = await targetCos.getObject({ Bucket: target, Region: TARGET_REGION, Key: 'x' });
    assert.equal(replica.Body.toString(), 'to other');
    assert.equal(replica.headers?.['x-cos-storage-class'], 'STANDARD_IA');
  });

  it('FAILED when the destination is gone by the time the job runs', async () => {
    const { Bucket, target, targetCos } = await replicatingPair([{}]);
    await targetCos.deleteBucket({ Bucket: target, Region: TARGET_REGION });
    await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: 'x' });
    await runReplication();
    assert.equal(await statusOf(cos, Bucket, Region(), 'k'), 'FAILED');
  });

  it('S3 clients read ReplicationStatus', async () => {
    const { Bucket, target } = await replicatingPair([{}]);
    await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: 'x' });
    const s3 = s3Client(server);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'k' }))).ReplicationStatus, 'PENDING');
    await runReplication();
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'k' }))).ReplicationStatus, 'COMPLETED');
    const targetS3 = s3Client({ endpoint: server.endpoint, region: TARGET_REGION });
    assert.equal((await targetS3.send(new HeadObjectCommand({ Bucket: target, Key: 'k' }))).ReplicationStatus, 'REPLICA');
  });
});

describe('the Role\'s permission to write to the destination', () => {
  // The bucket policy that let the Role pass PUT Bucket replication is deleted before the write.
  const withdrawn = [
    { what: "another account's destination, its grant withdrawn", targetOwner: OTHER, as: OWNER },
    { what: "a sub-account Role no user policy lets put objects, in its own account's bucket", targetOwner: OWNER, as: SUB },
  ];
  for (const { what, targetOwner, as } of withdrawn) {
    it(`FAILED, nothing written: ${what}`, async () => {
      const { Bucket, target, targetCos } = await replicatingPair([{}], targetOwner, as);
      await targetCos.deleteBucketPolicy({ Bucket: target, Region: TARGET_REGION });
      await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: 'x' });
      await runReplication();
      assert.equal(await statusOf(cos, Bucket, Region(), 'k'), 'FAILED');
      assert.deepEqual(await versionsOf(targetCos, target, TARGET_REGION), []);
    });
  }

  it('PUT Bucket replication answers a destination the Role may not write to as a missing one', async () => {
    const Bucket = await server.newBucket();
    await cos.putBucketVersioning({ Bucket, Region: Region(), VersioningConfiguration: { Status: 'Enabled' } });
    const other = server.sdk(OTHER);
    const [versioned, unversioned] = [uniqueBucket(OTHER.appid), uniqueBucket(OTHER.appid)];
    for (const name of [versioned, unversioned]) await other.putBucket({ Bucket: name, Region: TARGET_REGION });
    await other.putBucketVersioning({ Bucket: versioned, Region: TARGET_REGION, VersioningConfiguration: { Status: 'Enabled' } });
    const refusal = (destination: string, Role = roleOf(OWNER)): Promise<unknown> =>
      cos
        .putBucketReplication({
          Bucket,
          Region: Region(),
          ReplicationConfiguration: { Role, Rules: [{ ID: 'r', Status: 'Enabled', Prefix: '', Destination: { Bucket: `qcs::cos:${TARGET_REGION}::${destination}` } }] },
        })
        .then(
          () => 'accepted',
          (e: { statusCode: number; code: string; message: string }) => ({ statusCode: e.statusCode, code: e.code, message: e.message }),
        );
    const missing = await refusal(uniqueBucket(OTHER.appid));
    assert.deepEqual(missing, { statusCode: 400, code: 'InvalidRequest', message: 'Destination bucket must exist' });
    assert.deepEqual(await refusal(versioned), missing);
    assert.deepEqual(await refusal(unversioned), missing, 'not told either that it exists without versioning');
    // Even the owner's own versioned bucket: a Role of another account never writes for this one.
    const own = uniqueBucket();
    await cos.putBucket({ Bucket: own, Region: TARGET_REGION });
    await cos.putBucketVersioning({ Bucket: own, Region: TARGET_REGION, VersioningConfiguration: { Status: 'Enabled' } });
    assert.deepEqual(await refusal(own, `qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`), missing);
    assert.equal(await refusal(own), 'accepted');
  });
});

describe('replication of deletes', () => {
  it('a DELETE\'s marker is replicated with DeleteMarkerReplication Enabled (same id); a delete of a version is not', async () => {
    const { Bucket, target, targetCos } = await replicatingPair([{ DeleteMarkerReplication: { Status: 'Enabled' } } as Partial<COS.ReplicationRule>]);
    const first = (await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: '1' })).VersionId ?? '';
    const second = (await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: '2' })).VersionId ?? '';
    await runReplication();
    const marker = (await cos.deleteObject({ Bucket, Region: Region(), Key: 'k' })).headers?.['x-cos-version-id'] ?? '';
    // The SDK sends VersionId; its index.d.ts omits it.
    await cos.deleteObject({ Bucket, Region: Region(), Key: 'k', VersionId: first } as COS.DeleteObjectParams);
    await runReplication();
    assert.deepEqual(await versionsOf(targetCos, target, TARGET_REGION), [`k:${second}:object`, `k:${first}:object`, `k:${marker}:marker`]);
    await assert.rejects(targetCos.headObject({ Bucket: target, Region: TARGET_REGION, Key: 'k' }), { statusCode: 404 });
  });

  it('without DeleteMarkerReplication the marker stays in the source', async () => {
    const { Bucket, target, targetCos } = await replicatingPair([{}]);
    const put = (await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: '1' })).VersionId ?? '';
    await cos.deleteObject({ Bucket, Region: Region(), Key: 'k' });
    await runReplication();
    assert.deepEqual(await versionsOf(targetCos, target, TARGET_REGION), [`k:${put}:object`]);
  });
});
