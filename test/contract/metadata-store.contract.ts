// The MetadataStore contract (src/storage/metadata.ts) as tests every engine runs: call
// describeMetadataStore with a factory of fresh, empty stores from the engine's own test file.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ACL_CODEC, cannedGrants, type Acl } from '../../src/domain/acl.ts';
import type { BucketRecord } from '../../src/domain/bucket.ts';
import { encodeBucketConfig } from '../../src/domain/bucket-config.ts';
import type { ObjectRecord } from '../../src/domain/object.ts';
import type { Part, Upload } from '../../src/domain/upload.ts';
import { silentLogger } from '../../src/http/log.ts';
import { changeLeased, lapseLeases } from '../../src/jobs/lease.ts';
import { JobRunner, type Job } from '../../src/jobs/runner.ts';
import type { JobOutcome, JobState, MetadataStore, MetadataTx } from '../../src/storage/metadata.ts';

const OWNER = { uin: '100000000001', appid: '1250000000', name: 'owner' };
const BUCKET = 'contract-1250000000';
const record = (name: string): BucketRecord => ({ name, ownerUin: OWNER.uin, region: 'ap-guangzhou', createdAt: 1 });
const publicRead: Acl = { grants: cannedGrants('public-read', OWNER.uin), canned: 'public-read' };

const object = (key: string, versionId: string, blob: string, lastModified = 1): ObjectRecord => ({
  bucket: BUCKET,
  key,
  versionId,
  size: 3,
  etag: `"${blob}"`,
  crc64: '0',
  lastModified,
  content: { blob },
  headers: { 'content-type': 'text/plain' },
  storageClass: 'STANDARD',
  acl: undefined,
});

const upload = (key: string, uploadId: string): Upload => ({
  bucket: BUCKET,
  key,
  uploadId,
  initiated: 1,
  initiator: `qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}`,
  headers: {},
  storageClass: 'STANDARD',
  acl: undefined,
});

const part = (uploadId: string, partNumber: number, blob: string): Part => ({
  uploadId,
  partNumber,
  size: 5,
  etag: `"${blob}"`,
  crc64: '0',
  lastModified: 1,
  blob,
});

/** The holder of the reservations these tests make, and a time they have not lapsed by. */
const HOLDER = 'contract-holder';
const FUTURE = 4_000_000_000_000;

/** putObject as the blob keeper does it: the record's blob is reserved first (metadata.ts, blob lifetime). */
async function putNew(tx: MetadataTx, record: ObjectRecord): Promise<string | undefined> {
  if ('blob' in record.content) await tx.reserveBlob(record.content.blob, HOLDER, FUTURE);
  return tx.putObject(record);
}

/** putPart likewise. */
async function putNewPart(tx: MetadataTx, p: Part): Promise<string | undefined> {
  await tx.reserveBlob(p.blob, HOLDER, FUTURE);
  return tx.putPart(p);
}

/** Registers the contract's tests; each gets a new store from makeStore and closes it. */
export function describeMetadataStore(engine: string, makeStore: () => Promise<MetadataStore>): void {
  describe(`MetadataStore contract: ${engine}`, () => {
    let open: MetadataStore | undefined;
    afterEach(async () => {
      await open?.close();
      open = undefined;
    });

    /** A new store holding the owner account and, unless told otherwise, the bucket BUCKET. */
    async function store(withBucket = true): Promise<MetadataStore> {
      const meta = await makeStore();
      open = meta;
      await meta.tx(async (tx) => {
        await tx.putAccount(OWNER);
        if (withBucket) await tx.insertBucket(record(BUCKET));
      });
      return meta;
    }

    describe('transactions', () => {
      it('commits every write together and resolves with what fn returned', async () => {
        const meta = await store(false);
        const result = await meta.tx(async (tx) => {
          await tx.insertBucket(record('a-1250000000'));
          await tx.insertBucket(record('b-1250000000'));
          return 'done';
        });
        assert.equal(result, 'done');
        assert.deepEqual((await meta.listBuckets(OWNER.uin)).map((b) => b.name), ['a-1250000000', 'b-1250000000']);
      });

      it('rolls every write back when fn throws, and rejects with that error', async () => {
        const meta = await store();
        const failure = new Error('changed my mind');
        await assert.rejects(
          meta.tx(async (tx) => {
            await tx.insertBucket(record('a-1250000000'));
            await tx.putBucketConfig(BUCKET, 'versioning', 'Enabled');
            await putNew(tx, object('k', 'null', 'blob-1'));
            throw failure;
          }),
          (error) => error === failure,
        );
        assert.equal(await meta.getBucket('a-1250000000'), undefined);
        assert.equal((await meta.getBucket(BUCKET))?.versioning, undefined);
        assert.equal(await meta.getObject(BUCKET, 'k'), undefined);
        assert.equal(await meta.blobInUse('blob-1'), false);
      });

      it('rolls back a write the engine refuses (a taken bucket name) and keeps working', async () => {
        const meta = await store();
        await assert.rejects(
          meta.tx(async (tx) => {
            await tx.insertBucket(record('a-1250000000'));
            await tx.insertBucket(record(BUCKET));
          }),
        );
        assert.equal(await meta.getBucket('a-1250000000'), undefined);
        await meta.tx((tx) => tx.insertBucket(record('a-1250000000')));
        assert.equal(await meta.countBuckets(OWNER.uin), 2);
      });

      it('is serializable: concurrent read-modify-write transactions lose no update', async () => {
        const meta = await store();
        await meta.tx((tx) => tx.putSubAccount({ ownerUin: OWNER.uin, uin: '100000000002', name: 'sub' }));
        await meta.tx((tx) => tx.putUserPolicy({ uin: '100000000002', name: 'counter', document: '0' }));
        const increments = 20;
        await Promise.all(
          Array.from({ length: increments }, () =>
            meta.tx(async (tx) => {
              const [current] = await tx.listUserPolicies('100000000002');
              await tx.putUserPolicy({ uin: '100000000002', name: 'counter', document: String(Number(current?.document) + 1) });
            }),
          ),
        );
        assert.equal((await meta.listUserPolicies('100000000002'))[0]?.document, String(increments));
      });

      it('is serializable: a count checked before an insert holds under concurrent inserts', async () => {
        const meta = await store(false);
        const limit = 3;
        const attempts = Array.from({ length: 10 }, (_, n) =>
          meta.tx(async (tx) => {
            if ((await tx.countBuckets(OWNER.uin)) >= limit) return false;
            await tx.insertBucket(record(`b${n}-1250000000`));
            return true;
          }),
        );
        assert.equal((await Promise.all(attempts)).filter(Boolean).length, limit);
        assert.equal(await meta.countBuckets(OWNER.uin), limit);
      });

      it('rolling back restores everything the transaction removed or replaced', async () => {
        const meta = await store();
        const key = { secretId: 'AKIDcontract0000000000000000000000001', secretKey: 'secret', ownerUin: OWNER.uin, uin: OWNER.uin };
        await meta.tx(async (tx) => {
          await tx.putCredential(key);
          await tx.putBucketConfig(BUCKET, 'acl', ACL_CODEC.encode(publicRead));
          await tx.putBucketConfig(BUCKET, 'versioning', 'Enabled');
          await putNew(tx, object('k', 'null', 'blob-1'));
          await putNew(tx, object('k', 'v2', 'blob-2'));
          await putNew(tx, object('other', 'v1', 'blob-3'));
          await tx.insertUpload(upload('k', 'u1'));
          await putNewPart(tx, part('u1', 1, 'part-1'));
        });
        const snapshot = async (): Promise<unknown> => ({
          bucket: await meta.getBucket(BUCKET),
          versions: await meta.listVersions({ bucket: BUCKET, prefix: '', after: { key: '' }, limit: 100 }),
          objects: await meta.listObjects({ bucket: BUCKET, prefix: '', after: '', limit: 100 }),
          current: await meta.getObject(BUCKET, 'k'),
          uploads: await meta.listUploads({ bucket: BUCKET, prefix: '', after: { key: '' }, limit: 100 }),
          parts: await meta.listParts('u1', 0, 100),
          blobs: await Promise.all(['blob-1', 'blob-2', 'blob-3', 'blob-4', 'part-1', 'part-2'].map((ref) => meta.blobInUse(ref))),
          credential: await meta.getCredential(key.secretId),
          credentialsVersion: await meta.credentialsVersion(),
        });
        const before = await snapshot();
        await assert.rejects(
          meta.tx(async (tx) => {
            await putNew(tx, object('k', 'null', 'blob-4'));
            await tx.deleteVersion(BUCKET, 'k', 'v2');
            await tx.putDeleteMarker({ bucket: BUCKET, key: 'other', versionId: 'm1', deleteMarker: true, lastModified: 2 });
            await tx.deleteVersion(BUCKET, 'other', 'v1');
            await putNewPart(tx, part('u1', 1, 'part-2'));
            await tx.deleteUpload('u1');
            await tx.deleteBucketConfig(BUCKET, 'acl');
            await tx.putBucketConfig(BUCKET, 'versioning', 'Suspended');
            await tx.putCredential({ ...key, secretKey: 'replaced' });
            await tx.deleteCredential(key.secretId);
            throw new Error('changed my mind');
          }),
          /changed my mind/,
        );
        assert.deepEqual(await snapshot(), before);
      });

      it('a transaction that fails beside concurrent ones on the same key undoes only its own writes', async () => {
        const meta = await store();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 6 }, (_, n) =>
            meta.tx(async (tx) => {
              await putNew(tx, object('k', `v${n}`, `blob-${n}`));
              if (n % 2 === 1) throw new Error(`tx ${n} fails`);
            }),
          ),
        );
        assert.deepEqual(
          outcomes.map((o) => o.status),
          ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected'],
        );
        const versions = await meta.listVersions({ bucket: BUCKET, prefix: '', after: { key: '' }, limit: 100 });
        assert.deepEqual(
          versions.map((v) => [v.versionId, v.isLatest]),
          [
            ['v4', true],
            ['v2', false],
            ['v0', false],
          ],
        );
        assert.equal(await meta.blobInUse('blob-1'), false);
      });

      it('every version stacked on one key by concurrent transactions is kept, in order', async () => {
        const meta = await store();
        await Promise.all(Array.from({ length: 10 }, (_, n) => meta.tx((tx) => putNew(tx, object('k', `v${n}`, `blob-${n}`)))));
        const versions = await meta.listVersions({ bucket: BUCKET, prefix: '', after: { key: '' }, limit: 100 });
        assert.deepEqual(
          versions.map((v) => [v.versionId, v.isLatest]),
          Array.from({ length: 10 }, (_, n) => [`v${9 - n}`, n === 0]),
        );
      });
    });

    describe('buckets', () => {
      it('inserts, reads, lists by owner in name order, counts and deletes buckets', async () => {
        const meta = await store(false);
        await meta.tx(async (tx) => {
          await tx.insertBucket(record('b-1250000000'));
          await tx.insertBucket(record('a-1250000000'));
        });
        assert.deepEqual(await meta.getBucket('a-1250000000'), record('a-1250000000'), 'a new bucket has no settings');
        assert.deepEqual(await meta.listBuckets(OWNER.uin), [record('a-1250000000'), record('b-1250000000')]);
        assert.deepEqual(await meta.listBuckets('100000000009'), []);
        assert.equal(await meta.countBuckets(OWNER.uin), 2);
        assert.deepEqual(await meta.bucketContents('a-1250000000'), { versions: false, uploads: false });
        await meta.tx((tx) => tx.deleteBucket('a-1250000000'));
        assert.equal(await meta.getBucket('a-1250000000'), undefined);
        assert.equal(await meta.countBuckets(OWNER.uin), 1);
      });
    });

    describe('bucket configs', () => {
      it('puts, gets and deletes each kind as its document, and getBucket carries the decoded values', async () => {
        const meta = await store();
        const policy = '{"version":"2.0","statement":[]}';
        const cors = { rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET' as const], allowedHeaders: [], exposeHeaders: [] }], responseVary: false };
        await meta.tx(async (tx) => {
          assert.equal(await tx.putBucketConfig(BUCKET, 'acl', ACL_CODEC.encode(publicRead)), true);
          assert.equal(await tx.putBucketConfig(BUCKET, 'policy', policy), true);
          assert.equal(await tx.putBucketConfig(BUCKET, 'cors', encodeBucketConfig('cors', cors)), true);
          assert.equal(await tx.putBucketConfig(BUCKET, 'versioning', 'Enabled'), true);
        });
        assert.deepEqual(await meta.getBucket(BUCKET), { ...record(BUCKET), acl: publicRead, policy, cors, versioning: 'Enabled' });
        assert.equal(await meta.getBucketConfig(BUCKET, 'policy'), policy, 'the document as put');
        assert.equal(await meta.getBucketConfig(BUCKET, 'versioning'), 'Enabled');

        await meta.tx((tx) => tx.putBucketConfig(BUCKET, 'versioning', 'Suspended'));
        assert.equal((await meta.getBucket(BUCKET))?.versioning, 'Suspended', 'a put replaces');
        assert.equal(await meta.tx((tx) => tx.deleteBucketConfig(BUCKET, 'cors')), true);
        assert.equal(await meta.tx((tx) => tx.deleteBucketConfig(BUCKET, 'cors')), false, 'nothing left to delete');
        assert.equal(await meta.getBucketConfig(BUCKET, 'cors'), undefined);
        assert.equal((await meta.getBucket(BUCKET))?.cors, undefined);
        assert.deepEqual((await meta.getBucket(BUCKET))?.acl, publicRead, 'the other settings stay');
      });

      it('hands out an unchanged setting as the same decoded value (the policy cache compares identities)', async () => {
        const meta = await store();
        await meta.tx((tx) => tx.putBucketConfig(BUCKET, 'acl', ACL_CODEC.encode(publicRead)));
        const first = await meta.getBucket(BUCKET);
        const second = await meta.getBucket(BUCKET);
        assert.ok(first?.acl);
        assert.equal(second?.acl, first.acl);
      });

      it('refuses a document its codec cannot decode, storing nothing', async () => {
        const meta = await store();
        await assert.rejects(meta.tx((tx) => tx.putBucketConfig(BUCKET, 'versioning', 'Sometimes')));
        await assert.rejects(meta.tx((tx) => tx.putBucketConfig(BUCKET, 'acl', '{not json')));
        assert.deepEqual(await meta.getBucket(BUCKET), record(BUCKET));
      });

      it('answers false for a bucket that does not exist, and a deleted bucket takes its settings with it', async () => {
        const meta = await store();
        assert.equal(await meta.tx((tx) => tx.putBucketConfig('gone-1250000000', 'versioning', 'Enabled')), false);
        assert.equal(await meta.getBucket('gone-1250000000'), undefined);
        await meta.tx((tx) => tx.putBucketConfig(BUCKET, 'versioning', 'Enabled'));
        await meta.tx((tx) => tx.deleteBucket(BUCKET));
        await meta.tx((tx) => tx.insertBucket(record(BUCKET)));
        assert.deepEqual(await meta.getBucket(BUCKET), record(BUCKET), 'a bucket created again under the name starts bare');
        assert.equal(await meta.getBucketConfig(BUCKET, 'versioning'), undefined);
      });
    });

    describe('version chains', () => {
      it('stacks versions newest first, the newest being current', async () => {
        const meta = await store();
        await meta.tx((tx) => putNew(tx, object('k', 'v1', 'blob-1', 1)));
        await meta.tx((tx) => putNew(tx, object('k', 'v2', 'blob-2', 2)));
        assert.equal((await meta.getObject(BUCKET, 'k'))?.versionId, 'v2');
        assert.deepEqual(await meta.getVersion(BUCKET, 'k', 'v1'), object('k', 'v1', 'blob-1', 1));
        assert.equal(await meta.getVersion(BUCKET, 'k', 'v9'), undefined);
        const versions = await meta.listVersions({ bucket: BUCKET, prefix: '', after: { key: '' }, limit: 10 });
        assert.deepEqual(
          versions.map((v) => [v.key, v.versionId, v.isLatest]),
          [
            ['k', 'v2', true],
            ['k', 'v1', false],
          ],
        );
        assert.deepEqual(
          (await meta.listVersions({ bucket: BUCKET, prefix: '', after: { key: 'k', versionId: 'v2' }, limit: 10 })).map((v) => v.versionId),
          ['v1'],
          'a listing resumes after a version',
        );
        assert.deepEqual(await meta.bucketContents(BUCKET), { versions: true, uploads: false });
      });

      it('a delete marker hides the key from getObject and listObjects, and removing it brings the object back', async () => {
        const meta = await store();
        await meta.tx((tx) => putNew(tx, object('k', 'v1', 'blob-1')));
        await meta.tx((tx) => tx.putDeleteMarker({ bucket: BUCKET, key: 'k', versionId: 'm1', deleteMarker: true, lastModified: 2 }));
        assert.equal(await meta.getObject(BUCKET, 'k'), undefined);
        assert.deepEqual(await meta.getVersion(BUCKET, 'k', undefined), { bucket: BUCKET, key: 'k', versionId: 'm1', deleteMarker: true, lastModified: 2 });
        assert.deepEqual(await meta.listObjects({ bucket: BUCKET, prefix: '', after: '', limit: 10 }), []);
        assert.deepEqual(await meta.tx((tx) => tx.deleteVersion(BUCKET, 'k', 'm1')), { deleteMarker: true, freedBlob: undefined });
        assert.equal((await meta.getObject(BUCKET, 'k'))?.versionId, 'v1');
        assert.deepEqual((await meta.listObjects({ bucket: BUCKET, prefix: '', after: '', limit: 10 })).map((o) => o.key), ['k']);
      });

      it('a write with the id of an existing version (null) replaces it and frees its blob', async () => {
        const meta = await store();
        await meta.tx((tx) => putNew(tx, object('k', 'null', 'blob-1')));
        await meta.tx((tx) => putNew(tx, object('k', 'v2', 'blob-2')));
        assert.equal(await meta.tx((tx) => putNew(tx, object('k', 'null', 'blob-3'))), 'blob-1');
        const versions = await meta.listVersions({ bucket: BUCKET, prefix: '', after: { key: '' }, limit: 10 });
        assert.deepEqual(
          versions.map((v) => [v.versionId, v.isLatest]),
          [
            ['null', true],
            ['v2', false],
          ],
          'the replacement is the newest',
        );
        assert.equal(await meta.tx((tx) => tx.deleteVersion(BUCKET, 'k', 'nope')), undefined);
      });

      it('sets one version ACL, and lists current objects in UTF-8 byte order', async () => {
        const meta = await store();
        for (const key of ['b', 'a/2', 'é', 'a/1', 'z']) await meta.tx((tx) => putNew(tx, object(key, 'null', `blob-${key}`)));
        assert.equal(await meta.tx((tx) => tx.setObjectAcl(BUCKET, 'z', 'null', publicRead)), true);
        assert.equal(await meta.tx((tx) => tx.setObjectAcl(BUCKET, 'z', 'v9', publicRead)), false);
        assert.deepEqual((await meta.getObject(BUCKET, 'z'))?.acl, publicRead);
        const listed = await meta.listObjects({ bucket: BUCKET, prefix: 'a/', after: '', limit: 10 });
        assert.deepEqual(listed.map((o) => o.key), ['a/1', 'a/2']);
        const rest = await meta.listObjects({ bucket: BUCKET, prefix: '', after: 'a/2', limit: 2 });
        assert.deepEqual(rest.map((o) => o.key), ['b', 'z'], 'é (0xC3 0xA9) sorts after z');
      });

      it('keeps tags and a restore per version: written with the record, replaced alone, an empty set is none', async () => {
        const meta = await store();
        const tags = [{ key: 'team', value: 'a b' }, { key: 'k', value: '' }];
        const restore = { requestedAt: 10, readyAt: 20, days: 2, tier: 'Bulk' } as const;
        await meta.tx((tx) => putNew(tx, { ...object('k', 'v1', 'b1'), tags, restore }));
        await meta.tx((tx) => putNew(tx, object('k', 'v2', 'b2')));
        const v1 = await meta.getVersion(BUCKET, 'k', 'v1');
        assert.deepEqual(v1 && !v1.deleteMarker && [v1.tags, v1.restore], [tags, restore]);
        const v2 = await meta.getObject(BUCKET, 'k');
        assert.deepEqual(v2 && [v2.tags, v2.restore], [undefined, undefined], 'an untagged version has none');

        assert.equal(await meta.tx((tx) => tx.setObjectTags(BUCKET, 'k', 'v2', [{ key: 'x', value: '1' }])), true);
        assert.equal(await meta.tx((tx) => tx.setObjectRestore(BUCKET, 'k', 'v2', { ...restore, days: 5 })), true);
        assert.equal(await meta.tx((tx) => tx.setObjectTags(BUCKET, 'k', 'v1', [])), true);
        const [after1, after2] = await Promise.all([meta.getVersion(BUCKET, 'k', 'v1'), meta.getObject(BUCKET, 'k')]);
        assert.deepEqual(after1 && !after1.deleteMarker && [after1.tags, after1.restore], [undefined, restore], 'emptied, the restore kept');
        assert.deepEqual(after2 && [after2.tags, after2.restore?.days, after2.acl], [[{ key: 'x', value: '1' }], 5, undefined]);

        await meta.tx((tx) => tx.putDeleteMarker({ bucket: BUCKET, key: 'k', versionId: 'm', deleteMarker: true, lastModified: 3 }));
        assert.equal(await meta.tx((tx) => tx.setObjectTags(BUCKET, 'k', 'm', tags)), false, 'a delete marker has no tags');
        assert.equal(await meta.tx((tx) => tx.setObjectRestore(BUCKET, 'k', 'nope', restore)), false);
      });

      it("keeps each version's object type and a symlink's target; a normal object has neither", async () => {
        const meta = await store();
        await meta.tx((tx) => putNew(tx, { ...object('log', 'a1', 'b1'), objectType: 'appendable' }));
        await meta.tx((tx) => putNew(tx, { ...object('link', 'l1', 'b2'), objectType: 'symlink', symlinkTarget: 'dir/target é' }));
        await meta.tx((tx) => putNew(tx, object('link', 'l2', 'b3')));
        const [appendable, link, normal] = await Promise.all([meta.getObject(BUCKET, 'log'), meta.getVersion(BUCKET, 'link', 'l1'), meta.getObject(BUCKET, 'link')]);
        assert.deepEqual(appendable && [appendable.objectType, appendable.symlinkTarget, appendable.headers], ['appendable', undefined, { 'content-type': 'text/plain' }]);
        assert.deepEqual(link && !link.deleteMarker && [link.objectType, link.symlinkTarget], ['symlink', 'dir/target é']);
        assert.deepEqual(normal && [normal.objectType, normal.symlinkTarget], [undefined, undefined], 'a newer normal version of the key is normal');
      });
    });

    describe('storage class', () => {
      it('moves one object version to another class; not a delete marker or a missing version', async () => {
        const meta = await store();
        await meta.tx(async (tx) => {
          await putNew(tx, object('k', 'v1', 'b1'));
          await putNew(tx, object('k', 'v2', 'b2'));
          await tx.putDeleteMarker({ bucket: BUCKET, key: 'k', versionId: 'm', deleteMarker: true, lastModified: 3 });
        });
        assert.equal(await meta.tx((tx) => tx.setObjectStorageClass(BUCKET, 'k', 'v1', 'ARCHIVE')), true);
        assert.equal(await meta.tx((tx) => tx.setObjectStorageClass(BUCKET, 'k', 'm', 'ARCHIVE')), false);
        assert.equal(await meta.tx((tx) => tx.setObjectStorageClass(BUCKET, 'k', 'v9', 'ARCHIVE')), false);
        const v1 = await meta.getVersion(BUCKET, 'k', 'v1');
        assert.equal(v1 && !v1.deleteMarker && v1.storageClass, 'ARCHIVE');
        const v2 = await meta.getVersion(BUCKET, 'k', 'v2');
        assert.equal(v2 && !v2.deleteMarker && v2.storageClass, 'STANDARD');
        const listed = await meta.listVersions({ bucket: BUCKET, prefix: '', after: { key: '' }, limit: 10 });
        assert.deepEqual(listed.map((v) => (v.deleteMarker ? 'marker' : v.storageClass)), ['marker', 'STANDARD', 'ARCHIVE']);
      });
    });

    describe('object lock retention', () => {
      it('keeps a retain-until per version: written with the record, kept through ACL and tag changes, gone with a replacement', async () => {
        const meta = await store();
        const retainUntil = Date.UTC(2030, 0, 1, 0, 0, 0, 1);
        await meta.tx((tx) => putNew(tx, { ...object('k', 'null', 'b1'), retainUntil }));
        await meta.tx((tx) => putNew(tx, object('other', 'null', 'b2')));
        assert.equal((await meta.getObject(BUCKET, 'k'))?.retainUntil, retainUntil);
        assert.equal((await meta.getObject(BUCKET, 'other'))?.retainUntil, undefined, 'a version written without one has none');

        assert.equal(await meta.tx((tx) => tx.setObjectAcl(BUCKET, 'k', 'null', publicRead)), true);
        assert.equal(await meta.tx((tx) => tx.setObjectTags(BUCKET, 'k', 'null', [{ key: 'x', value: '1' }])), true);
        const changed = await meta.getVersion(BUCKET, 'k', 'null');
        assert.deepEqual(changed && !changed.deleteMarker && [changed.retainUntil, changed.acl], [retainUntil, publicRead]);

        await meta.tx((tx) => putNew(tx, object('k', 'null', 'b3')));
        assert.equal((await meta.getObject(BUCKET, 'k'))?.retainUntil, undefined, 'the null version replaced without one has none');
      });

      it('sets one version\'s retain-until alone; false for a missing version or a delete marker', async () => {
        const meta = await store();
        await meta.tx((tx) => putNew(tx, { ...object('k', 'v1', 'b1'), tags: [{ key: 't', value: '1' }] }));
        assert.equal(await meta.tx((tx) => tx.setObjectRetention(BUCKET, 'k', 'v1', 5000)), true);
        const set = await meta.getVersion(BUCKET, 'k', 'v1');
        assert.deepEqual(set && !set.deleteMarker && [set.retainUntil, set.tags, set.content], [5000, [{ key: 't', value: '1' }], { blob: 'b1' }]);
        assert.equal(await meta.tx((tx) => tx.setObjectRetention(BUCKET, 'k', 'v9', 5000)), false);
        await meta.tx((tx) => tx.putDeleteMarker({ bucket: BUCKET, key: 'k', versionId: 'm', deleteMarker: true, lastModified: 3 }));
        assert.equal(await meta.tx((tx) => tx.setObjectRetention(BUCKET, 'k', 'm', 5000)), false);
      });
    });

    describe('encryption', () => {
      it('keeps the encryption of a version, an upload and its parts as written; none is absent', async () => {
        const meta = await store();
        const customer = { kind: 'customer', keyCheck: 'c2FsdA==.bWFj' } as const;
        const composed = { scheme: customer, segments: [{ size: 5, iv: 'aXYx' }, { size: 0, iv: 'aXYy' }, { size: 3, iv: 'aXYz' }] };
        const inline = { ...object('i', 'null', 'unused'), content: { inline: Buffer.from('sealed') }, encryption: { scheme: { kind: 'cos' as const }, segments: [{ size: 6, iv: 'aXY0' }] } };
        await meta.tx(async (tx) => {
          await putNew(tx, { ...object('k', 'v1', 'b1'), encryption: composed });
          await putNew(tx, object('k', 'v2', 'b2'));
          await tx.putObject(inline);
          await tx.insertUpload({ ...upload('k', 'u1'), encryption: customer });
          await tx.insertUpload(upload('k', 'u2'));
          await putNewPart(tx, { ...part('u1', 1, 'p1'), encryption: { scheme: customer, segments: [{ size: 5, iv: 'aXY1' }] } });
          await putNewPart(tx, part('u2', 1, 'p2'));
        });
        const v1 = await meta.getVersion(BUCKET, 'k', 'v1');
        assert.deepEqual(v1 && !v1.deleteMarker && v1.encryption, composed);
        assert.equal((await meta.getObject(BUCKET, 'k'))?.encryption, undefined, 'a version stored as sent has none');
        assert.deepEqual((await meta.getObject(BUCKET, 'i'))?.encryption, inline.encryption);
        assert.deepEqual((await meta.getUpload(BUCKET, 'k', 'u1'))?.encryption, customer);
        assert.equal((await meta.getUpload(BUCKET, 'k', 'u2'))?.encryption, undefined);
        assert.deepEqual((await meta.listParts('u1', 0, 10))[0]?.encryption, { scheme: customer, segments: [{ size: 5, iv: 'aXY1' }] });
        // A re-sent part replaces the encryption with its own (a fresh IV), as it does the bytes.
        await meta.tx((tx) => putNewPart(tx, { ...part('u1', 1, 'p1b'), encryption: { scheme: customer, segments: [{ size: 5, iv: 'aXY2' }] } }));
        assert.deepEqual((await meta.listParts('u1', 0, 10))[0]?.encryption?.segments, [{ size: 5, iv: 'aXY2' }]);
        assert.equal((await meta.listParts('u2', 0, 10))[0]?.encryption, undefined);
      });
    });

    describe('replication status and queue', () => {
      const pending = { replication: 'PENDING' } as const;
      const refs = (meta: MetadataStore) => meta.listPendingReplication(10).then((list) => list.map((r) => `${r.bucket}:${r.key}:${r.versionId}`));

      it('keeps a version\'s and a marker\'s status; queues the PENDING ones by bucket, key, oldest first', async () => {
        const meta = await store();
        const other = 'a-contract-1250000000';
        await meta.tx(async (tx) => {
          await tx.insertBucket(record(other));
          await putNew(tx, { ...object('k', 'v1', 'b1'), ...pending });
          await putNew(tx, object('k', 'v2', 'b2'));
          await tx.putDeleteMarker({ bucket: BUCKET, key: 'k', versionId: 'm3', deleteMarker: true, lastModified: 3, ...pending });
          await putNew(tx, { ...object('\u00e9', 'v1', 'b3'), ...pending });
          await putNew(tx, { ...object('z', 'r1', 'b4'), bucket: other, ...pending });
        });
        assert.deepEqual(await refs(meta), [`${other}:z:r1`, `${BUCKET}:k:v1`, `${BUCKET}:k:m3`, `${BUCKET}:\u00e9:v1`]);
        assert.equal((await meta.listPendingReplication(2)).length, 2);
        const v1 = await meta.getVersion(BUCKET, 'k', 'v1');
        assert.equal(v1?.replication, 'PENDING');
        assert.equal((await meta.getVersion(BUCKET, 'k', 'v2'))?.replication, undefined);
        assert.equal((await meta.getVersion(BUCKET, 'k', 'm3'))?.replication, 'PENDING');
      });

      it('leaves the queue when its status changes, or when the version goes; a rollback puts it back', async () => {
        const meta = await store();
        await meta.tx(async (tx) => {
          await putNew(tx, { ...object('k', 'v1', 'b1'), ...pending });
          await tx.putDeleteMarker({ bucket: BUCKET, key: 'k', versionId: 'm2', deleteMarker: true, lastModified: 2, ...pending });
          await putNew(tx, { ...object('gone', 'v1', 'b2'), ...pending });
        });
        assert.equal(await meta.tx((tx) => tx.setReplicationStatus(BUCKET, 'k', 'm2', 'COMPLETED')), true);
        assert.equal(await meta.tx((tx) => tx.setReplicationStatus(BUCKET, 'k', 'v9', 'COMPLETED')), false);
        await meta.tx((tx) => tx.deleteVersion(BUCKET, 'gone', 'v1'));
        assert.deepEqual(await refs(meta), [`${BUCKET}:k:v1`]);
        await assert.rejects(
          meta.tx(async (tx) => {
            await tx.setReplicationStatus(BUCKET, 'k', 'v1', 'FAILED');
            throw new Error('rolled back');
          }),
        );
        assert.deepEqual(await refs(meta), [`${BUCKET}:k:v1`]);
        await meta.tx((tx) => tx.setReplicationStatus(BUCKET, 'k', 'v1', 'FAILED'));
        assert.deepEqual(await refs(meta), []);
        assert.equal((await meta.getVersion(BUCKET, 'k', 'm2'))?.replication, 'COMPLETED');
        assert.equal((await meta.getVersion(BUCKET, 'k', 'v1'))?.replication, 'FAILED');
      });

      it('a replica shares its source\'s blob: the blob stays until neither refers to it', async () => {
        const meta = await store();
        const dest = 'dest-1250000000';
        await meta.tx(async (tx) => {
          await tx.insertBucket(record(dest));
          await putNew(tx, object('k', 'v1', 'shared'));
          await tx.putObject({ ...object('k', 'v1', 'shared'), bucket: dest, replication: 'REPLICA' });
        });
        const replica = await meta.getVersion(dest, 'k', 'v1');
        assert.equal(replica?.replication, 'REPLICA');
        assert.equal((await meta.tx((tx) => tx.deleteVersion(BUCKET, 'k', 'v1')))?.freedBlob, undefined);
        assert.equal(await meta.blobInUse('shared'), true);
        assert.equal((await meta.tx((tx) => tx.deleteVersion(dest, 'k', 'v1')))?.freedBlob, 'shared');
      });
    });

    describe('uploads and parts', () => {
      it('keeps uploads in (key, upload id) order and parts by number; a re-sent part replaces the earlier one', async () => {
        const meta = await store();
        await meta.tx(async (tx) => {
          await tx.insertUpload(upload('k2', 'u1'));
          await tx.insertUpload(upload('k1', 'u3'));
          await tx.insertUpload(upload('k1', 'u2'));
        });
        assert.deepEqual(await meta.getUpload(BUCKET, 'k1', 'u2'), upload('k1', 'u2'));
        const tagged = { ...upload('k3', 'u4'), tags: [{ key: 'a', value: 'b' }] };
        await meta.tx((tx) => tx.insertUpload(tagged));
        assert.deepEqual(await meta.getUpload(BUCKET, 'k3', 'u4'), tagged, 'an upload keeps the tags its object will get');
        await meta.tx((tx) => tx.deleteUpload('u4'));
        assert.equal(await meta.getUpload(BUCKET, 'k2', 'u2'), undefined, 'an upload is found under its own key only');
        const listed = await meta.listUploads({ bucket: BUCKET, prefix: '', after: { key: '' }, limit: 10 });
        assert.deepEqual(listed.map((u) => [u.key, u.uploadId]), [['k1', 'u2'], ['k1', 'u3'], ['k2', 'u1']]);
        const resumed = await meta.listUploads({ bucket: BUCKET, prefix: '', after: { key: 'k1', uploadId: 'u2' }, limit: 10 });
        assert.deepEqual(resumed.map((u) => u.uploadId), ['u3', 'u1']);
        assert.deepEqual(await meta.bucketContents(BUCKET), { versions: false, uploads: true });

        assert.equal(await meta.tx((tx) => putNewPart(tx, part('u2', 2, 'p2'))), undefined);
        await meta.tx((tx) => putNewPart(tx, part('u2', 1, 'p1')));
        assert.equal(await meta.tx((tx) => putNewPart(tx, part('u2', 2, 'p2b'))), 'p2', 'the replaced part blob');
        assert.deepEqual(await meta.listParts('u2', 0, 10), [part('u2', 1, 'p1'), part('u2', 2, 'p2b')]);
        assert.deepEqual(await meta.listParts('u2', 1, 10), [part('u2', 2, 'p2b')]);

        assert.deepEqual((await meta.tx((tx) => tx.deleteUpload('u2'))).sort(), ['p1', 'p2b']);
        assert.equal(await meta.getUpload(BUCKET, 'k1', 'u2'), undefined);
        assert.deepEqual(await meta.listParts('u2', 0, 10), []);
        await meta.tx((tx) => putNewPart(tx, part('u3', 1, 'p3')));
        assert.deepEqual(await meta.tx((tx) => tx.deleteUploadsOf(BUCKET)), ['p3']);
        assert.deepEqual(await meta.bucketContents(BUCKET), { versions: false, uploads: false });
      });
    });

    describe('blob references', () => {
      it('a blob is in use while any version or part refers to it, and freed by the removal of the last reference', async () => {
        const meta = await store();
        await meta.tx(async (tx) => {
          await putNew(tx, object('a', 'v1', 'shared'));
          await putNew(tx, object('b', 'v1', 'shared'));
          await tx.insertUpload(upload('c', 'u1'));
          await putNewPart(tx, part('u1', 1, 'part-1'));
        });
        assert.equal(await meta.blobInUse('shared'), true);
        assert.equal(await meta.blobInUse('part-1'), true);
        assert.equal(await meta.blobInUse('other'), false);
        assert.deepEqual(await meta.tx((tx) => tx.deleteVersion(BUCKET, 'a', 'v1')), { deleteMarker: false, freedBlob: undefined });
        assert.equal(await meta.blobInUse('shared'), true, 'b still refers to it');
        assert.deepEqual(await meta.tx((tx) => tx.deleteVersion(BUCKET, 'b', 'v1')), { deleteMarker: false, freedBlob: 'shared' });
        assert.equal(await meta.blobInUse('shared'), false);
        assert.deepEqual(await meta.tx((tx) => tx.deleteUpload('u1')), ['part-1']);
        assert.equal(await meta.blobInUse('part-1'), false);
      });

      it('usage counts every version that is an object (not delete markers) and their sizes, inline ones included', async () => {
        const meta = await store();
        assert.deepEqual(await meta.usage(), { objects: 0, bytes: 0 });
        await meta.tx(async (tx) => {
          await putNew(tx, { ...object('a', 'v1', 'blob-1'), size: 100 });
          await putNew(tx, { ...object('a', 'v2', 'blob-2'), size: 20 });
          await tx.putObject({ ...object('b', 'null', 'unused'), size: 5, content: { inline: Buffer.from('small') } });
          await tx.putDeleteMarker({ bucket: BUCKET, key: 'b', versionId: 'm1', deleteMarker: true, lastModified: 2 });
        });
        assert.deepEqual(await meta.usage(), { objects: 3, bytes: 125 });
        await meta.tx((tx) => tx.deleteVersion(BUCKET, 'a', 'v1'));
        assert.deepEqual(await meta.usage(), { objects: 2, bytes: 25 });
      });

      it('inline bytes are kept with their version and need no blob', async () => {
        const meta = await store();
        const bytes = Buffer.from('small');
        await meta.tx((tx) => tx.putObject({ ...object('k', 'null', 'unused'), content: { inline: bytes } }));
        assert.deepEqual((await meta.getObject(BUCKET, 'k'))?.content, { inline: bytes });
        assert.deepEqual(await meta.tx((tx) => tx.deleteVersion(BUCKET, 'k', 'null')), { deleteMarker: false, freedBlob: undefined });
      });
    });

    describe('clearAll', () => {
      it('removes every bucket, version, upload and identity, hands their blobs to the collector and keeps writes in flight', async () => {
        const meta = await store();
        const sub = { uin: '100000000002', ownerUin: OWNER.uin, name: 'sub' };
        await meta.tx(async (tx) => {
          await tx.putSubAccount(sub);
          await tx.putCredential({ secretId: 'AKIDroot', secretKey: 's', ownerUin: OWNER.uin, uin: OWNER.uin });
          await tx.putCredential({ secretId: 'AKIDsub', secretKey: 's', ownerUin: OWNER.uin, uin: sub.uin });
          await tx.putUserPolicy({ uin: sub.uin, name: 'p', document: '{}' });
          await tx.putBucketConfig(BUCKET, 'acl', encodeBucketConfig('acl', publicRead));
          await putNew(tx, object('a', 'v1', 'shared'));
          await putNew(tx, object('b', 'v1', 'shared'));
          await tx.putObject({ ...object('c', 'null', 'unused'), content: { inline: Buffer.from('small') } });
          await tx.putDeleteMarker({ bucket: BUCKET, key: 'a', versionId: 'm1', deleteMarker: true, lastModified: 2 });
          await tx.insertUpload(upload('u', 'u1'));
          await putNewPart(tx, part('u1', 1, 'part-1'));
          await tx.reserveBlob('in-flight', HOLDER, FUTURE);
        });
        const keysBefore = await meta.credentialsVersion();
        assert.deepEqual((await meta.tx((tx) => tx.clearAll())).sort(), ['part-1', 'shared']);
        assert.deepEqual(await meta.listAccounts(), []);
        assert.equal(await meta.getSubAccount(sub.uin), undefined);
        assert.equal(await meta.getCredential('AKIDroot'), undefined);
        assert.equal(await meta.getCredential('AKIDsub'), undefined);
        assert.notEqual(await meta.credentialsVersion(), keysBefore, 'key caches notice the removed keys');
        assert.equal(await meta.getBucket(BUCKET), undefined);
        assert.equal(await meta.getVersion(BUCKET, 'a', 'v1'), undefined);
        assert.equal(await meta.getUpload(BUCKET, 'u', 'u1'), undefined);
        assert.deepEqual(await meta.usage(), { objects: 0, bytes: 0 });
        assert.equal(await meta.blobInUse('shared'), false);
        assert.deepEqual((await meta.tx((tx) => tx.claimGarbage('collector', 10, 100, 1_000))).sort(), ['part-1', 'shared']);
        // The store takes the same names again, as new.
        await meta.tx(async (tx) => {
          await tx.putAccount(OWNER);
          await tx.putSubAccount(sub);
          await tx.insertBucket(record(BUCKET));
          await tx.putObject(object('k', 'null', 'in-flight'));
        });
        assert.equal(await meta.getBucketConfig(BUCKET, 'acl'), undefined, 'the new bucket has none of the old one\'s settings');
        assert.deepEqual(await meta.listUserPolicies(sub.uin), []);
        assert.equal((await meta.getObject(BUCKET, 'k'))?.versionId, 'null', 'the reservation of a write in flight stood');
      });

      it('is rolled back like any write', async () => {
        const meta = await store();
        await meta.tx((tx) => putNew(tx, object('k', 'v1', 'b1')));
        await assert.rejects(
          meta.tx(async (tx) => {
            await tx.clearAll();
            throw new Error('changed my mind');
          }),
        );
        assert.equal((await meta.getObject(BUCKET, 'k'))?.versionId, 'v1');
        assert.deepEqual(await meta.listAccounts(), [OWNER]);
        assert.deepEqual(await meta.tx((tx) => tx.claimGarbage('collector', 10, 100, 1_000)), []);
      });
    });

    describe('pending access logs', () => {
      const line = (bucket: string, at: number) => ({ bucket, at, line: `${bucket} line at ${at}` });

      it('keeps each source bucket\'s lines in the order added, lists the buckets by name, and consumes lines by seq', async () => {
        const meta = await store();
        assert.deepEqual(await meta.accessLogBuckets(), []);
        await meta.tx(async (tx) => {
          await tx.appendAccessLog(line('b-1250000000', 5));
          await tx.appendAccessLog(line('a-1250000000', 3));
        });
        await meta.tx((tx) => tx.appendAccessLog(line('b-1250000000', 4)));
        assert.deepEqual(await meta.accessLogBuckets(), ['a-1250000000', 'b-1250000000']);
        const pending = await meta.listAccessLogs('b-1250000000', 10);
        assert.deepEqual(pending.map(({ seq: _seq, ...rest }) => rest), [line('b-1250000000', 5), line('b-1250000000', 4)]);
        const [first, second] = pending;
        assert.ok(first && second && first.seq < second.seq, 'seq ascends in the order added');
        assert.deepEqual(await meta.listAccessLogs('b-1250000000', 1), [first]);
        assert.equal(await meta.tx((tx) => tx.deleteAccessLogs([first.seq, first.seq + 1_000_000])), 1, 'counts only the lines that were there');
        assert.deepEqual(await meta.listAccessLogs('b-1250000000', 10), [second]);
        assert.equal(await meta.tx((tx) => tx.deleteAccessLogs([first.seq])), 0, 'a line is consumed once');
      });

      it('rolls appends and deletes back with the transaction, keeping the order; a reset drops every line', async () => {
        const meta = await store();
        await meta.tx(async (tx) => {
          await tx.appendAccessLog(line('b-1250000000', 1));
          await tx.appendAccessLog(line('b-1250000000', 2));
        });
        const before = await meta.listAccessLogs('b-1250000000', 10);
        await assert.rejects(
          meta.tx(async (tx) => {
            await tx.deleteAccessLogs(before.map((entry) => entry.seq).slice(0, 1));
            await tx.appendAccessLog(line('b-1250000000', 3));
            throw new Error('the log file did not commit');
          }),
        );
        assert.deepEqual(await meta.listAccessLogs('b-1250000000', 10), before);
        await meta.tx((tx) => tx.clearAll());
        assert.deepEqual(await meta.accessLogBuckets(), []);
      });
    });

    describe('jobs', () => {
      const state: JobState = { name: 'lifecycle', nextRunAt: 5, run: { startedAt: 1, cursor: '{"at":"k"}' }, lastRun: { startedAt: 0, endedAt: 1, outcome: 'failure', error: 'boom' } };

      it('stores a job\'s state whole, replaces it, lists jobs by name, and rolls back like any write', async () => {
        const meta = await store();
        assert.equal(await meta.getJob('lifecycle'), undefined);
        await meta.tx((tx) => tx.putJob(state));
        await meta.tx((tx) => tx.putJob({ name: 'inventory', nextRunAt: 9 }));
        assert.deepEqual(await meta.getJob('lifecycle'), state);
        await meta.tx((tx) => tx.putJob({ name: 'lifecycle', nextRunAt: 7 }));
        assert.deepEqual(await meta.listJobs(), [{ name: 'inventory', nextRunAt: 9 }, { name: 'lifecycle', nextRunAt: 7 }]);
        await assert.rejects(
          meta.tx(async (tx) => {
            await tx.putJob(state);
            throw new Error('changed my mind');
          }),
        );
        assert.deepEqual(await meta.getJob('lifecycle'), { name: 'lifecycle', nextRunAt: 7 });
        await meta.tx((tx) => tx.clearAll());
        assert.equal((await meta.listJobs()).length, 2, 'a reset keeps the schedule');
      });

      it('gives a lease to one holder at a time; a lapsed lease is taken over with the run\'s cursor', async () => {
        const meta = await store();
        const a = { holder: 'a', realNow: 1_000, ttlMs: 100, firstRunAt: 0 };
        const b = { ...a, holder: 'b' };
        assert.deepEqual((await changeLeased(meta, 'j', a, (s) => ({ ...s, run: { startedAt: 0, cursor: 'page-2' } })))?.lease, { holder: 'a', until: 1_100 });
        assert.equal(await changeLeased(meta, 'j', { ...b, realNow: 1_099 }, (s) => ({ ...s, run: { startedAt: 0 } })), undefined);
        assert.equal((await meta.getJob('j'))?.run?.cursor, 'page-2', 'the refused change left the state alone');
        assert.deepEqual((await changeLeased(meta, 'j', { ...a, realNow: 1_050 }, (s) => s))?.lease, { holder: 'a', until: 1_150 }, 'renewed');
        const takenOver = await changeLeased(meta, 'j', { ...b, realNow: 1_150 }, (s) => s);
        assert.deepEqual(takenOver?.lease, { holder: 'b', until: 1_250 });
        assert.equal(takenOver.run?.cursor, 'page-2');
        const released = await changeLeased(meta, 'j', { ...b, realNow: 1_160, release: true }, (s) => s);
        assert.equal(released?.lease, undefined);
        assert.ok(await changeLeased(meta, 'j', { ...a, realNow: 1_161 }, (s) => s), 'a released lease is free at once');
        assert.equal(await lapseLeases(meta, 'b'), 1);
        assert.equal((await meta.getJob('j'))?.lease, undefined);
      });

      it('runs a job in one of two runners sharing the store: the other finds it held', async () => {
        const meta = await store();
        let release = (): void => undefined;
        const blocked = new Promise<void>((resolve) => (release = resolve));
        const steps: string[] = [];
        const job = (runner: string): Job => ({
          name: 'j',
          intervalMs: 1_000,
          async step(cursor) {
            steps.push(`${runner}:${cursor ?? 'start'}`);
            await blocked;
            return cursor === undefined ? 'second' : undefined;
          },
        });
        const finished: JobOutcome[] = [];
        const runner = (holder: string): JobRunner =>
          new JobRunner(meta, [job(holder)], { holder, clock: () => 10, realClock: Date.now, log: silentLogger, observer: { jobFinished: (_name, o) => finished.push(o) } });
        const [a, b] = [runner('a'), runner('b')];
        const first = a.runNow('j');
        while (steps.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        assert.equal(await b.runNow('j'), undefined, 'held by a');
        release();
        assert.equal((await first)?.outcome, 'success');
        assert.deepEqual(steps, ['a:start', 'a:second']);
        assert.deepEqual(finished.map((o) => o.outcome), ['success']);
        const { lease, nextRunAt, run } = (await meta.getJob('j')) ?? { nextRunAt: 0 };
        assert.equal(lease, undefined, 'released');
        assert.equal(nextRunAt, 1_010, 'the interval after the run\'s end');
        assert.equal(run, undefined, 'no run in progress');
        assert.equal((await b.runNow('j'))?.outcome, 'success', 'free for b now');
        await Promise.all([a.close(), b.close()]);
      });
    });

    describe('blob lifetime', () => {
      const claim = (meta: MetadataStore, now = 10, holder = 'collector'): Promise<string[]> =>
        meta.tx(async (tx) => (await tx.claimGarbage(holder, now, 100, now + 1_000)).sort());

      it('refuses a reference to a blob nobody reserved, rolling the transaction back', async () => {
        const meta = await store();
        await meta.tx((tx) => tx.insertUpload(upload('u', 'u1')));
        await assert.rejects(meta.tx((tx) => tx.putObject(object('k', 'null', 'never-reserved'))));
        await assert.rejects(meta.tx((tx) => tx.putPart(part('u1', 1, 'never-reserved'))));
        assert.equal(await meta.getObject(BUCKET, 'k'), undefined);
        assert.deepEqual(await meta.listParts('u1', 0, 10), []);
      });

      it('a reserved blob is left alone until its reservation lapses, then claimed once', async () => {
        const meta = await store();
        await meta.tx((tx) => tx.reserveBlob('slow-write', HOLDER, 100));
        assert.deepEqual(await claim(meta, 99), [], 'another process collecting meanwhile leaves the write in flight alone');
        assert.deepEqual(await claim(meta, 100), ['slow-write']);
        assert.deepEqual(await claim(meta, 200), [], 'a claimed blob is not claimed again');
        await assert.rejects(meta.tx((tx) => putNew(tx, object('k', 'null', 'slow-write'))), 'a claimed blob cannot be reserved again');
        await assert.rejects(meta.tx((tx) => tx.putObject(object('k', 'null', 'slow-write'))), 'nor referred to');
        await meta.tx((tx) => tx.forgetBlobs(['slow-write']));
        assert.deepEqual(await claim(meta, 300), []);
      });

      it('a committed reference consumes the reservation: the blob is never garbage while referred to', async () => {
        const meta = await store();
        await meta.tx(async (tx) => {
          await putNew(tx, object('k', 'v1', 'kept'));
          await tx.insertUpload(upload('u', 'u1'));
          await putNewPart(tx, part('u1', 1, 'part'));
        });
        assert.deepEqual(await claim(meta, FUTURE * 2), []);
      });

      it('removing the last reference hands the blob to the collector in the same transaction', async () => {
        const meta = await store();
        await meta.tx(async (tx) => {
          await putNew(tx, object('a', 'v1', 'shared'));
          await putNew(tx, object('b', 'v1', 'shared'));
          await putNew(tx, object('c', 'null', 'replaced'));
          await tx.insertUpload(upload('u', 'u1'));
          await putNewPart(tx, part('u1', 1, 'p1'));
          await putNewPart(tx, part('u1', 2, 'p2'));
        });
        await meta.tx((tx) => tx.deleteVersion(BUCKET, 'a', 'v1'));
        assert.deepEqual(await claim(meta), [], 'b still refers to it');
        await meta.tx(async (tx) => {
          await tx.deleteVersion(BUCKET, 'b', 'v1');
          await putNew(tx, object('c', 'null', 'replacement'));
          await putNewPart(tx, part('u1', 2, 'p2-again'));
        });
        assert.deepEqual(await claim(meta), ['p2', 'replaced', 'shared']);
        await meta.tx((tx) => tx.deleteUpload('u1'));
        assert.deepEqual(await claim(meta), ['p1', 'p2-again']);
      });

      it('a rolled-back removal hands nothing over', async () => {
        const meta = await store();
        await meta.tx((tx) => putNew(tx, object('k', 'v1', 'b1')));
        await assert.rejects(
          meta.tx(async (tx) => {
            await tx.deleteVersion(BUCKET, 'k', 'v1');
            throw new Error('changed my mind');
          }),
        );
        assert.deepEqual(await claim(meta), []);
        assert.equal((await meta.getObject(BUCKET, 'k'))?.versionId, 'v1');
      });

      it('a released reservation is garbage at once; lapseReservations lapses every other holder\'s, claims included', async () => {
        const meta = await store();
        await meta.tx(async (tx) => {
          await tx.reserveBlob('given-up', HOLDER, FUTURE);
          await tx.releaseBlob('given-up');
          await tx.reserveBlob('dead-write', 'dead-process', FUTURE);
          await tx.reserveBlob('own-write', 'me', FUTURE);
        });
        assert.deepEqual(await claim(meta, 10, 'dead-collector'), ['given-up']);
        assert.equal(await meta.tx((tx) => tx.lapseReservations('me')), 2);
        assert.deepEqual(await claim(meta, 10, 'me'), ['dead-write', 'given-up']);
      });

      it('a writer\'s heartbeat renews its reservations in flight, not one released or claimed meanwhile', async () => {
        const meta = await store();
        await meta.tx(async (tx) => {
          await tx.reserveBlob('in-flight', HOLDER, 200);
          for (const ref of ['released', 'claimed']) await tx.reserveBlob(ref, HOLDER, 100);
          await tx.releaseBlob('released');
        });
        assert.deepEqual(await claim(meta, 100, 'collector'), ['claimed', 'released']);
        await meta.tx((tx) => tx.renewReservations(['in-flight', 'released', 'claimed', 'never-reserved'], 500));
        assert.deepEqual(await claim(meta, 499, 'collector'), [], 'renewed; the claims stand until 1100');
        assert.deepEqual(await claim(meta, 500, 'collector'), ['in-flight'], 'lapsed once the heartbeat stops');
      });

      it('a claim lapses after its collector\'s lease: another collector takes it over, and forgetting it once is enough', async () => {
        const meta = await store();
        await meta.tx(async (tx) => {
          await tx.reserveBlob('garbage', HOLDER, 0);
          await tx.releaseBlob('garbage');
        });
        assert.deepEqual(await meta.tx((tx) => tx.claimGarbage('dying', 10, 100, 50)), ['garbage']);
        assert.deepEqual(await claim(meta, 49, 'survivor'), [], 'the dying collector\'s claim still stands');
        assert.deepEqual(await claim(meta, 50, 'survivor'), ['garbage']);
        await assert.rejects(meta.tx((tx) => tx.reserveBlob('garbage', HOLDER, FUTURE)), 'still no write may take it');
        await meta.tx((tx) => tx.forgetBlobs(['garbage']));
        assert.deepEqual(await claim(meta, FUTURE, 'survivor'), []);
      });
    });

    describe('single-use signatures', () => {
      it('each is claimed once, until it is forgotten once its time is past', async () => {
        const meta = await store();
        const claim = (signature: string, until: number, now: number): Promise<boolean> => meta.tx((tx) => tx.claimSingleUse(signature, until, now));
        assert.equal(await claim('s1', 100, 10), true);
        assert.equal(await claim('s1', 100, 20), false, 'a replay');
        assert.equal(await claim('s2', 100, 20), true);
        await assert.rejects(
          meta.tx(async (tx) => {
            await tx.claimSingleUse('s3', 100, 20);
            throw new Error('rolled back');
          }),
        );
        assert.equal(await claim('s3', 100, 30), true, 'a rolled-back claim holds nothing');
        assert.equal(await claim('s1', 100, 101), true, 'forgotten once past (its time check refuses it anyway)');
      });
    });

    describe('deployment id', () => {
      it('is made once and read back the same', async () => {
        const meta = await store();
        const id = await meta.deploymentId();
        assert.match(id, /^[0-9a-f-]{16,}$/);
        assert.equal(await meta.deploymentId(), id);
      });
    });
  });
}
