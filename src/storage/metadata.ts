// The metadata store interface: state-shaped reads and writes; the COS rules live above it (domain/, api/).
import type { Acl } from '../domain/acl.ts';
import type { Bucket, BucketRecord } from '../domain/bucket.ts';
import type { BucketConfigKind } from '../domain/bucket-config.ts';
import type { Account, Credential, SubAccount, UserPolicy } from '../domain/identity.ts';
import type { DeleteMarker, ListedObject, ObjectRecord, ObjectVersion, ReplicationStatus } from '../domain/object.ts';
import type { RestoreJob } from '../domain/restore.ts';
import type { TagSet } from '../domain/tagging.ts';
import type { Part, Upload } from '../domain/upload.ts';

export interface ListObjectsQuery {
  bucket: string;
  prefix: string;
  /** Return keys strictly greater than this. */
  after: string;
  limit: number;
}

export interface ListUploadsQuery {
  bucket: string;
  prefix: string;
  /**
   * Start strictly after this position in (key, uploadId) order: after upload `uploadId` of `key`, or
   * after every upload of `key` when uploadId is absent. `key` '' starts at the beginning.
   */
  after: { key: string; uploadId?: string };
  limit: number;
}

export interface ListVersionsQuery {
  bucket: string;
  prefix: string;
  /**
   * Start strictly after this position: after version `versionId` of `key`, or after every version of
   * `key` when versionId is absent (or names no version of it). `key` '' starts at the beginning.
   */
  after: { key: string; versionId?: string };
  limit: number;
}

/** A version as a listing shows it (no bytes, headers or ACL), with whether it is its key's current version. */
export type ListedVersion = (
  | (ListedObject & { versionId: string; deleteMarker?: never })
  | Pick<DeleteMarker, 'key' | 'versionId' | 'deleteMarker' | 'lastModified'>
) & { isLatest: boolean };

/** One version of one key. */
export interface VersionRef {
  bucket: string;
  key: string;
  versionId: string;
}

export interface RemovedVersion {
  /** Whether the removed version was a delete marker. */
  deleteMarker: boolean;
  /** Its blob, when no other version still refers to it. */
  freedBlob: string | undefined;
}

/**
 * A background job's durable state (jobs/runner.ts): who runs it, when it runs next, how its last run
 * ended, and where an unfinished run stands, so that another process, or this one after a kill -9,
 * resumes it.
 */
export interface JobState {
  name: string;
  /** The process running the job, and until when (epoch ms, real time) the others keep off it. */
  lease?: { holder: string; until: number };
  /** When the next run is due (epoch ms, the server's clock). */
  nextRunAt: number;
  /** The run in progress or interrupted: when it started (the server's clock) and the job's own cursor. */
  run?: { startedAt: number; cursor?: string };
  lastRun?: JobOutcome;
}

export interface JobOutcome {
  startedAt: number;
  endedAt: number;
  outcome: 'success' | 'failure';
  /** For a failure: what went wrong. */
  error?: string;
}

/**
 * One request to a bucket with access logging on, waiting to be delivered into its target bucket
 * (jobs/logging.ts): the line as it will appear in the log file, and when the request ended.
 */
export interface PendingAccessLog {
  /** Ascending in the order lines were added, unique across the store. */
  seq: number;
  /** The source bucket. */
  bucket: string;
  /** When the request ended (epoch ms, the server's clock): which log period it belongs to. */
  at: number;
  line: string;
}

export interface MetadataReader {
  getCredential(secretId: string): Promise<Credential | undefined>;
  /**
   * Changes whenever a key is removed or its secret replaced, by any process sharing the store; cheap
   * enough to read every few hundred milliseconds (a key cache checks it to drop revoked keys).
   */
  credentialsVersion(): Promise<number>;
  /**
   * The store's identity, made once when the store was created and never changed: the servers (nodes)
   * that share this store are one deployment, and the data-directory lock tells them from another's.
   */
  deploymentId(): Promise<string>;
  getAccount(uin: string): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;
  listSubAccounts(ownerUin: string): Promise<SubAccount[]>;
  /** The identity's permanent keys (temporary ones are found by getCredential only). */
  listCredentials(uin: string): Promise<Credential[]>;
  getSubAccount(uin: string): Promise<SubAccount | undefined>;
  /** The user policies attached to a sub-account, by name. */
  listUserPolicies(uin: string): Promise<UserPolicy[]>;
  /**
   * The bucket with every setting it has, decoded (domain/bucket-config.ts). The request path calls this
   * on every request: an engine answers it in one round trip and does not decode an unchanged document
   * again for each call.
   */
  getBucket(name: string): Promise<Bucket | undefined>;
  /** One setting's document as stored (the kind's codec's text); undefined when the bucket has none. */
  getBucketConfig(bucket: string, kind: BucketConfigKind): Promise<string | undefined>;
  listBuckets(ownerUin: string): Promise<BucketRecord[]>;
  countBuckets(ownerUin: string): Promise<number>;
  /** Whether any version (or delete marker) and any multipart upload in progress is left in the bucket. */
  bucketContents(name: string): Promise<{ versions: boolean; uploads: boolean }>;
  /** The key's current version when it is an object (not a delete marker). */
  getObject(bucket: string, key: string): Promise<ObjectRecord | undefined>;
  /** A version by id, or the key's current version (possibly a delete marker) when versionId is undefined. */
  getVersion(bucket: string, key: string, versionId: string | undefined): Promise<ObjectVersion | undefined>;
  /** Current objects (no delete markers) in key order (UTF-8 byte order, as COS lists them). */
  listObjects(query: ListObjectsQuery): Promise<ListedObject[]>;
  /** Every version and delete marker in key order, each key's newest first. */
  listVersions(query: ListVersionsQuery): Promise<ListedVersion[]>;
  getUpload(bucket: string, key: string, uploadId: string): Promise<Upload | undefined>;
  /** Uploads in progress ordered by key (UTF-8 byte order), then upload id. */
  listUploads(query: ListUploadsQuery): Promise<Upload[]>;
  /** An upload's parts with numbers above afterPart, ascending. */
  listParts(uploadId: string, afterPart: number, limit: number): Promise<Part[]>;
  /** Objects stored (every version, no delete markers) and their bytes, for metrics; may cost a scan. */
  usage(): Promise<{ objects: number; bytes: number }>;
  /** Whether any version or upload part refers to this blob. */
  blobInUse(ref: string): Promise<boolean>;
  /**
   * The first `limit` versions (and delete markers) whose replication is PENDING: by bucket, then key
   * (UTF-8 byte order), each key's oldest first, so replicas are stacked in the order the writes were.
   * An index away, however many versions the store holds.
   */
  listPendingReplication(limit: number): Promise<VersionRef[]>;
  getJob(name: string): Promise<JobState | undefined>;
  /** Every job's state, by name. */
  listJobs(): Promise<JobState[]>;
  /** The source buckets with access-log lines pending, by name (the bucket itself may be gone since). */
  accessLogBuckets(): Promise<string[]>;
  /** A source bucket's pending access-log lines, oldest (lowest seq) first. */
  listAccessLogs(bucket: string, limit: number): Promise<PendingAccessLog[]>;
}

export interface MetadataTx extends MetadataReader {
  putAccount(account: Account): Promise<void>;
  putSubAccount(sub: SubAccount): Promise<void>;
  putCredential(credential: Credential): Promise<void>;
  /** Removes a key, permanent or temporary; false when there is no such key. */
  deleteCredential(secretId: string): Promise<boolean>;
  /** Removes the temporary keys that expired before `before` (epoch seconds); returns how many. */
  deleteExpiredCredentials(before: number): Promise<number>;
  /** Inserts or replaces the policy of that name. */
  putUserPolicy(policy: UserPolicy): Promise<void>;
  /** Returns false when no such policy exists. */
  deleteUserPolicy(uin: string, name: string): Promise<boolean>;
  /** A new bucket has no settings; put them in the same transaction. Throws when the name is taken. */
  insertBucket(bucket: BucketRecord): Promise<void>;
  /** Removes the bucket and its settings (its versions and uploads must be gone). */
  deleteBucket(name: string): Promise<void>;
  /**
   * Sets (replaces) one setting of an existing bucket. `document` is the kind's codec's text; the store
   * decodes it before storing, so a document no reader could decode is refused here (it throws).
   * False when there is no such bucket (it may have been deleted since the caller read it).
   */
  putBucketConfig(bucket: string, kind: BucketConfigKind, document: string): Promise<boolean>;
  /** Removes one setting; false when the bucket had none of that kind. */
  deleteBucketConfig(bucket: string, kind: BucketConfigKind): Promise<boolean>;
  /** Sets one version's ACL; false when that version does not exist (or is a delete marker). */
  setObjectAcl(bucket: string, key: string, versionId: string, acl: Acl | undefined): Promise<boolean>;
  /** Replaces one version's tags (an empty set removes them); false when that version does not exist (or is a delete marker). */
  setObjectTags(bucket: string, key: string, versionId: string, tags: TagSet): Promise<boolean>;
  /** Moves one version to another storage class (a lifecycle transition); false as for setObjectTags. */
  setObjectStorageClass(bucket: string, key: string, versionId: string, storageClass: string): Promise<boolean>;
  /** Sets one version's (or delete marker's) replication status; false when there is no such version. */
  setReplicationStatus(bucket: string, key: string, versionId: string, status: ReplicationStatus): Promise<boolean>;
  /** Records a restore of one version, replacing the previous one; false as for setObjectTags. */
  setObjectRestore(bucket: string, key: string, versionId: string, restore: RestoreJob): Promise<boolean>;
  /** Sets one version's object lock retain-until (epoch ms); false as for setObjectTags. */
  setObjectRetention(bucket: string, key: string, versionId: string, retainUntil: number): Promise<boolean>;
  /**
   * Adds the record as its key's newest (current) version, replacing the version with the same id if
   * any (only `null` ever repeats). Returns the replaced version's blob once nothing refers to it.
   *
   * A record's (or part's) blob must be reserved (reserveBlob), which this consumes, or already be
   * referred to; it throws for a blob the collector has claimed or nothing ever reserved. A blob nothing
   * refers to any more, here and in every other removal, is handed to the collector in the same
   * transaction (a lapsed reservation): the returned refs only say that there is garbage to collect.
   */
  putObject(record: ObjectRecord): Promise<string | undefined>;
  /** putObject for a delete marker. */
  putDeleteMarker(marker: DeleteMarker): Promise<string | undefined>;
  /** Removes one version for good (the next newest becomes current); undefined when there is no such version. */
  deleteVersion(bucket: string, key: string, versionId: string): Promise<RemovedVersion | undefined>;
  insertUpload(upload: Upload): Promise<void>;
  /** Inserts or replaces a part of an existing upload; returns the replaced part's blob, if any. */
  putPart(part: Part): Promise<string | undefined>;
  /** Removes an upload and its parts; returns the parts' blobs. */
  deleteUpload(uploadId: string): Promise<string[]>;
  /** Every upload in progress in the bucket, with its parts; returns the parts' blobs to free. */
  deleteUploadsOf(bucket: string): Promise<string[]>;
  /**
   * Records a single-use signature (COS V4, e=0) as used until `until` (epoch s), forgetting those whose
   * `until` is before `now`: true the first time, false once recorded, by any process sharing the store.
   */
  claimSingleUse(signature: string, until: number, now: number): Promise<boolean>;
  /** Adds a pending access-log line (seq is the store's); it stays until deleteAccessLogs consumes it. */
  appendAccessLog(entry: Omit<PendingAccessLog, 'seq'>): Promise<void>;
  /** Removes these pending lines; returns how many of them were still there. */
  deleteAccessLogs(seqs: readonly number[]): Promise<number>;
  /** Inserts or replaces a job's state. clearAll leaves jobs alone: a reset removes data, not the schedule. */
  putJob(state: JobState): Promise<void>;
  /**
   * Empties the store for a test reset: every bucket with its settings, versions, uploads and pending
   * access-log lines, and every account, sub-account, key and user policy. Blobs that versions and parts referred to go to the
   * collector (returned, like deleteUploadsOf's); reservations of writes in flight stand.
   */
  clearAll(): Promise<string[]>;

  // Blob lifetime (storage/blob-keeper.ts runs it). A blob's bytes exist only while a reservation or a
  // reference (a version's or a part's) stands for them; the collector frees those left with neither.
  /**
   * Reserves a blob before its bytes are written: the collector leaves it alone until `expiresAt` (epoch
   * ms), though nothing refers to it yet. Reserving again extends the reservation. `holder` names the
   * process writing it (lapseReservations).
   */
  reserveBlob(ref: string, holder: string, expiresAt: number): Promise<void>;
  /** Gives a reserved blob up (its write failed, or its commit did not happen): it is garbage now. */
  releaseBlob(ref: string): Promise<void>;
  /**
   * Extends the reservations of blobs still being written (a writer's heartbeat, one call for all its
   * writes in flight) to `expiresAt`; a ref no longer reserved (committed, given up, claimed) is skipped.
   */
  renewReservations(refs: readonly string[], expiresAt: number): Promise<void>;
  /**
   * Lapses every reservation not made by `holder`, including claims of collectors that died mid-way.
   * Only for a process that owns the store alone (the data-dir lock): the writes those reservations
   * announced died with their processes. Returns how many lapsed.
   */
  lapseReservations(exceptHolder: string): Promise<number>;
  /**
   * Claims up to `limit` garbage blobs for `holder`'s collector until `claimUntil` (epoch ms): reservations
   * lapsed by `now` whose blob nothing refers to, and claims lapsed by `now` (their collector died or
   * stalled; freeing a blob twice is harmless). From now on no write can refer to them (putObject and putPart throw).
   */
  claimGarbage(holder: string, now: number, limit: number, claimUntil: number): Promise<string[]>;
  /** Forgets claimed blobs whose bytes are gone. */
  forgetBlobs(refs: readonly string[]): Promise<void>;
}

export interface MetadataStore extends MetadataReader {
  /**
   * Runs fn as one serializable transaction: its writes commit together or not at all (a throw rolls
   * them all back and rejects with that error), and the outcome is as if no other transaction, of this
   * or any other process sharing the store, ran while it did. So a check and the write it guards may sit
   * in one fn (count the buckets then insert one, read a key's newest version then stack another): no
   * engine may make that correct only by having a single writer. The promise resolves once the commit is
   * durable.
   *
   * fn may be run more than once: an engine that detects a conflict (PostgreSQL's serialization
   * failures) rolls back and runs it again. So fn acts only through `tx` and returns what the caller
   * does afterwards (freeing blobs, answering); values it makes up (ids, keys) are made again on a re-run,
   * which is fine as long as nothing outside saw them. Reads through the store itself (not `tx`) inside
   * fn are outside the transaction: whether they see fn's writes so far is the engine's business (both
   * engines here show them), so fn must not make them. Implementations may require fn to await nothing but the tx's own
   * methods (see storage/sqlite).
   */
  tx<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
