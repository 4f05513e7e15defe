// The replication job: copies the versions and delete markers a replication rule queued as PENDING
// (domain/replication-rules.ts, in the commit that wrote them) to the rule's destination bucket, then
// marks them COMPLETED, or FAILED when the destination is gone or no longer keeps versions, or when the
// rule's Role may not write there (api/common/role-write.ts: the decision a request of the Role would get).
//
// A page of the queue is copied in one transaction with the status changes, so after kill -9 a version
// is either still PENDING with no copy or COMPLETED with one. The copy keeps the source's version id,
// so it is also keyed by (destination, key, source version id): a version found there already is not
// copied again. No bytes move: the replica refers to the source's blob (the blob keeper counts every
// version referring to a blob; storage/metadata.ts putObject) or, for a small object, gets its own
// copy of the inline bytes.
import type { PolicyCache } from '../api/common/policy-cache.ts';
import { roleWriter, storeSources } from '../api/common/role-write.ts';
import { readReplication, replicaOf, ruleFor } from '../domain/replication-rules.ts';
import type { ObjectVersion, ReplicationStatus } from '../domain/object.ts';
import type { Logger } from '../http/log.ts';
import type { MetadataStore, MetadataTx, VersionRef } from '../storage/metadata.ts';
import type { Job } from './runner.ts';

/** Versions copied per transaction: small enough that requests never wait long behind one. */
export const REPLICATION_PAGE = 100;

export interface ReplicationDeps {
  meta: MetadataStore;
  /** The server's compiled bucket and user policies, shared with the request pipeline. */
  policies: PolicyCache;
  log: Logger;
  /**
   * How long after a run the queue is looked at again. COS replicates within seconds to minutes of a
   * write; a second keeps a replica's appearance prompt without a client waiting on it.
   */
  intervalMs?: number;
}

export function replicationJob(deps: ReplicationDeps): Job {
  return { name: 'replication', intervalMs: deps.intervalMs ?? 1000, step: (_cursor, now) => replicationStep(deps, now) };
}

/**
 * Copies the first page of the queue. The queue itself is the run's progress (every version it copies
 * leaves it), so the cursor only says whether a full page was taken and more may wait.
 */
async function replicationStep(deps: ReplicationDeps, now: number): Promise<string | undefined> {
  const page = await deps.meta.listPendingReplication(REPLICATION_PAGE);
  if (page.length === 0) return undefined;
  await deps.meta.tx(async (tx) => {
    for (const ref of page) await replicateVersion({ tx, now, ...deps }, ref);
  });
  return page.length === REPLICATION_PAGE ? 'more' : undefined;
}

interface StepScope extends ReplicationDeps {
  tx: MetadataTx;
  /** The server's clock: what date conditions of the destination's policies compare with. */
  now: number;
}

/** Copies one queued version, deciding from what the store holds now: it may have gone, or been done. */
async function replicateVersion(scope: StepScope, ref: VersionRef): Promise<void> {
  const version = await scope.tx.getVersion(ref.bucket, ref.key, ref.versionId);
  if (version?.replication !== 'PENDING') return;
  await scope.tx.setReplicationStatus(ref.bucket, ref.key, ref.versionId, await copyToDestination(scope, version));
}

async function copyToDestination(scope: StepScope, version: ObjectVersion): Promise<ReplicationStatus> {
  const { tx, policies, now } = scope;
  const source = await tx.getBucket(version.bucket);
  const replication = source?.replication && readReplication(source.replication);
  const rule = replication && ruleFor(replication, version.key);
  // The configuration was deleted or the rule disabled since the write: nothing says where to copy it.
  if (!source || !replication || !rule) return 'FAILED';
  const { region, bucket } = replication.destination;
  const target = await tx.getBucket(bucket);
  // PUT Bucket replication checked these; the destination may have been deleted (or re-created
  // elsewhere) or had versioning suspended since. A replica needs its version id to stay unique.
  if (!target || target.region !== region || target.versioning !== 'Enabled') return 'FAILED';
  // Checked at PUT Bucket replication too, but a grant may have been withdrawn since.
  const write = await roleWriter(storeSources(tx, policies), replication.role, source, now);
  const decision = write(target, version.key, version.deleteMarker ? 'name/cos:DeleteObject' : 'name/cos:PutObject');
  if (decision.effect === 'deny') {
    scope.log.warn({ msg: 'replication denied: the rule\'s Role may not write to the destination', job: 'replication', bucket: version.bucket, key: version.key, versionId: version.versionId, destination: bucket, role: replication.role, decision });
    return 'FAILED';
  }
  if (await tx.getVersion(bucket, version.key, version.versionId)) return 'COMPLETED';
  const replica = replicaOf(version, bucket, rule);
  if (replica.deleteMarker) await tx.putDeleteMarker(replica);
  else await tx.putObject(replica);
  return 'COMPLETED';
}
