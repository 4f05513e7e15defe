// The replication job's steps over an in-memory store: a run in pages, and a version whose copy is in the
// destination already (keyed by key and version id) left as it stands there.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PolicyCache } from '../api/common/policy-cache.ts';
import { encodeBucketConfig } from '../domain/bucket-config.ts';
import type { ObjectRecord } from '../domain/object.ts';
import { silentLogger, type Logger, type LogRecord } from '../http/log.ts';
import { MemoryMetadata } from '../storage/memory/memory-metadata.ts';
import { REPLICATION_PAGE, replicationJob } from './replication.ts';

const SOURCE = 'source-1250000000';
const DEST = 'dest-1250000000';
const OWNER = { uin: '100000000001', appid: '1250000000', name: 'owner' };
const OTHER = { uin: '100000000002', appid: '1250000002', name: 'other' };

const object = (bucket: string, key: string, versionId: string, extra: Partial<ObjectRecord> = {}): ObjectRecord => ({
  bucket,
  key,
  versionId,
  size: 1,
  etag: '"0"',
  crc64: '0',
  lastModified: 1,
  content: { inline: Buffer.from(versionId) },
  headers: {},
  storageClass: 'STANDARD',
  acl: undefined,
  ...extra,
});

/** SOURCE replicating everything to DEST (of `destOwner`) with its owner's root account as the Role. */
async function replicatingStore(destOwner = OWNER): Promise<MemoryMetadata> {
  const meta = new MemoryMetadata();
  await meta.tx(async (tx) => {
    for (const account of [OWNER, OTHER]) await tx.putAccount(account);
    for (const [name, owner] of [[SOURCE, OWNER], [DEST, destOwner]] as const) {
      await tx.insertBucket({ name, ownerUin: owner.uin, region: 'ap-guangzhou', createdAt: 0 });
      await tx.putBucketConfig(name, 'versioning', 'Enabled');
    }
    const rule = { ID: 'all', Status: 'Enabled', Prefix: '', Destination: { Bucket: `qcs::cos:ap-guangzhou::${DEST}` } };
    await tx.putBucketConfig(SOURCE, 'replication', encodeBucketConfig('replication', { Role: `qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}`, Rule: [rule] }));
  });
  return meta;
}

/** Runs the job's steps until its run is done; returns how many steps it took. */
async function run(meta: MemoryMetadata, log: Logger = silentLogger): Promise<number> {
  const job = replicationJob({ meta, policies: new PolicyCache(), log });
  let steps = 0;
  let cursor: string | undefined;
  do {
    cursor = await job.step(cursor, 0);
    steps++;
  } while (cursor !== undefined);
  return steps;
}

const destVersions = async (meta: MemoryMetadata): Promise<string[]> =>
  (await meta.listVersions({ bucket: DEST, prefix: '', after: { key: '' }, limit: 1000 })).map((v) => `${v.key}:${v.versionId}`);

it('copies the queue a page per step, until it is empty', async () => {
  const meta = await replicatingStore();
  const count = REPLICATION_PAGE + 5;
  await meta.tx(async (tx) => {
    for (let i = 0; i < count; i++) await tx.putObject(object(SOURCE, `k${String(i).padStart(3, '0')}`, 'v1', { replication: 'PENDING' }));
  });
  assert.equal(await run(meta), 2);
  assert.equal((await destVersions(meta)).length, count);
  assert.deepEqual(await meta.listPendingReplication(10), []);
});

it('a version already copied (same key and version id) is not copied again: a later version stays current', async () => {
  const meta = await replicatingStore();
  await meta.tx(async (tx) => {
    await tx.putObject(object(SOURCE, 'k', 'v1', { replication: 'PENDING' }));
    // As if its copy had been made and the destination written to since.
    await tx.putObject(object(DEST, 'k', 'v1', { replication: 'REPLICA' }));
    await tx.putObject(object(DEST, 'k', 'later'));
  });
  await run(meta);
  assert.deepEqual(await destVersions(meta), ['k:later', 'k:v1']);
  assert.equal((await meta.getVersion(SOURCE, 'k', 'v1'))?.replication, 'COMPLETED');
});

it('a version removed before the job ran is not copied, and the rest of its page is', async () => {
  const meta = await replicatingStore();
  await meta.tx(async (tx) => {
    await tx.putObject(object(SOURCE, 'a', 'v1', { replication: 'PENDING' }));
    await tx.putObject(object(SOURCE, 'b', 'v1', { replication: 'PENDING' }));
    await tx.deleteVersion(SOURCE, 'a', 'v1');
  });
  await run(meta);
  assert.deepEqual(await destVersions(meta), ['b:v1']);
});

it('a destination the Role may not write to: FAILED, nothing written, the decision logged at warn with the job name', async () => {
  const meta = await replicatingStore(OTHER);
  await meta.tx((tx) => tx.putObject(object(SOURCE, 'k', 'v1', { replication: 'PENDING' })));
  const warnings: LogRecord[] = [];
  await run(meta, { ...silentLogger, warn: (record) => warnings.push(record) });
  assert.deepEqual(await destVersions(meta), []);
  assert.equal((await meta.getVersion(SOURCE, 'k', 'v1'))?.replication, 'FAILED');
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]?.['job'], 'replication');
  assert.match(JSON.stringify(warnings[0]?.['decision']), new RegExp(`is not the owner of ${DEST}, no policy statement allows name/cos:PutObject`));
});
