// MetadataTx on PostgreSQL: every read and write of the store, run on a pool (reads outside tx()) or on one transaction's client.
import { ACL_CODEC, type Acl } from '../../domain/acl.ts';
import type { Bucket, BucketRecord } from '../../domain/bucket.ts';
import { BUCKET_CONFIG_CODECS, BUCKET_CONFIG_KINDS, isBucketConfigKind, type BucketConfigKind } from '../../domain/bucket-config.ts';
import type { DocumentCodec } from '../../domain/codec.ts';
import type { Account, Credential, SubAccount, UserPolicy } from '../../domain/identity.ts';
import type { DeleteMarker, ListedObject, ObjectRecord, ObjectVersion, ReplicationStatus } from '../../domain/object.ts';
import type { RestoreJob } from '../../domain/restore.ts';
import type { TagSet } from '../../domain/tagging.ts';
import type { Part, Upload } from '../../domain/upload.ts';
import type { JobState, ListObjectsQuery, ListUploadsQuery, ListVersionsQuery, ListedVersion, MetadataTx, PendingAccessLog, RemovedVersion, VersionRef } from '../metadata.ts';
import * as sql from '../sql/rows.ts';
import type { Db } from './db.ts';
import { PgDocuments } from './documents.ts';
import { STATEMENTS as S } from './statements.ts';

/** The decoded documents every reader of one store shares (one set per process, whatever the connection). */
export interface Documents {
  acls: PgDocuments<Acl>;
  configs: { readonly [K in BucketConfigKind]: PgDocuments<unknown> };
}

export function newDocuments(): Documents {
  return {
    acls: new PgDocuments(ACL_CODEC),
    configs: Object.fromEntries(BUCKET_CONFIG_KINDS.map((kind) => [kind, new PgDocuments(BUCKET_CONFIG_CODECS[kind] as DocumentCodec<unknown>, kind)])) as Documents['configs'],
  };
}

type WithAcl<R> = R & { acl_body: string | null };

/** A bucket row with each setting as [kind, document id, text] (json_agg; null when it has none). */
type BucketConfigsRow = sql.BucketRow & { configs: [string, number, string][] | null };

const CLEAR = sql.CLEARED_TABLES.map((table) => ({ name: `coslocal_clear_${table}`, text: `DELETE FROM ${table}` }));

/** The part of a listing marker that orders like it: no key has a NUL, so `key > "a\0b"` is `key > "a"` (db.ts). */
const beforeNul = (marker: string): string => {
  const at = marker.indexOf('\u0000');
  return at === -1 ? marker : marker.slice(0, at);
};

/** The values of insertLatest's $4..$21, in order: a version's columns, and its inline bytes in place of their id. */
type VersionColumns = [
  deleteMarker: number,
  size: number,
  etag: string,
  crc64: string,
  lastModified: number,
  blob: string | null,
  inline: Buffer | null,
  headers: string,
  storageClass: string,
  aclId: number | null,
  uploadId: string | null,
  tags: string | null,
  restore: string | null,
  retainUntil: number | null,
  objectType: string,
  symlinkTarget: string | null,
  encryption: string | null,
  replication: string | null,
];

export class PostgresTx implements MetadataTx {
  readonly #db: Db;
  readonly #docs: Documents;

  constructor(db: Db, documents: Documents) {
    this.#db = db;
    this.#docs = documents;
  }

  async #first<R extends object>(statement: (typeof S)[keyof typeof S], values: readonly unknown[]): Promise<R | undefined> {
    return (await this.#db.rows<R>(statement, values))[0];
  }

  async getCredential(secretId: string): Promise<Credential | undefined> {
    const row = await this.#first<sql.CredentialRow>(S.getCredential, [secretId]);
    return row && sql.toCredential(row);
  }

  /**
   * The key cache of every node polls this (auth/store-keyring.ts): that is how a key revoked on one node
   * stops working on the others. Policies and ACLs need nothing alike: getBucket and the object reads
   * fetch them from the database on every request, and only their decoding is cached, by an id that
   * never names another document.
   */
  async credentialsVersion(): Promise<number> {
    return (await this.#first<{ value: number }>(S.credentialsVersion, []))?.value ?? 0;
  }

  async listCredentials(uin: string): Promise<Credential[]> {
    return (await this.#db.rows<sql.CredentialRow>(S.listCredentials, [uin])).map(sql.toCredential);
  }

  async getSubAccount(uin: string): Promise<SubAccount | undefined> {
    const row = await this.#first<{ uin: string; owner_uin: string; name: string }>(S.getSubAccount, [uin]);
    return row && { uin: row.uin, ownerUin: row.owner_uin, name: row.name };
  }

  async listUserPolicies(uin: string): Promise<UserPolicy[]> {
    return this.#db.rows<UserPolicy>(S.listUserPolicies, [uin]);
  }

  async putUserPolicy(p: UserPolicy): Promise<void> {
    await this.#db.changes(S.putUserPolicy, [p.uin, p.name, p.document]);
  }

  async deleteUserPolicy(uin: string, name: string): Promise<boolean> {
    return (await this.#db.changes(S.deleteUserPolicy, [uin, name])) > 0;
  }

  async getAccount(uin: string): Promise<Account | undefined> {
    return this.#first<Account>(S.getAccount, [uin]);
  }

  async listAccounts(): Promise<Account[]> {
    return this.#db.rows<Account>(S.listAccounts, []);
  }

  async listSubAccounts(ownerUin: string): Promise<SubAccount[]> {
    const rows = await this.#db.rows<{ uin: string; owner_uin: string; name: string }>(S.listSubAccounts, [ownerUin]);
    return rows.map((r) => ({ uin: r.uin, ownerUin: r.owner_uin, name: r.name }));
  }

  async putAccount(a: Account): Promise<void> {
    await this.#db.changes(S.putAccount, [a.uin, a.appid, a.name]);
  }

  async putSubAccount(s: SubAccount): Promise<void> {
    await this.#db.changes(S.putSubAccount, [s.uin, s.ownerUin, s.name]);
  }

  async putCredential(c: Credential): Promise<void> {
    const t = c.temporary;
    await this.#db.changes(S.putCredential, [c.secretId, c.secretKey, c.ownerUin, c.uin, t?.token ?? null, t?.expiresAt ?? null, t?.policy ?? null]);
  }

  async deleteCredential(secretId: string): Promise<boolean> {
    return (await this.#db.changes(S.deleteCredential, [secretId])) > 0;
  }

  async deleteExpiredCredentials(before: number): Promise<number> {
    return this.#db.changes(S.deleteExpiredCredentials, [before]);
  }

  async getBucket(name: string): Promise<Bucket | undefined> {
    const row = await this.#first<BucketConfigsRow>(S.getBucket, [name]);
    if (!row) return undefined;
    const bucket: BucketRecord & { [K in BucketConfigKind]?: unknown } = sql.toBucketRecord(row);
    // Kinds this version does not know (a newer one wrote them) are skipped.
    for (const [kind, id, body] of row.configs ?? []) if (isBucketConfigKind(kind)) bucket[kind] = this.#docs.configs[kind].read(id, body);
    return bucket as Bucket;
  }

  async getBucketConfig(bucket: string, kind: BucketConfigKind): Promise<string | undefined> {
    return (await this.#first<{ body: string }>(S.getBucketConfig, [bucket, kind]))?.body;
  }

  async listBuckets(ownerUin: string): Promise<BucketRecord[]> {
    return (await this.#db.rows<sql.BucketRow>(S.listBuckets, [ownerUin])).map(sql.toBucketRecord);
  }

  async countBuckets(ownerUin: string): Promise<number> {
    return (await this.#first<{ n: number }>(S.countBuckets, [ownerUin]))?.n ?? 0;
  }

  async insertBucket(b: BucketRecord): Promise<void> {
    await this.#db.changes(S.insertBucket, [b.name, b.ownerUin, b.region, b.createdAt]);
  }

  async putBucketConfig(bucket: string, kind: BucketConfigKind, document: string): Promise<boolean> {
    const documentId = await this.#docs.configs[kind].internText(this.#db, document);
    return (await this.#db.changes(S.putBucketConfig, [bucket, kind, documentId])) > 0;
  }

  async deleteBucketConfig(bucket: string, kind: BucketConfigKind): Promise<boolean> {
    return (await this.#db.changes(S.deleteBucketConfig, [bucket, kind])) > 0;
  }

  async deleteBucket(name: string): Promise<void> {
    await this.#db.changes(S.deleteBucketConfigs, [name]);
    await this.#db.changes(S.deleteBucket, [name]);
  }

  async bucketContents(name: string): Promise<{ versions: boolean; uploads: boolean }> {
    const [versions, uploads] = [await this.#db.rows(S.anyVersion, [name]), await this.#db.rows(S.anyUpload, [name])];
    return { versions: versions.length > 0, uploads: uploads.length > 0 };
  }

  async setObjectAcl(bucket: string, key: string, versionId: string, acl: Acl | undefined): Promise<boolean> {
    return (await this.#db.changes(S.setObjectAcl, [await this.#docs.acls.intern(this.#db, acl), bucket, key, versionId])) > 0;
  }

  async setObjectTags(bucket: string, key: string, versionId: string, tags: TagSet): Promise<boolean> {
    return (await this.#db.changes(S.setObjectTags, [sql.tagsColumn(tags), bucket, key, versionId])) > 0;
  }

  async setObjectRestore(bucket: string, key: string, versionId: string, restore: RestoreJob): Promise<boolean> {
    return (await this.#db.changes(S.setObjectRestore, [JSON.stringify(restore), bucket, key, versionId])) > 0;
  }

  async setObjectStorageClass(bucket: string, key: string, versionId: string, storageClass: string): Promise<boolean> {
    return (await this.#db.changes(S.setObjectStorageClass, [storageClass, bucket, key, versionId])) > 0;
  }

  async setObjectRetention(bucket: string, key: string, versionId: string, retainUntil: number): Promise<boolean> {
    return (await this.#db.changes(S.setObjectRetention, [retainUntil, bucket, key, versionId])) > 0;
  }

  async setReplicationStatus(bucket: string, key: string, versionId: string, status: ReplicationStatus): Promise<boolean> {
    return (await this.#db.changes(S.setReplicationStatus, [status, bucket, key, versionId])) > 0;
  }

  async listPendingReplication(limit: number): Promise<VersionRef[]> {
    const rows = await this.#db.rows<{ bucket: string; key: string; version_id: string }>(S.listPendingReplication, [limit]);
    return rows.map((row) => ({ bucket: row.bucket, key: row.key, versionId: row.version_id }));
  }

  async getJob(name: string): Promise<JobState | undefined> {
    const row = await this.#first<{ state: string }>(S.getJob, [name]);
    return row && (JSON.parse(row.state) as JobState);
  }

  async listJobs(): Promise<JobState[]> {
    return (await this.#db.rows<{ state: string }>(S.listJobs, [])).map((row) => JSON.parse(row.state) as JobState);
  }

  async putJob(state: JobState): Promise<void> {
    await this.#db.changes(S.putJob, [state.name, JSON.stringify(state)]);
  }

  async deploymentId(): Promise<string> {
    const row = await this.#first<{ id: string }>(S.deploymentId, []);
    if (!row) throw new Error('the metadata database has no deployment id');
    return row.id;
  }

  async claimSingleUse(signature: string, until: number, now: number): Promise<boolean> {
    await this.#db.changes(S.forgetUsedSignatures, [now]);
    return (await this.#db.changes(S.useSignature, [signature, until])) > 0;
  }

  async accessLogBuckets(): Promise<string[]> {
    return (await this.#db.rows<{ bucket: string }>(S.accessLogBuckets, [])).map((row) => row.bucket);
  }

  async listAccessLogs(bucket: string, limit: number): Promise<PendingAccessLog[]> {
    return this.#db.rows<PendingAccessLog>(S.listAccessLogs, [bucket, limit]);
  }

  async appendAccessLog(entry: Omit<PendingAccessLog, 'seq'>): Promise<void> {
    await this.#db.changes(S.appendAccessLog, [entry.bucket, entry.at, entry.line]);
  }

  async deleteAccessLogs(seqs: readonly number[]): Promise<number> {
    return this.#db.changes(S.deleteAccessLogs, [seqs]);
  }

  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const row = await this.#first<WithAcl<sql.VersionRow>>(S.getLatest, [bucket, key]);
    return row && !row.delete_marker ? sql.toObject(row, this.#docs.acls.read(row.acl_id, row.acl_body)) : undefined;
  }

  async getVersion(bucket: string, key: string, versionId: string | undefined): Promise<ObjectVersion | undefined> {
    const row = await (versionId === undefined
      ? this.#first<WithAcl<sql.VersionRow>>(S.getLatest, [bucket, key])
      : this.#first<WithAcl<sql.VersionRow>>(S.getVersion, [bucket, key, versionId]));
    return row && sql.toVersion(row, this.#docs.acls.read(row.acl_id, row.acl_body));
  }

  async listObjects(q: ListObjectsQuery): Promise<ListedObject[]> {
    if (q.prefix.includes('\u0000')) return [];
    const after = beforeNul(q.after);
    const end = sql.prefixEnd(q.prefix);
    const rows = end
      ? await this.#db.arrays<sql.ListedRow>(S.listRange, [q.bucket, after, q.prefix, end, q.limit])
      : await this.#db.arrays<sql.ListedRow>(S.listFrom, [q.bucket, after, q.prefix, q.limit]);
    return rows.map(sql.toListed);
  }

  async listVersions(q: ListVersionsQuery): Promise<ListedVersion[]> {
    if (q.prefix.includes('\u0000')) return [];
    const rows: sql.ListedVersionRow[] = [];
    const { key, versionId } = q.after;
    if (versionId !== undefined && key.startsWith(q.prefix)) {
      const marker = await this.#first<{ seq: number }>(S.versionSeq, [q.bucket, key, versionId]);
      if (marker) rows.push(...(await this.#db.arrays<sql.ListedVersionRow>(S.olderVersions, [q.bucket, key, marker.seq, q.limit])));
    }
    if (rows.length < q.limit) {
      const after = beforeNul(key);
      const end = sql.prefixEnd(q.prefix);
      const rest = q.limit - rows.length;
      rows.push(
        ...(end
          ? await this.#db.arrays<sql.ListedVersionRow>(S.versionsRange, [q.bucket, after, q.prefix, end, rest])
          : await this.#db.arrays<sql.ListedVersionRow>(S.versionsFrom, [q.bucket, after, q.prefix, rest])),
      );
    }
    return rows.map(sql.toListedVersion);
  }

  async putObject(r: ObjectRecord): Promise<string | undefined> {
    const { content } = r;
    const replaced = await this.#removeVersion(r.bucket, r.key, r.versionId);
    if ('blob' in content) await this.#adoptBlob(content.blob);
    await this.#insertLatest(r, [
      0,
      r.size,
      r.etag,
      r.crc64,
      r.lastModified,
      'blob' in content ? content.blob : null,
      'inline' in content ? content.inline : null,
      JSON.stringify(r.headers),
      r.storageClass,
      await this.#docs.acls.intern(this.#db, r.acl),
      r.uploadId ?? null,
      sql.tagsColumn(r.tags),
      sql.jsonColumn(r.restore),
      r.retainUntil ?? null,
      r.objectType ?? 'normal',
      r.symlinkTarget ?? null,
      sql.jsonColumn(r.encryption),
      r.replication ?? null,
    ]);
    return replaced?.freedBlob;
  }

  async putDeleteMarker(m: DeleteMarker): Promise<string | undefined> {
    const replaced = await this.#removeVersion(m.bucket, m.key, m.versionId);
    await this.#insertLatest(m, [1, 0, '', '', m.lastModified, null, null, '{}', '', null, null, null, null, null, 'normal', null, null, m.replication ?? null]);
    return replaced?.freedBlob;
  }

  /** The new row becomes the key's newest version, after the version with the same id (only `null` repeats) was removed. */
  async #insertLatest(at: VersionRef, columns: VersionColumns): Promise<void> {
    if ((await this.#db.changes(S.insertLatest, [at.bucket, at.key, at.versionId, ...columns])) === 0) {
      throw new Error(`version ${at.versionId} of ${at.key} is already at its key's next seq`);
    }
  }

  async deleteVersion(bucket: string, key: string, versionId: string): Promise<RemovedVersion | undefined> {
    const removed = await this.#removeVersion(bucket, key, versionId);
    if (removed?.wasLatest) await this.#db.changes(S.setLatest, [bucket, key]);
    return removed && { deleteMarker: removed.deleteMarker, freedBlob: removed.freedBlob };
  }

  /** Deletes a version row and its inline bytes; its blob goes to the collector once nothing refers to it. */
  async #removeVersion(bucket: string, key: string, versionId: string): Promise<(RemovedVersion & { wasLatest: boolean }) | undefined> {
    const row = await this.#first<sql.StoredVersionRow>(S.deleteVersion, [bucket, key, versionId]);
    if (!row) return undefined;
    if (row.inline_id !== null) await this.#db.changes(S.deleteInline, [row.inline_id]);
    const freedBlob = row.blob === null ? undefined : await this.#releaseIfUnused(row.blob);
    return { deleteMarker: row.delete_marker === 1, freedBlob, wasLatest: row.is_latest === 1 };
  }

  async #releaseIfUnused(ref: string): Promise<string | undefined> {
    if (await this.blobInUse(ref)) return undefined;
    await this.#db.changes(S.releaseBlob, [ref]);
    return ref;
  }

  /** A new reference to a blob consumes its reservation; metadata.ts putObject says which blobs qualify. */
  async #adoptBlob(ref: string): Promise<void> {
    if ((await this.#db.changes(S.consumeReservation, [ref])) === 0 && !(await this.blobInUse(ref))) {
      throw new Error(`blob ${ref} is not reserved (or is being collected): its bytes may be gone`);
    }
  }

  async reserveBlob(ref: string, holder: string, expiresAt: number): Promise<void> {
    if ((await this.#db.changes(S.reserveBlob, [ref, holder, expiresAt])) === 0) throw new Error(`blob ${ref} is being collected`);
  }

  async releaseBlob(ref: string): Promise<void> {
    await this.#db.changes(S.releaseBlob, [ref]);
  }

  async lapseReservations(exceptHolder: string): Promise<number> {
    return this.#db.changes(S.lapseReservations, [exceptHolder]);
  }

  async renewReservations(refs: readonly string[], expiresAt: number): Promise<void> {
    for (const ref of refs) await this.#db.changes(S.renewReservation, [expiresAt, ref]);
  }

  async claimGarbage(holder: string, now: number, limit: number, claimUntil: number): Promise<string[]> {
    const claimed: string[] = [];
    for (const { ref } of await this.#db.rows<{ ref: string }>(S.lapsedReservations, [now, limit])) {
      // A lapsed reservation of a blob something refers to is stale (a reference was made without consuming it).
      if (await this.blobInUse(ref)) {
        await this.#db.changes(S.consumeReservation, [ref]);
        continue;
      }
      await this.#db.changes(S.claimReservation, [holder, claimUntil, ref]);
      claimed.push(ref);
    }
    return claimed;
  }

  async forgetBlobs(refs: readonly string[]): Promise<void> {
    for (const ref of refs) await this.#db.changes(S.forgetBlob, [ref]);
  }

  async usage(): Promise<{ objects: number; bytes: number }> {
    return (await this.#first<{ objects: number; bytes: number }>(S.usage, [])) ?? { objects: 0, bytes: 0 };
  }

  async blobInUse(ref: string): Promise<boolean> {
    return (await this.#db.rows(S.blobInUse, [ref])).length > 0;
  }

  async getUpload(bucket: string, key: string, uploadId: string): Promise<Upload | undefined> {
    const row = await this.#first<WithAcl<sql.UploadRow>>(S.getUpload, [bucket, key, uploadId]);
    return row && sql.toUpload(row, this.#docs.acls.read(row.acl_id, row.acl_body));
  }

  async listUploads(q: ListUploadsQuery): Promise<Upload[]> {
    if (q.prefix.includes('\u0000')) return [];
    const key = beforeNul(q.after.key);
    const rows =
      // Cut at a NUL, the key marker orders before every upload of the keys after it: "after the key" is the same.
      q.after.uploadId === undefined || key !== q.after.key
        ? await this.#db.rows<WithAcl<sql.UploadRow>>(S.listUploadsAfterKey, [q.bucket, key, q.prefix, q.limit])
        : await this.#db.rows<WithAcl<sql.UploadRow>>(S.listUploadsAfterId, [q.bucket, key, beforeNul(q.after.uploadId), q.prefix, q.limit]);
    return rows.map((r) => sql.toUpload(r, this.#docs.acls.read(r.acl_id, r.acl_body)));
  }

  async listParts(uploadId: string, afterPart: number, limit: number): Promise<Part[]> {
    return (await this.#db.rows<sql.PartRow>(S.listParts, [uploadId, afterPart, limit])).map(sql.toPart);
  }

  async insertUpload(u: Upload): Promise<void> {
    const aclId = await this.#docs.acls.intern(this.#db, u.acl);
    await this.#db.changes(S.insertUpload, [u.uploadId, u.bucket, u.key, u.initiated, u.initiator, JSON.stringify(u.headers), u.storageClass, aclId, sql.tagsColumn(u.tags), sql.jsonColumn(u.encryption)]);
  }

  async putPart(p: Part): Promise<string | undefined> {
    const previous = await this.#first<{ blob: string }>(S.getPart, [p.uploadId, p.partNumber]);
    if (previous?.blob !== p.blob) await this.#adoptBlob(p.blob);
    await this.#db.changes(S.putPart, [p.uploadId, p.partNumber, p.size, p.etag, p.crc64, p.lastModified, p.blob, sql.jsonColumn(p.encryption)]);
    return previous && previous.blob !== p.blob ? this.#releaseIfUnused(previous.blob) : undefined;
  }

  async deleteUpload(uploadId: string): Promise<string[]> {
    const blobs = (await this.#db.rows<{ blob: string }>(S.partBlobs, [uploadId])).map((r) => r.blob);
    await this.#db.changes(S.deleteUpload, [uploadId]);
    const freed: string[] = [];
    for (const blob of blobs) if ((await this.#releaseIfUnused(blob)) !== undefined) freed.push(blob);
    return freed;
  }

  async deleteUploadsOf(bucket: string): Promise<string[]> {
    const blobs: string[] = [];
    for (const { upload_id } of await this.#db.rows<{ upload_id: string }>(S.uploadIdsOf, [bucket])) blobs.push(...(await this.deleteUpload(upload_id)));
    return blobs;
  }

  async clearAll(): Promise<string[]> {
    const blobs = (await this.#db.rows<{ blob: string }>(S.referencedBlobs, [])).map((r) => r.blob);
    for (const clear of CLEAR) await this.#db.changes(clear, []);
    for (const blob of blobs) await this.#db.changes(S.releaseBlob, [blob]);
    return blobs;
  }
}
