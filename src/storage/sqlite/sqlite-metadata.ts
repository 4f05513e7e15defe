// SQLite implementation of MetadataStore (better-sqlite3, WAL), made durable by group-committed WAL fsyncs.
import Database from 'better-sqlite3';
import { ACL_CODEC, type Acl } from '../../domain/acl.ts';
import type { Bucket, BucketRecord } from '../../domain/bucket.ts';
import { BUCKET_CONFIG_CODECS, BUCKET_CONFIG_KINDS, isBucketConfigKind, type BucketConfigKind } from '../../domain/bucket-config.ts';
import type { DocumentCodec } from '../../domain/codec.ts';
import type { Account, Credential, SubAccount, UserPolicy } from '../../domain/identity.ts';
import type { DeleteMarker, ListedObject, ObjectRecord, ObjectVersion, ReplicationStatus } from '../../domain/object.ts';
import type { SyncBatcher } from '../fs/sync-batcher.ts';
import type { RestoreJob } from '../../domain/restore.ts';
import type { TagSet } from '../../domain/tagging.ts';
import type { Part, Upload } from '../../domain/upload.ts';
import type { JobState, ListObjectsQuery, PendingAccessLog, ListUploadsQuery, ListVersionsQuery, ListedVersion, MetadataStore, MetadataTx, RemovedVersion, VersionRef } from '../metadata.ts';
import {
  CLEARED_TABLES,
  LISTED,
  LISTED_VERSION,
  VERSION_WITH_BYTES,
  jsonColumn,
  prefixEnd,
  tagsColumn,
  toBucketRecord,
  toCredential,
  toListed,
  toListedVersion,
  toObject,
  toPart,
  toUpload,
  toVersion,
  type BucketRow,
  type CredentialRow,
  type ListedRow,
  type ListedVersionRow,
  type PartRow,
  type StoredVersionRow,
  type UploadRow,
  type VersionRow,
} from '../sql/rows.ts';
import { DocumentTable } from './document-table.ts';
import { MIGRATIONS } from './migrations.ts';

/** One document table per setting kind, each decoding with its kind's codec. */
type ConfigTables = { readonly [K in BucketConfigKind]: DocumentTable<unknown> };

/** A bucket row with its settings as `kind=documentId` pairs joined by commas (null when it has none). */
type BucketConfigsRow = BucketRow & { configs: string | null };

/** The row as a Bucket with its settings decoded; kinds this version does not know are skipped. */
function toBucket(row: BucketConfigsRow, configs: ConfigTables): Bucket {
  const bucket: BucketRecord & { [K in BucketConfigKind]?: unknown } = toBucketRecord(row);
  if (row.configs !== null) {
    for (const pair of row.configs.split(',')) {
      const at = pair.indexOf('=');
      const kind = pair.slice(0, at);
      if (isBucketConfigKind(kind)) bucket[kind] = configs[kind].read(Number(pair.slice(at + 1)));
    }
  }
  return bucket as Bucket;
}

/**
 * better-sqlite3 is synchronous, so every method here completes before it returns; the async
 * signatures exist for engines that are not (PostgreSQL). Because tx() callbacks await only these
 * already-settled promises, a transaction never yields to another request's I/O callback, and the
 * single connection is never seen mid-transaction. BEGIN IMMEDIATE takes the database's write lock, so
 * transactions of every process sharing the file run one after another: serializable as metadata.ts
 * promises, and never run twice.
 *
 * Durability: synchronous=NORMAL lets COMMIT return without an fsync on the event loop; tx() then
 * fsyncs the WAL file through the SyncBatcher (on the thread pool), so concurrent commits share one
 * fsync and each caller is answered only after its commit is on disk.
 *
 * Several processes on one file (--workers, --node on one machine; never over a network file system,
 * where WAL's shared memory does not work): BEGIN IMMEDIATE waits for another process's write lock through
 * better-sqlite3's busy timeout (5 s; a transaction holds the lock for a synchronous run of statements,
 * well under a millisecond, and the fsync comes after the lock is released). An fsync of the WAL file
 * flushes every process's frames in it, and the WAL is only restarted by a checkpoint that first synced
 * it and then the database, so one process's checkpoint never loses another's acknowledged commit. The
 * WAL file stays while any connection is open, so the handle the batcher keeps stays the file's.
 */
export class SqliteMetadata implements MetadataStore, MetadataTx {
  readonly #db: Database.Database;
  readonly #walPath: string;
  readonly #batcher: SyncBatcher;
  #lock: Promise<void> = Promise.resolve();
  readonly #acls: DocumentTable<Acl>;
  readonly #configs: ConfigTables;
  readonly #stmt;

  constructor(path: string, batcher: SyncBatcher) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = ON');
    this.#walPath = `${path}-wal`;
    this.#batcher = batcher;
    this.#migrate();
    this.#acls = new DocumentTable(this.#db, { table: 'acls' }, ACL_CODEC);
    this.#configs = Object.fromEntries(
      BUCKET_CONFIG_KINDS.map((kind) => [kind, new DocumentTable(this.#db, { table: 'config_documents', kind }, BUCKET_CONFIG_CODECS[kind] as DocumentCodec<unknown>)]),
    ) as ConfigTables;
    const db = this.#db;
    this.#stmt = {
      getCredential: db.prepare('SELECT * FROM credentials WHERE secret_id = ?'),
      listCredentials: db.prepare('SELECT * FROM credentials WHERE uin = ? AND token IS NULL ORDER BY secret_id'),
      getSubAccount: db.prepare('SELECT uin, owner_uin, name FROM sub_accounts WHERE uin = ?'),
      listUserPolicies: db.prepare('SELECT uin, name, document FROM user_policies WHERE uin = ? ORDER BY name'),
      putUserPolicy: db.prepare('INSERT INTO user_policies (uin, name, document) VALUES (?, ?, ?) ON CONFLICT (uin, name) DO UPDATE SET document = excluded.document'),
      deleteUserPolicy: db.prepare('DELETE FROM user_policies WHERE uin = ? AND name = ?'),
      getAccount: db.prepare('SELECT uin, appid, name FROM accounts WHERE uin = ?'),
      listAccounts: db.prepare('SELECT uin, appid, name FROM accounts ORDER BY uin'),
      listSubAccounts: db.prepare('SELECT uin, owner_uin, name FROM sub_accounts WHERE owner_uin = ? ORDER BY uin'),
      putAccount: db.prepare('INSERT INTO accounts (uin, appid, name) VALUES (?, ?, ?) ON CONFLICT (uin) DO UPDATE SET name = excluded.name'),
      putSubAccount: db.prepare('INSERT INTO sub_accounts (uin, owner_uin, name) VALUES (?, ?, ?) ON CONFLICT (uin) DO UPDATE SET name = excluded.name'),
      putCredential: db.prepare(
        `INSERT INTO credentials (secret_id, secret_key, owner_uin, uin, token, expires_at, session_policy) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (secret_id) DO UPDATE SET secret_key = excluded.secret_key`,
      ),
      credentialsVersion: db.prepare("SELECT value FROM counters WHERE name = 'credentials'").pluck(),
      deploymentId: db.prepare('SELECT id FROM deployment').pluck(),
      deleteCredential: db.prepare('DELETE FROM credentials WHERE secret_id = ?'),
      deleteExpiredCredentials: db.prepare('DELETE FROM credentials WHERE token IS NOT NULL AND expires_at < ?'),
      // The bucket and the ids of its settings in one row: a row per setting (a join) costs ~3x as much to read.
      getBucket: db.prepare(
        `SELECT b.name, b.owner_uin, b.region, b.created_at,
           (SELECT group_concat(c.kind || '=' || c.document_id) FROM bucket_configs c WHERE c.bucket = b.name) AS configs
         FROM buckets b WHERE b.name = ?`,
      ),
      getBucketConfig: db
        .prepare('SELECT d.body FROM bucket_configs c JOIN config_documents d ON d.id = c.document_id WHERE c.bucket = ? AND c.kind = ?')
        .pluck(),
      listBuckets: db.prepare('SELECT name, owner_uin, region, created_at FROM buckets WHERE owner_uin = ? ORDER BY name'),
      countBuckets: db.prepare('SELECT count(*) AS n FROM buckets WHERE owner_uin = ?'),
      insertBucket: db.prepare('INSERT INTO buckets (name, owner_uin, region, created_at) VALUES (?, ?, ?, ?)'),
      // Only for an existing bucket: the select yields no row otherwise (0 changes).
      putBucketConfig: db.prepare(
        `INSERT INTO bucket_configs (bucket, kind, document_id) SELECT name, @kind, @documentId FROM buckets WHERE name = @bucket
         ON CONFLICT (bucket, kind) DO UPDATE SET document_id = excluded.document_id`,
      ),
      deleteBucketConfig: db.prepare('DELETE FROM bucket_configs WHERE bucket = ? AND kind = ?'),
      deleteBucketConfigs: db.prepare('DELETE FROM bucket_configs WHERE bucket = ?'),
      setObjectAcl: db.prepare('UPDATE versions SET acl_id = ? WHERE bucket = ? AND key = ? AND version_id = ? AND delete_marker = 0'),
      setObjectTags: db.prepare('UPDATE versions SET tags = ? WHERE bucket = ? AND key = ? AND version_id = ? AND delete_marker = 0'),
      setObjectRestore: db.prepare('UPDATE versions SET restore = ? WHERE bucket = ? AND key = ? AND version_id = ? AND delete_marker = 0'),
      setObjectStorageClass: db.prepare('UPDATE versions SET storage_class = ? WHERE bucket = ? AND key = ? AND version_id = ? AND delete_marker = 0'),
      setReplicationStatus: db.prepare('UPDATE versions SET replication = ? WHERE bucket = ? AND key = ? AND version_id = ?'),
      listPendingReplication: db.prepare(
        `SELECT bucket, key, version_id FROM versions INDEXED BY versions_replication_pending WHERE replication = 'PENDING' ORDER BY bucket, key, seq LIMIT ?`,
      ),
      getJob: db.prepare('SELECT state FROM jobs WHERE name = ?').pluck(),
      listJobs: db.prepare('SELECT state FROM jobs ORDER BY name').pluck(),
      putJob: db.prepare('INSERT INTO jobs (name, state) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET state = excluded.state'),
      setObjectRetention: db.prepare('UPDATE versions SET retain_until = ? WHERE bucket = ? AND key = ? AND version_id = ? AND delete_marker = 0'),
      accessLogBuckets: db.prepare('SELECT DISTINCT bucket FROM access_logs ORDER BY bucket').pluck(),
      listAccessLogs: db.prepare('SELECT seq, bucket, at, line FROM access_logs WHERE bucket = ? ORDER BY seq LIMIT ?'),
      forgetUsedSignatures: db.prepare('DELETE FROM used_signatures WHERE until < ?'),
      useSignature: db.prepare('INSERT INTO used_signatures (signature, until) VALUES (?, ?) ON CONFLICT (signature) DO NOTHING'),
      appendAccessLog: db.prepare('INSERT INTO access_logs (bucket, at, line) VALUES (?, ?, ?)'),
      deleteAccessLog: db.prepare('DELETE FROM access_logs WHERE seq = ?'),
      deleteBucket: db.prepare('DELETE FROM buckets WHERE name = ?'),
      anyVersion: db.prepare('SELECT 1 FROM versions WHERE bucket = ? LIMIT 1'),
      getLatest: db.prepare(`SELECT ${VERSION_WITH_BYTES} WHERE v.bucket = ? AND v.key = ? ORDER BY v.seq DESC LIMIT 1`),
      getVersion: db.prepare(`SELECT ${VERSION_WITH_BYTES} WHERE v.bucket = ? AND v.key = ? AND v.version_id = ?`),
      // Plain listings walk the partial index of current objects, which covers LISTED, so noncurrent versions
      // and delete markers cost nothing; without INDEXED BY the planner prefers the primary key and would step over them.
      listFrom: db
        .prepare(
          `SELECT ${LISTED} FROM versions INDEXED BY versions_current WHERE bucket = ? AND key >= ? AND substr(key, 1, length(?)) = ? AND is_latest = 1 AND delete_marker = 0 ORDER BY key LIMIT ?`,
        )
        .raw(),
      listRange: db
        .prepare(
          `SELECT ${LISTED} FROM versions INDEXED BY versions_current WHERE bucket = ? AND key >= ? AND key < ? AND is_latest = 1 AND delete_marker = 0 ORDER BY key LIMIT ?`,
        )
        .raw(),
      // Versions listing: the rest of one key's history below a seq, then later keys; both are seeks on the primary key.
      versionSeq: db.prepare('SELECT seq FROM versions WHERE bucket = ? AND key = ? AND version_id = ?'),
      olderVersions: db.prepare(`SELECT ${LISTED_VERSION} FROM versions WHERE bucket = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT ?`).raw(),
      versionsFrom: db
        .prepare(`SELECT ${LISTED_VERSION} FROM versions WHERE bucket = ? AND key >= ? AND substr(key, 1, length(?)) = ? ORDER BY key, seq DESC LIMIT ?`)
        .raw(),
      versionsRange: db.prepare(`SELECT ${LISTED_VERSION} FROM versions WHERE bucket = ? AND key >= ? AND key < ? ORDER BY key, seq DESC LIMIT ?`).raw(),
      nextSeq: db.prepare('SELECT coalesce(max(seq), 0) + 1 AS seq FROM versions WHERE bucket = ? AND key = ?'),
      // The current version is always the one with the highest seq, so these touch one row, not a key's whole history.
      unsetLatest: db.prepare('UPDATE versions SET is_latest = 0 WHERE bucket = ? AND key = ? AND seq = ?'),
      setLatest: db.prepare('UPDATE versions SET is_latest = 1 WHERE bucket = ? AND key = ? AND seq = (SELECT max(seq) FROM versions WHERE bucket = ? AND key = ?)'),
      insertVersion: db.prepare(
        `INSERT INTO versions (bucket, key, seq, version_id, is_latest, delete_marker, size, etag, crc64, last_modified, blob, inline_id, headers, storage_class, acl_id, upload_id, tags, restore, retain_until, object_type, symlink_target, encryption, replication)
         VALUES (@bucket, @key, @seq, @versionId, 1, @deleteMarker, @size, @etag, @crc64, @lastModified, @blob, @inlineId, @headers, @storageClass, @aclId, @uploadId, @tags, @restore, @retainUntil, @objectType, @symlinkTarget, @encryption, @replication)`,
      ),
      insertInline: db.prepare('INSERT INTO inline_contents (bytes) VALUES (?)'),
      deleteInline: db.prepare('DELETE FROM inline_contents WHERE id = ?'),
      deleteVersion: db.prepare('DELETE FROM versions WHERE bucket = ? AND key = ? AND version_id = ? RETURNING *'),
      // A blob is in use while a version or an upload's part refers to it (a composed blob's pieces are
      // the blob store's own, freed with it).
      blobInUse: db.prepare('SELECT 1 FROM versions WHERE blob = @ref UNION ALL SELECT 1 FROM parts WHERE blob = @ref LIMIT 1'),
      reserveBlob: db.prepare(
        `INSERT INTO blob_reservations (ref, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (ref) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at WHERE collecting = 0`,
      ),
      // A removed reference's blob, or a write given up: lapsed at once (expires_at 0), to be claimed by the next collection.
      releaseBlob: db.prepare('INSERT INTO blob_reservations (ref, holder, expires_at) VALUES (?, \'\', 0) ON CONFLICT (ref) DO UPDATE SET expires_at = 0 WHERE collecting = 0'),
      consumeReservation: db.prepare('DELETE FROM blob_reservations WHERE ref = ? AND collecting = 0'),
      // Not a released one (expires_at 0): a heartbeat racing its writer's release must not revive it.
      renewReservation: db.prepare('UPDATE blob_reservations SET expires_at = ? WHERE ref = ? AND collecting = 0 AND expires_at > 0'),
      lapseReservations: db.prepare('UPDATE blob_reservations SET expires_at = 0, collecting = 0 WHERE holder != ?'),
      // Lapsed reservations and lapsed claims alike: a claim's expires_at is its collector's lease.
      lapsedReservations: db.prepare('SELECT ref FROM blob_reservations WHERE expires_at <= ? ORDER BY expires_at LIMIT ?').pluck(),
      claimReservation: db.prepare('UPDATE blob_reservations SET holder = ?, collecting = 1, expires_at = ? WHERE ref = ?'),
      forgetBlob: db.prepare('DELETE FROM blob_reservations WHERE ref = ? AND collecting = 1'),
      anyUpload: db.prepare('SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1'),
      usage: db.prepare('SELECT count(*) AS objects, coalesce(sum(size), 0) AS bytes FROM versions WHERE delete_marker = 0'),
      getUpload: db.prepare('SELECT * FROM uploads WHERE bucket = ? AND key = ? AND upload_id = ?'),
      // (key, upload_id) > (after key, after id), within the prefix; the row-value comparison uses the index.
      listUploadsAfterId: db.prepare(
        `SELECT * FROM uploads WHERE bucket = @bucket AND (key, upload_id) > (@key, @id) AND substr(key, 1, length(@prefix)) = @prefix
         ORDER BY key, upload_id LIMIT @limit`,
      ),
      listUploadsAfterKey: db.prepare(
        `SELECT * FROM uploads WHERE bucket = @bucket AND key > @key AND substr(key, 1, length(@prefix)) = @prefix
         ORDER BY key, upload_id LIMIT @limit`,
      ),
      insertUpload: db.prepare(
        `INSERT INTO uploads (upload_id, bucket, key, initiated, initiator, headers, storage_class, acl_id, tags, encryption)
         VALUES (@uploadId, @bucket, @key, @initiated, @initiator, @headers, @storageClass, @aclId, @tags, @encryption)`,
      ),
      deleteUpload: db.prepare('DELETE FROM uploads WHERE upload_id = ?'),
      uploadIdsOf: db.prepare('SELECT upload_id FROM uploads WHERE bucket = ?'),
      getPart: db.prepare('SELECT blob FROM parts WHERE upload_id = ? AND part_number = ?'),
      putPart: db.prepare(
        `INSERT INTO parts (upload_id, part_number, size, etag, crc64, last_modified, blob, encryption)
         VALUES (@uploadId, @partNumber, @size, @etag, @crc64, @lastModified, @blob, @encryption)
         ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag,
           crc64 = excluded.crc64, last_modified = excluded.last_modified, blob = excluded.blob, encryption = excluded.encryption`,
      ),
      listParts: db.prepare('SELECT * FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?'),
      partBlobs: db.prepare('SELECT blob FROM parts WHERE upload_id = ?'),
      referencedBlobs: db.prepare('SELECT blob FROM versions WHERE blob IS NOT NULL UNION SELECT blob FROM parts').pluck(),
      clearTables: CLEARED_TABLES.map((table) => db.prepare(`DELETE FROM ${table}`)),
      // Prepared once: exec() would parse these on every transaction.
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
  }

  #migrate(): void {
    // One migration per write transaction, its version read inside it: of processes opening the file at
    // once (nodes, workers), each migration runs in exactly one.
    const step = this.#db.transaction((): boolean => {
      const version = this.#db.pragma('user_version', { simple: true }) as number;
      if (version >= MIGRATIONS.length) return false;
      this.#db.exec(MIGRATIONS[version] ?? '');
      this.#db.pragma(`user_version = ${version + 1}`);
      return true;
    });
    let more = true;
    while (more) more = step.immediate();
  }

  async tx<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T> {
    const previous = this.#lock;
    let release = (): void => undefined;
    this.#lock = new Promise((resolve) => (release = resolve));
    await previous;
    let result: T;
    try {
      this.#stmt.begin.run();
      try {
        result = await fn(this);
        this.#stmt.commit.run();
      } catch (error) {
        // On some errors SQLite ends the transaction itself (SQLITE_FULL and I/O errors may, RAISE(ROLLBACK)
        // does): a ROLLBACK then fails with "no transaction is active" and would hide the error that matters.
        if (this.#db.inTransaction) this.#stmt.rollback.run();
        throw error;
      }
    } finally {
      release();
    }
    await this.#batcher.sync(this.#walPath);
    return result;
  }

  async close(): Promise<void> {
    await this.#lock;
    await this.#batcher.release(this.#walPath);
    try {
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A full disk can refuse the checkpoint. Every commit is already durable in the WAL, which the next
      // open replays, so the store still closes cleanly: a stop must not fail for it.
    }
    this.#db.close();
  }

  async getCredential(secretId: string): Promise<Credential | undefined> {
    const row = this.#stmt.getCredential.get(secretId) as CredentialRow | undefined;
    return row && toCredential(row);
  }

  async credentialsVersion(): Promise<number> {
    return this.#stmt.credentialsVersion.get() as number;
  }

  async deploymentId(): Promise<string> {
    return this.#stmt.deploymentId.get() as string;
  }

  async listCredentials(uin: string): Promise<Credential[]> {
    return (this.#stmt.listCredentials.all(uin) as CredentialRow[]).map(toCredential);
  }

  async getSubAccount(uin: string): Promise<SubAccount | undefined> {
    const row = this.#stmt.getSubAccount.get(uin) as { uin: string; owner_uin: string; name: string } | undefined;
    return row && { uin: row.uin, ownerUin: row.owner_uin, name: row.name };
  }

  async listUserPolicies(uin: string): Promise<UserPolicy[]> {
    return this.#stmt.listUserPolicies.all(uin) as UserPolicy[];
  }

  async putUserPolicy(p: UserPolicy): Promise<void> {
    this.#stmt.putUserPolicy.run(p.uin, p.name, p.document);
  }

  async deleteUserPolicy(uin: string, name: string): Promise<boolean> {
    return this.#stmt.deleteUserPolicy.run(uin, name).changes > 0;
  }

  async getAccount(uin: string): Promise<Account | undefined> {
    return this.#stmt.getAccount.get(uin) as Account | undefined;
  }

  async listAccounts(): Promise<Account[]> {
    return this.#stmt.listAccounts.all() as Account[];
  }

  async listSubAccounts(ownerUin: string): Promise<SubAccount[]> {
    const rows = this.#stmt.listSubAccounts.all(ownerUin) as { uin: string; owner_uin: string; name: string }[];
    return rows.map((r) => ({ uin: r.uin, ownerUin: r.owner_uin, name: r.name }));
  }

  async putAccount(a: Account): Promise<void> {
    this.#stmt.putAccount.run(a.uin, a.appid, a.name);
  }

  async putSubAccount(s: SubAccount): Promise<void> {
    this.#stmt.putSubAccount.run(s.uin, s.ownerUin, s.name);
  }

  async putCredential(c: Credential): Promise<void> {
    const t = c.temporary;
    this.#stmt.putCredential.run(c.secretId, c.secretKey, c.ownerUin, c.uin, t?.token ?? null, t?.expiresAt ?? null, t?.policy ?? null);
  }

  async deleteCredential(secretId: string): Promise<boolean> {
    return this.#stmt.deleteCredential.run(secretId).changes > 0;
  }

  async deleteExpiredCredentials(before: number): Promise<number> {
    return this.#stmt.deleteExpiredCredentials.run(before).changes;
  }

  async getBucket(name: string): Promise<Bucket | undefined> {
    const row = this.#stmt.getBucket.get(name) as BucketConfigsRow | undefined;
    return row && toBucket(row, this.#configs);
  }

  async getBucketConfig(bucket: string, kind: BucketConfigKind): Promise<string | undefined> {
    return this.#stmt.getBucketConfig.get(bucket, kind) as string | undefined;
  }

  async listBuckets(ownerUin: string): Promise<BucketRecord[]> {
    return (this.#stmt.listBuckets.all(ownerUin) as BucketRow[]).map(toBucketRecord);
  }

  async countBuckets(ownerUin: string): Promise<number> {
    return (this.#stmt.countBuckets.get(ownerUin) as { n: number }).n;
  }

  async insertBucket(b: BucketRecord): Promise<void> {
    this.#stmt.insertBucket.run(b.name, b.ownerUin, b.region, b.createdAt);
  }

  async putBucketConfig(bucket: string, kind: BucketConfigKind, document: string): Promise<boolean> {
    const documentId = this.#configs[kind].internText(document);
    return this.#stmt.putBucketConfig.run({ bucket, kind, documentId }).changes > 0;
  }

  async deleteBucketConfig(bucket: string, kind: BucketConfigKind): Promise<boolean> {
    return this.#stmt.deleteBucketConfig.run(bucket, kind).changes > 0;
  }

  async setObjectAcl(bucket: string, key: string, versionId: string, acl: Acl | undefined): Promise<boolean> {
    return this.#stmt.setObjectAcl.run(this.#acls.intern(acl), bucket, key, versionId).changes > 0;
  }

  async setObjectTags(bucket: string, key: string, versionId: string, tags: TagSet): Promise<boolean> {
    return this.#stmt.setObjectTags.run(tagsColumn(tags), bucket, key, versionId).changes > 0;
  }

  async setObjectRestore(bucket: string, key: string, versionId: string, restore: RestoreJob): Promise<boolean> {
    return this.#stmt.setObjectRestore.run(JSON.stringify(restore), bucket, key, versionId).changes > 0;
  }

  async setObjectStorageClass(bucket: string, key: string, versionId: string, storageClass: string): Promise<boolean> {
    return this.#stmt.setObjectStorageClass.run(storageClass, bucket, key, versionId).changes > 0;
  }

  async setReplicationStatus(bucket: string, key: string, versionId: string, status: ReplicationStatus): Promise<boolean> {
    return this.#stmt.setReplicationStatus.run(status, bucket, key, versionId).changes > 0;
  }

  async listPendingReplication(limit: number): Promise<VersionRef[]> {
    const rows = this.#stmt.listPendingReplication.all(limit) as { bucket: string; key: string; version_id: string }[];
    return rows.map((row) => ({ bucket: row.bucket, key: row.key, versionId: row.version_id }));
  }

  async getJob(name: string): Promise<JobState | undefined> {
    const state = this.#stmt.getJob.get(name) as string | undefined;
    return state === undefined ? undefined : (JSON.parse(state) as JobState);
  }

  async listJobs(): Promise<JobState[]> {
    return (this.#stmt.listJobs.all() as string[]).map((state) => JSON.parse(state) as JobState);
  }

  async putJob(state: JobState): Promise<void> {
    this.#stmt.putJob.run(state.name, JSON.stringify(state));
  }

  async setObjectRetention(bucket: string, key: string, versionId: string, retainUntil: number): Promise<boolean> {
    return this.#stmt.setObjectRetention.run(retainUntil, bucket, key, versionId).changes > 0;
  }

  async accessLogBuckets(): Promise<string[]> {
    return this.#stmt.accessLogBuckets.all() as string[];
  }

  async listAccessLogs(bucket: string, limit: number): Promise<PendingAccessLog[]> {
    return this.#stmt.listAccessLogs.all(bucket, limit) as PendingAccessLog[];
  }

  async claimSingleUse(signature: string, until: number, now: number): Promise<boolean> {
    this.#stmt.forgetUsedSignatures.run(now);
    return this.#stmt.useSignature.run(signature, until).changes > 0;
  }

  async appendAccessLog(entry: Omit<PendingAccessLog, 'seq'>): Promise<void> {
    this.#stmt.appendAccessLog.run(entry.bucket, entry.at, entry.line);
  }

  async deleteAccessLogs(seqs: readonly number[]): Promise<number> {
    let deleted = 0;
    for (const seq of seqs) deleted += this.#stmt.deleteAccessLog.run(seq).changes;
    return deleted;
  }

  async deleteBucket(name: string): Promise<void> {
    this.#stmt.deleteBucketConfigs.run(name);
    this.#stmt.deleteBucket.run(name);
  }

  async bucketContents(name: string): Promise<{ versions: boolean; uploads: boolean }> {
    return { versions: this.#stmt.anyVersion.get(name) !== undefined, uploads: this.#stmt.anyUpload.get(name) !== undefined };
  }

  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const row = this.#stmt.getLatest.get(bucket, key) as VersionRow | undefined;
    return row && !row.delete_marker ? toObject(row, this.#acls.read(row.acl_id)) : undefined;
  }

  async getVersion(bucket: string, key: string, versionId: string | undefined): Promise<ObjectVersion | undefined> {
    const row = (versionId === undefined ? this.#stmt.getLatest.get(bucket, key) : this.#stmt.getVersion.get(bucket, key, versionId)) as
      | VersionRow
      | undefined;
    return row && toVersion(row, this.#acls.read(row.acl_id));
  }

  async listObjects(q: ListObjectsQuery): Promise<ListedObject[]> {
    const from = lowerBound(q.prefix, q.after);
    const end = prefixEnd(q.prefix);
    const rows = end
      ? this.#stmt.listRange.all(q.bucket, from, end, q.limit)
      : this.#stmt.listFrom.all(q.bucket, from, q.prefix, q.prefix, q.limit);
    return (rows as ListedRow[]).map(toListed);
  }

  async listVersions(q: ListVersionsQuery): Promise<ListedVersion[]> {
    const rows: ListedVersionRow[] = [];
    const { key, versionId } = q.after;
    if (versionId !== undefined && key.startsWith(q.prefix)) {
      const marker = this.#stmt.versionSeq.get(q.bucket, key, versionId) as { seq: number } | undefined;
      if (marker) rows.push(...(this.#stmt.olderVersions.all(q.bucket, key, marker.seq, q.limit) as ListedVersionRow[]));
    }
    if (rows.length < q.limit) {
      const from = lowerBound(q.prefix, key);
      const end = prefixEnd(q.prefix);
      const rest = q.limit - rows.length;
      rows.push(
        ...((end
          ? this.#stmt.versionsRange.all(q.bucket, from, end, rest)
          : this.#stmt.versionsFrom.all(q.bucket, from, q.prefix, q.prefix, rest)) as ListedVersionRow[]),
      );
    }
    return rows.map(toListedVersion);
  }

  async putObject(r: ObjectRecord): Promise<string | undefined> {
    const { acl, content, tags, restore, encryption, ...rest } = r;
    const replaced = this.#removeVersion(r.bucket, r.key, r.versionId);
    if ('blob' in content) this.#adoptBlob(content.blob);
    return this.#insertLatest(replaced, {
      ...rest,
      deleteMarker: 0,
      blob: 'blob' in content ? content.blob : null,
      inlineId: 'inline' in content ? Number(this.#stmt.insertInline.run(content.inline).lastInsertRowid) : null,
      headers: JSON.stringify(r.headers),
      aclId: this.#acls.intern(acl),
      uploadId: r.uploadId ?? null,
      tags: tagsColumn(tags),
      restore: jsonColumn(restore),
      retainUntil: r.retainUntil ?? null,
      objectType: r.objectType ?? 'normal',
      symlinkTarget: r.symlinkTarget ?? null,
      encryption: jsonColumn(encryption),
      replication: r.replication ?? null,
    });
  }

  async putDeleteMarker(m: DeleteMarker): Promise<string | undefined> {
    return this.#insertLatest(this.#removeVersion(m.bucket, m.key, m.versionId), {
      bucket: m.bucket,
      key: m.key,
      versionId: m.versionId,
      deleteMarker: 1,
      size: 0,
      etag: '',
      crc64: '',
      lastModified: m.lastModified,
      blob: null,
      inlineId: null,
      headers: '{}',
      storageClass: '',
      aclId: null,
      uploadId: null,
      tags: null,
      restore: null,
      retainUntil: null,
      objectType: 'normal',
      symlinkTarget: null,
      encryption: null,
      replication: m.replication ?? null,
    });
  }

  /** The new row becomes the key's newest version, after the version with the same id (only `null` repeats) was removed. */
  #insertLatest(replaced: RemovedVersion | undefined, row: { bucket: string; key: string; versionId: string } & Record<string, unknown>): string | undefined {
    // After the replaced version is gone: seq - 1 is the current version's seq (seqs may be reused; ids never are).
    // max(seq) + 1 is safe because tx() is serializable (metadata.ts), not because SQLite has one writer:
    // two transactions stacking on one key conflict and one of them runs again.
    const { seq } = this.#stmt.nextSeq.get(row.bucket, row.key) as { seq: number };
    this.#stmt.unsetLatest.run(row.bucket, row.key, seq - 1);
    this.#stmt.insertVersion.run({ ...row, seq });
    return replaced?.freedBlob;
  }

  async deleteVersion(bucket: string, key: string, versionId: string): Promise<RemovedVersion | undefined> {
    const removed = this.#removeVersion(bucket, key, versionId);
    if (removed?.wasLatest) this.#stmt.setLatest.run(bucket, key, bucket, key);
    return removed && { deleteMarker: removed.deleteMarker, freedBlob: removed.freedBlob };
  }

  /**
   * Deletes a version row and its inline bytes; its blob is freed once no version (nor upload part)
   * refers to it any more, to be deleted once the commit is durable.
   */
  #removeVersion(bucket: string, key: string, versionId: string): (RemovedVersion & { wasLatest: boolean }) | undefined {
    const row = this.#stmt.deleteVersion.get(bucket, key, versionId) as StoredVersionRow | undefined;
    if (!row) return undefined;
    if (row.inline_id !== null) this.#stmt.deleteInline.run(row.inline_id);
    const freedBlob = row.blob === null ? undefined : this.#releaseIfUnused(row.blob);
    return { deleteMarker: row.delete_marker === 1, freedBlob, wasLatest: row.is_latest === 1 };
  }

  /** Hands the blob to the collector when nothing refers to it any more; returns it then. */
  #releaseIfUnused(ref: string): string | undefined {
    if (this.#stmt.blobInUse.get({ ref }) !== undefined) return undefined;
    this.#stmt.releaseBlob.run(ref);
    return ref;
  }

  /** A new reference to a blob consumes its reservation; metadata.ts putObject says which blobs qualify. */
  #adoptBlob(ref: string): void {
    if (this.#stmt.consumeReservation.run(ref).changes === 0 && this.#stmt.blobInUse.get({ ref }) === undefined) {
      throw new Error(`blob ${ref} is not reserved (or is being collected): its bytes may be gone`);
    }
  }

  async reserveBlob(ref: string, holder: string, expiresAt: number): Promise<void> {
    if (this.#stmt.reserveBlob.run(ref, holder, expiresAt).changes === 0) throw new Error(`blob ${ref} is being collected`);
  }

  async releaseBlob(ref: string): Promise<void> {
    this.#stmt.releaseBlob.run(ref);
  }

  async renewReservations(refs: readonly string[], expiresAt: number): Promise<void> {
    for (const ref of refs) this.#stmt.renewReservation.run(expiresAt, ref);
  }

  async lapseReservations(exceptHolder: string): Promise<number> {
    return this.#stmt.lapseReservations.run(exceptHolder).changes;
  }

  async claimGarbage(holder: string, now: number, limit: number, claimUntil: number): Promise<string[]> {
    const claimed: string[] = [];
    for (const ref of this.#stmt.lapsedReservations.all(now, limit) as string[]) {
      // A lapsed reservation of a blob something refers to is stale (a reference was made without consuming it).
      if (this.#stmt.blobInUse.get({ ref }) !== undefined) {
        this.#stmt.consumeReservation.run(ref);
        continue;
      }
      this.#stmt.claimReservation.run(holder, claimUntil, ref);
      claimed.push(ref);
    }
    return claimed;
  }

  async forgetBlobs(refs: readonly string[]): Promise<void> {
    for (const ref of refs) this.#stmt.forgetBlob.run(ref);
  }

  async usage(): Promise<{ objects: number; bytes: number }> {
    return this.#stmt.usage.get() as { objects: number; bytes: number };
  }

  async blobInUse(ref: string): Promise<boolean> {
    return this.#stmt.blobInUse.get({ ref }) !== undefined;
  }

  async getUpload(bucket: string, key: string, uploadId: string): Promise<Upload | undefined> {
    const row = this.#stmt.getUpload.get(bucket, key, uploadId) as UploadRow | undefined;
    return row && toUpload(row, this.#acls.read(row.acl_id));
  }

  async listUploads(q: ListUploadsQuery): Promise<Upload[]> {
    const args = { bucket: q.bucket, key: q.after.key, prefix: q.prefix, limit: q.limit };
    const rows =
      q.after.uploadId === undefined
        ? this.#stmt.listUploadsAfterKey.all(args)
        : this.#stmt.listUploadsAfterId.all({ ...args, id: q.after.uploadId });
    return (rows as UploadRow[]).map((r) => toUpload(r, this.#acls.read(r.acl_id)));
  }

  async listParts(uploadId: string, afterPart: number, limit: number): Promise<Part[]> {
    return (this.#stmt.listParts.all(uploadId, afterPart, limit) as PartRow[]).map(toPart);
  }

  async insertUpload(u: Upload): Promise<void> {
    const { acl, tags, encryption, ...rest } = u;
    this.#stmt.insertUpload.run({ ...rest, headers: JSON.stringify(u.headers), aclId: this.#acls.intern(acl), tags: tagsColumn(tags), encryption: jsonColumn(encryption) });
  }

  async putPart(p: Part): Promise<string | undefined> {
    const previous = this.#stmt.getPart.get(p.uploadId, p.partNumber) as { blob: string } | undefined;
    if (previous?.blob !== p.blob) this.#adoptBlob(p.blob);
    this.#stmt.putPart.run({ ...p, encryption: jsonColumn(p.encryption) });
    return previous && previous.blob !== p.blob ? this.#releaseIfUnused(previous.blob) : undefined;
  }

  async deleteUpload(uploadId: string): Promise<string[]> {
    const blobs = (this.#stmt.partBlobs.all(uploadId) as { blob: string }[]).map((r) => r.blob);
    this.#stmt.deleteUpload.run(uploadId);
    return blobs.filter((blob) => this.#releaseIfUnused(blob) !== undefined);
  }

  async clearAll(): Promise<string[]> {
    const blobs = this.#stmt.referencedBlobs.all() as string[];
    for (const clear of this.#stmt.clearTables) clear.run();
    for (const blob of blobs) this.#stmt.releaseBlob.run(blob);
    return blobs;
  }

  async deleteUploadsOf(bucket: string): Promise<string[]> {
    const blobs: string[] = [];
    for (const { upload_id } of this.#stmt.uploadIdsOf.all(bucket) as { upload_id: string }[]) blobs.push(...(await this.deleteUpload(upload_id)));
    return blobs;
  }
}

/**
 * One inclusive lower bound for the index seek: the prefix, or just past the marker when that is
 * later. Compared as UTF-8 bytes, the order SQLite's BINARY collation (and COS) uses; "\0" appended
 * to the marker is the smallest key after it.
 */
function lowerBound(prefix: string, after: string): string {
  if (after === '') return prefix;
  return Buffer.compare(Buffer.from(after), Buffer.from(prefix)) >= 0 ? `${after}\u0000` : prefix;
}
