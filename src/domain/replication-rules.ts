// Replication rules (pure): a stored replication document read into typed rules, which writes they select,
// and what a replica of a version is. The job that copies versions is jobs/replication.ts.
// [doc: Cross-bucket replication, what is replicated: https://www.tencentcloud.com/document/product/436/19923]
import type { Bucket } from './bucket.ts';
import { childOf, itemsOf, textOfChild, type ConfigTree } from './config-schema.ts';
import { destinationOf, parseDestination } from './configs/replication.ts';
import type { ObjectVersion, ReplicationStatus } from './object.ts';

export interface ReplicationRule {
  readonly prefix: string;
  /** The replica's storage class; undefined: the source version's. */
  readonly storageClass: string | undefined;
  /** DeleteMarkerReplication Enabled: a DELETE's delete marker is replicated too. */
  readonly deleteMarkers: boolean;
}

export interface Replication {
  /** `qcs::cam::uin/<owner>:uin/<uin>`: whose permissions the copies are written with (api/common/role-write.ts). */
  readonly role: string;
  /** Every rule names the same destination (domain/configs/replication.ts checks it). */
  readonly destination: { readonly region: string; readonly bucket: string };
  /** The Enabled rules; Disabled ones select nothing. */
  readonly rules: readonly ReplicationRule[];
}

/** The rules of a validated document (domain/configs/replication.ts); undefined when none is enabled. */
export function readReplication(document: ConfigTree): Replication | undefined {
  const all = itemsOf(document, 'Rule');
  const destination = parseDestination(destinationOf(all[0] ?? {}));
  const rules = all
    .filter((rule) => textOfChild(rule, 'Status') === 'Enabled')
    .map((rule): ReplicationRule => ({
      prefix: textOfChild(rule, 'Prefix') ?? '',
      storageClass: textOfChild(childOf(rule, 'Destination') ?? {}, 'StorageClass'),
      // [assumption] Absent is Disabled, as in S3: COS's console calls syncing delete markers an option.
      deleteMarkers: textOfChild(childOf(rule, 'DeleteMarkerReplication') ?? {}, 'Status') === 'Enabled',
    }));
  return destination && rules.length > 0 ? { role: textOfChild(document, 'Role') ?? '', destination, rules } : undefined;
}

/** The rule selecting the key: prefixes never overlap, so at most one does. */
export const ruleFor = (replication: Replication, key: string): ReplicationRule | undefined => replication.rules.find((rule) => key.startsWith(rule.prefix));

/**
 * The status a new version starts with: PENDING when an enabled rule selects it (a delete marker only
 * with DeleteMarkerReplication Enabled), else none. Only while versioning is Enabled: a replica keeps
 * its source's version id, which must be unique (a Suspended bucket's writes all are `null`).
 */
export function initialReplication(bucket: Bucket, key: string, deleteMarker: boolean): { replication?: ReplicationStatus } {
  if (bucket.versioning !== 'Enabled' || !bucket.replication) return {};
  const rule = readReplication(bucket.replication);
  const selected = rule && ruleFor(rule, key);
  return selected && (!deleteMarker || selected.deleteMarkers) ? { replication: 'PENDING' } : {};
}

/**
 * The copy of a source version in the destination bucket: the same version id, bytes (a shared blob, with
 * its encryption: one server key), metadata, tags, ACL and retention [doc: "object metadata and version
 * ID" are replicated], marked REPLICA and in the rule's storage class if it names one. An archive
 * restore is the source's own business.
 */
export function replicaOf(version: ObjectVersion, destination: string, rule: ReplicationRule): ObjectVersion {
  if (version.deleteMarker) return { ...version, bucket: destination, replication: 'REPLICA' };
  const { restore: _restore, uploadId: _uploadId, ...copied } = version;
  return { ...copied, bucket: destination, storageClass: rule.storageClass ?? version.storageClass, replication: 'REPLICA' };
}
