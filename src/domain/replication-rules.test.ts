// Replication rules: which writes a configuration queues, and what a replica of a version is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bucket } from './bucket.ts';
import type { ConfigTree } from './config-schema.ts';
import type { DeleteMarker, ObjectRecord } from './object.ts';
import { initialReplication, readReplication, replicaOf, ruleFor } from './replication-rules.ts';

const DESTINATION = 'qcs::cos:ap-chengdu::dest-1250000000';
const rule = (fields: ConfigTree): ConfigTree => ({ Status: 'Enabled', Prefix: '', Destination: { Bucket: DESTINATION }, ...fields });
const configured = (...rules: ConfigTree[]): ConfigTree => ({ Role: 'qcs::cam::uin/1:uin/1', Rule: rules });
const bucket = (replication: ConfigTree | undefined, versioning: 'Enabled' | 'Suspended' | undefined = 'Enabled'): Bucket => ({
  name: 'src-1250000000',
  ownerUin: '1',
  region: 'ap-guangzhou',
  createdAt: 0,
  ...(versioning && { versioning }),
  ...(replication && { replication }),
});

describe('readReplication', () => {
  it('reads the Role, the destination and the enabled rules; none enabled is no replication', () => {
    const read = readReplication(configured(rule({ Prefix: 'a/', Destination: { Bucket: DESTINATION, StorageClass: 'STANDARD_IA' } }), rule({ Prefix: 'b/', Status: 'Disabled' })));
    assert.deepEqual(read, { role: 'qcs::cam::uin/1:uin/1', destination: { region: 'ap-chengdu', bucket: 'dest-1250000000' }, rules: [{ prefix: 'a/', storageClass: 'STANDARD_IA', deleteMarkers: false }] });
    assert.equal(readReplication(configured(rule({ Status: 'Disabled' }))), undefined);
  });

  it('finds the one rule whose prefix the key starts with', () => {
    const read = readReplication(configured(rule({ Prefix: 'a/' }), rule({ Prefix: 'b/', DeleteMarkerReplication: { Status: 'Enabled' } })));
    assert.ok(read);
    assert.equal(ruleFor(read, 'b/x')?.deleteMarkers, true);
    assert.equal(ruleFor(read, 'c/x'), undefined);
  });
});

describe('initialReplication', () => {
  it('queues a write a rule selects, a delete marker only with DeleteMarkerReplication Enabled', () => {
    const b = bucket(configured(rule({ Prefix: 'sync/' }), rule({ Prefix: 'markers/', DeleteMarkerReplication: { Status: 'Enabled' } })));
    assert.deepEqual(initialReplication(b, 'sync/k', false), { replication: 'PENDING' });
    assert.deepEqual(initialReplication(b, 'sync/k', true), {}, 'DeleteMarkerReplication absent');
    assert.deepEqual(initialReplication(b, 'markers/k', true), { replication: 'PENDING' });
    assert.deepEqual(initialReplication(b, 'other/k', false), {});
  });

  it('queues nothing without a configuration, or while versioning is not Enabled (the null version repeats)', () => {
    assert.deepEqual(initialReplication(bucket(undefined), 'k', false), {});
    assert.deepEqual(initialReplication(bucket(configured(rule({})), 'Suspended'), 'k', false), {});
  });
});

describe('replicaOf', () => {
  const [only] = readReplication(configured(rule({})))?.rules ?? [];
  const [archived] = readReplication(configured(rule({ Destination: { Bucket: DESTINATION, StorageClass: 'ARCHIVE' } })))?.rules ?? [];
  const source: ObjectRecord = {
    bucket: 'src-1250000000',
    key: 'k',
    versionId: 'v1',
    size: 1,
    etag: '"e"',
    crc64: '1',
    lastModified: 5,
    content: { blob: 'b1' },
    headers: { 'x-cos-meta-a': '1' },
    storageClass: 'STANDARD_IA',
    acl: { grants: [] },
    uploadId: 'u',
    tags: [{ key: 't', value: 'v' }],
    restore: { requestedAt: 1, readyAt: 2, days: 1, tier: 'Standard' },
    replication: 'PENDING',
  };

  it('keeps version id, bytes, metadata, tags and ACL; marked REPLICA; the rule may name the class', () => {
    assert.ok(only && archived);
    const { restore: _restore, uploadId: _uploadId, ...kept } = source;
    assert.deepEqual(replicaOf(source, 'dest-1250000000', only), { ...kept, bucket: 'dest-1250000000', replication: 'REPLICA' });
    const replica = replicaOf(source, 'dest-1250000000', archived);
    assert.equal(!replica.deleteMarker && replica.storageClass, 'ARCHIVE');
  });

  it('a delete marker is a delete marker with the same id', () => {
    assert.ok(only);
    const marker: DeleteMarker = { bucket: 'src-1250000000', key: 'k', versionId: 'm1', deleteMarker: true, lastModified: 5, replication: 'PENDING' };
    assert.deepEqual(replicaOf(marker, 'dest-1250000000', only), { ...marker, bucket: 'dest-1250000000', replication: 'REPLICA' });
  });
});
