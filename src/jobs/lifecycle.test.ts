// The lifecycle job's steps over an in-memory store: a run in pages, and a change that replaces a version
// listed further down the same page.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { encodeBucketConfig } from '../domain/bucket-config.ts';
import type { ConfigTree } from '../domain/config-schema.ts';
import type { ObjectRecord } from '../domain/object.ts';
import { MemoryMetadata } from '../storage/memory/memory-metadata.ts';
import { LIFECYCLE_PAGE, lifecycleJob } from './lifecycle.ts';

const DAY = 86_400_000;
const BUCKET = 'lifecycle-1250000000';
const OWNER = { uin: '100000000001', appid: '1250000000', name: 'owner' };

const object = (key: string, versionId: string, lastModified: number): ObjectRecord => ({
  bucket: BUCKET,
  key,
  versionId,
  size: 1,
  etag: '"0"',
  crc64: '0',
  lastModified,
  content: { inline: Buffer.from('x') },
  headers: {},
  storageClass: 'STANDARD',
  acl: undefined,
});

async function storeWith(rules: ConfigTree[], versioning: 'Enabled' | 'Suspended' | undefined, versions: ObjectRecord[]): Promise<MemoryMetadata> {
  const meta = new MemoryMetadata();
  await meta.tx(async (tx) => {
    await tx.putAccount(OWNER);
    await tx.insertBucket({ name: BUCKET, ownerUin: OWNER.uin, region: 'ap-guangzhou', createdAt: 0 });
    await tx.putBucketConfig(BUCKET, 'lifecycle', encodeBucketConfig('lifecycle', { Rule: rules.map((rule) => ({ Status: 'Enabled', Filter: {}, ...rule })) }));
    if (versioning) await tx.putBucketConfig(BUCKET, 'versioning', versioning);
    for (const version of versions) await tx.putObject(version);
  });
  return meta;
}

/** Steps a run to its end; how many steps it took. */
async function runToEnd(meta: MemoryMetadata, now: number): Promise<number> {
  const job = lifecycleJob({ meta, collectSoon: () => undefined });
  let steps = 0;
  let cursor: string | undefined;
  do {
    cursor = await job.step(cursor, now);
    steps++;
  } while (cursor !== undefined);
  return steps;
}

const chain = async (meta: MemoryMetadata, key: string): Promise<string[]> =>
  (await meta.listVersions({ bucket: BUCKET, prefix: key, after: { key: '' }, limit: 10 })).map((v) => `${v.versionId}${v.deleteMarker ? ':marker' : ''}`);

it('walks a bucket a page at a time, expiring every key once', async () => {
  const keys = Array.from({ length: LIFECYCLE_PAGE * 2 + 5 }, (_, i) => `k${String(i).padStart(4, '0')}`);
  const meta = await storeWith([{ Expiration: { Days: '1' } }], undefined, keys.map((key) => object(key, 'null', 0)));
  // One step finds the bucket, three walk its versions, one its uploads.
  assert.equal(await runToEnd(meta, 3 * DAY), 5);
  assert.deepEqual(await meta.listObjects({ bucket: BUCKET, prefix: '', after: '', limit: 10 }), []);
});

it('in a Suspended bucket, does not take the null marker it just stacked for the old null version listed below', async () => {
  // v2 above the null version written before versioning was enabled; both are due (v2 expires, the null version is noncurrent since v2).
  const meta = await storeWith([{ Expiration: { Days: '1' }, NoncurrentVersionExpiration: { NoncurrentDays: '1' } }], 'Suspended', [object('k', 'null', 0), object('k', 'v2', 1)]);
  await runToEnd(meta, 3 * DAY);
  // Expiring v2 puts a null delete marker in the null version's place; the listed null version is gone with it.
  assert.deepEqual(await chain(meta, 'k'), ['null:marker', 'v2']);
});

it('does not expire a version under object lock retention before its retain-until date', async () => {
  const locked = { ...object('locked', 'null', 0), retainUntil: 10 * DAY };
  const meta = await storeWith([{ Expiration: { Days: '1' } }], undefined, [locked, object('free', 'null', 0)]);
  await runToEnd(meta, 3 * DAY);
  assert.deepEqual((await meta.listObjects({ bucket: BUCKET, prefix: '', after: '', limit: 10 })).map((o) => o.key), ['locked']);
  await runToEnd(meta, 10 * DAY);
  assert.deepEqual(await meta.listObjects({ bucket: BUCKET, prefix: '', after: '', limit: 10 }), []);
});
