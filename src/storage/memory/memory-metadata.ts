// MetadataStore in memory (--in-memory): the SQLite engine's behaviour (storage/sqlite/sqlite-metadata.ts)
// with maps and sorted key arrays instead of tables and indexes; nothing is written anywhere.
import { randomUUID } from 'node:crypto';
import type { Acl } from '../../domain/acl.ts';
import type { Bucket, BucketRecord } from '../../domain/bucket.ts';
import { BUCKET_CONFIG_CODECS, type BucketConfigKind } from '../../domain/bucket-config.ts';
import type { DocumentCodec } from '../../domain/codec.ts';
import type { Account, Credential, SubAccount, UserPolicy } from '../../domain/identity.ts';
import type { DeleteMarker, ListedObject, ObjectContent, ObjectRecord, ObjectVersion, ReplicationStatus } from '../../domain/object.ts';
import type { RestoreJob } from '../../domain/restore.ts';
import type { TagSet } from '../../domain/tagging.ts';
import type { Part, Upload } from '../../domain/upload.ts';
import type { JobState, ListObjectsQuery, PendingAccessLog, ListUploadsQuery, ListVersionsQuery, ListedVersion, MetadataStore, MetadataTx, RemovedVersion, VersionRef } from '../metadata.ts';
import { AclInterner } from './acl-interner.ts';
import { BlobLedger } from './blob-ledger.ts';
import { MemoryIdentities } from './memory-identities.ts';
import { MemoryUploads } from './memory-uploads.ts';
import { ownTags } from './own-tags.ts';
import { SortedKeys } from './sorted-keys.ts';
import { UndoLog } from './undo-log.ts';
import { compareUtf8 } from './utf8-order.ts';

interface BucketState {
  record: BucketRecord;
  /** Each setting as put (its codec's text) and decoded once, so every read hands out the same value. */
  configs: Map<BucketConfigKind, { text: string; value: unknown }>;
  /** Each key's versions and delete markers, oldest first: the last one is current. */
  chains: Map<string, ObjectVersion[]>;
  /** The keys of `chains`. */
  versionKeys: SortedKeys;
  /** The keys whose current version is an object, not a delete marker (what a plain listing walks). */
  objectKeys: SortedKeys;
}


/** Bytes of the store's own, in memory of their own: a request's chunk may be a view of a larger socket buffer. */
function ownContent(content: ObjectContent): ObjectContent {
  if ('blob' in content) return { blob: content.blob };
  const bytes = Buffer.allocUnsafeSlow(content.inline.length);
  content.inline.copy(bytes);
  return { inline: bytes };
}

/**
 * Copies go out, so no caller can change what is stored. Inline bytes too: a body's chunks may be handed
 * to a hash worker that takes their memory away (BlobExpectation.ownedChunks), which must never be ours.
 */
function copyVersion(v: ObjectVersion): ObjectVersion {
  if (v.deleteMarker) return { ...v };
  return { ...v, headers: { ...v.headers }, content: 'inline' in v.content ? { inline: Buffer.from(v.content.inline) } : v.content };
}

const listed = (v: ObjectRecord): ListedObject => ({ key: v.key, size: v.size, etag: v.etag, lastModified: v.lastModified, storageClass: v.storageClass });

const listedVersion = (v: ObjectVersion, isLatest: boolean): ListedVersion =>
  v.deleteMarker
    ? { key: v.key, versionId: v.versionId, lastModified: v.lastModified, isLatest, deleteMarker: true }
    : { key: v.key, versionId: v.versionId, lastModified: v.lastModified, isLatest, size: v.size, etag: v.etag, storageClass: v.storageClass };

/** The current version of a chain. */
const newest = (chain: readonly ObjectVersion[]): ObjectVersion | undefined => chain[chain.length - 1];

/**
 * Transactions run one at a time (a promise chain, as in the SQLite engine), so each is serializable and
 * none is ever run twice. Every write records its undo (undo-log.ts); a throw undoes them newest first.
 * Like the SQLite engine's single connection, a read through the store while a transaction is open sees
 * that transaction's writes so far.
 */
export class MemoryMetadata implements MetadataStore, MetadataTx {
  #lock: Promise<void> = Promise.resolve();
  /** Made once: a store in memory is its own deployment (no other process can share it). */
  readonly #deploymentId = randomUUID();
  readonly #undo = new UndoLog();
  readonly #identities = new MemoryIdentities(this.#undo);
  readonly #buckets = new Map<string, BucketState>();
  readonly #blobs = new BlobLedger(this.#undo);
  readonly #acls = new AclInterner();
  readonly #uploads = new MemoryUploads(this.#undo, this.#blobs, this.#acls);
  /** Each job's state as JSON, so no caller shares an object with the store. */
  readonly #jobs = new Map<string, string>();
  /** Used single-use signatures -> the epoch second after which they are refused anyway. */
  readonly #usedSignatures = new Map<string, number>();
  /** The keys holding a version whose replication is PENDING (the SQLite engine's partial index), by `bucket/key`. */
  readonly #pendingKeys = new Map<string, { bucket: string; key: string }>();
  /** Pending access-log lines by seq. */
  readonly #accessLogs = new Map<number, PendingAccessLog>();
  #accessLogSeq = 0;

  async tx<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T> {
    const previous = this.#lock;
    let release = (): void => undefined;
    this.#lock = new Promise((resolve) => (release = resolve));
    await previous;
    try {
      this.#undo.begin();
      const result = await fn(this);
      this.#undo.commit();
      return result;
    } catch (error) {
      this.#undo.rollback();
      throw error;
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    await this.#lock;
  }

  // Identities (memory-identities.ts)

  getCredential(secretId: string): Promise<Credential | undefined> {
    return this.#identities.getCredential(secretId);
  }

  credentialsVersion(): Promise<number> {
    return this.#identities.credentialsVersion();
  }

  async deploymentId(): Promise<string> {
    return this.#deploymentId;
  }

  listCredentials(uin: string): Promise<Credential[]> {
    return this.#identities.listCredentials(uin);
  }

  getAccount(uin: string): Promise<Account | undefined> {
    return this.#identities.getAccount(uin);
  }

  listAccounts(): Promise<Account[]> {
    return this.#identities.listAccounts();
  }

  getSubAccount(uin: string): Promise<SubAccount | undefined> {
    return this.#identities.getSubAccount(uin);
  }

  listSubAccounts(ownerUin: string): Promise<SubAccount[]> {
    return this.#identities.listSubAccounts(ownerUin);
  }

  listUserPolicies(uin: string): Promise<UserPolicy[]> {
    return this.#identities.listUserPolicies(uin);
  }

  putAccount(account: Account): Promise<void> {
    return this.#identities.putAccount(account);
  }

  putSubAccount(sub: SubAccount): Promise<void> {
    return this.#identities.putSubAccount(sub);
  }

  putCredential(credential: Credential): Promise<void> {
    return this.#identities.putCredential(credential);
  }

  deleteCredential(secretId: string): Promise<boolean> {
    return this.#identities.deleteCredential(secretId);
  }

  deleteExpiredCredentials(before: number): Promise<number> {
    return this.#identities.deleteExpiredCredentials(before);
  }

  putUserPolicy(policy: UserPolicy): Promise<void> {
    return this.#identities.putUserPolicy(policy);
  }

  deleteUserPolicy(uin: string, name: string): Promise<boolean> {
    return this.#identities.deleteUserPolicy(uin, name);
  }

  // Buckets

  async getBucket(name: string): Promise<Bucket | undefined> {
    const state = this.#buckets.get(name);
    if (!state) return undefined;
    const bucket: BucketRecord & { [K in BucketConfigKind]?: unknown } = { ...state.record };
    for (const [kind, { value }] of state.configs) bucket[kind] = value;
    return bucket as Bucket;
  }

  async getBucketConfig(bucket: string, kind: BucketConfigKind): Promise<string | undefined> {
    return this.#buckets.get(bucket)?.configs.get(kind)?.text;
  }

  async listBuckets(ownerUin: string): Promise<BucketRecord[]> {
    return this.#recordsOf(ownerUin)
      .sort((a, b) => compareUtf8(a.name, b.name))
      .map((r) => ({ ...r }));
  }

  async countBuckets(ownerUin: string): Promise<number> {
    return this.#recordsOf(ownerUin).length;
  }

  /** A scan of every version: metrics read this now and then, no request does. */
  async usage(): Promise<{ objects: number; bytes: number }> {
    let objects = 0;
    let bytes = 0;
    for (const state of this.#buckets.values()) {
      for (const chain of state.chains.values()) {
        for (const version of chain) {
          if (version.deleteMarker) continue;
          objects++;
          bytes += version.size;
        }
      }
    }
    return { objects, bytes };
  }

  async bucketContents(name: string): Promise<{ versions: boolean; uploads: boolean }> {
    const state = this.#buckets.get(name);
    return { versions: (state?.chains.size ?? 0) > 0, uploads: this.#uploads.anyIn(name) };
  }

  async insertBucket(record: BucketRecord): Promise<void> {
    if (this.#buckets.has(record.name)) throw new Error(`bucket ${record.name} exists`);
    this.#identities.requireAccount(record.ownerUin);
    this.#undo.set(this.#buckets, record.name, {
      record: { ...record },
      configs: new Map(),
      chains: new Map(),
      versionKeys: new SortedKeys(),
      objectKeys: new SortedKeys(),
    });
  }

  async deleteBucket(name: string): Promise<void> {
    const state = this.#buckets.get(name);
    if (state && (state.chains.size > 0 || this.#uploads.anyIn(name))) throw new Error(`bucket ${name} still holds versions or uploads`);
    this.#undo.delete(this.#buckets, name);
  }

  async putBucketConfig(bucket: string, kind: BucketConfigKind, document: string): Promise<boolean> {
    const value = (BUCKET_CONFIG_CODECS[kind] as DocumentCodec<unknown>).decode(document);
    const state = this.#buckets.get(bucket);
    if (!state) return false;
    this.#undo.set(state.configs, kind, { text: document, value });
    return true;
  }

  async deleteBucketConfig(bucket: string, kind: BucketConfigKind): Promise<boolean> {
    const state = this.#buckets.get(bucket);
    return state !== undefined && this.#undo.delete(state.configs, kind) !== undefined;
  }

  #recordsOf(ownerUin: string): BucketRecord[] {
    const records: BucketRecord[] = [];
    for (const state of this.#buckets.values()) if (state.record.ownerUin === ownerUin) records.push(state.record);
    return records;
  }

  #requireBucket(name: string): BucketState {
    const state = this.#buckets.get(name);
    if (!state) throw new Error(`no bucket ${name}`);
    return state;
  }

  // Versions

  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const current = newest(this.#chain(bucket, key));
    return current && !current.deleteMarker ? (copyVersion(current) as ObjectRecord) : undefined;
  }

  async getVersion(bucket: string, key: string, versionId: string | undefined): Promise<ObjectVersion | undefined> {
    const chain = this.#chain(bucket, key);
    const version = versionId === undefined ? newest(chain) : chain.find((v) => v.versionId === versionId);
    return version && copyVersion(version);
  }

  async listObjects(q: ListObjectsQuery): Promise<ListedObject[]> {
    const state = this.#buckets.get(q.bucket);
    if (!state) return [];
    const page: ListedObject[] = [];
    for (let i = state.objectKeys.listingStart(q.prefix, q.after); page.length < q.limit; i++) {
      const key = state.objectKeys.at(i);
      if (key === undefined || !key.startsWith(q.prefix)) break;
      const current = newest(state.chains.get(key) ?? []);
      if (current && !current.deleteMarker) page.push(listed(current));
    }
    return page;
  }

  async listVersions(q: ListVersionsQuery): Promise<ListedVersion[]> {
    const state = this.#buckets.get(q.bucket);
    if (!state) return [];
    const page: ListedVersion[] = [];
    /** Adds a key's versions older than index `below` (all of them: its chain's length), newest first. */
    const take = (chain: readonly ObjectVersion[], below: number): void => {
      for (let i = below - 1; i >= 0 && page.length < q.limit; i--) {
        const version = chain[i];
        if (version) page.push(listedVersion(version, i === chain.length - 1));
      }
    };
    const { key: afterKey, versionId } = q.after;
    if (versionId !== undefined && afterKey.startsWith(q.prefix)) {
      const chain = state.chains.get(afterKey) ?? [];
      const marker = chain.findIndex((v) => v.versionId === versionId);
      if (marker >= 0) take(chain, marker);
    }
    for (let i = state.versionKeys.listingStart(q.prefix, afterKey); page.length < q.limit; i++) {
      const key = state.versionKeys.at(i);
      if (key === undefined || !key.startsWith(q.prefix)) break;
      const chain = state.chains.get(key) ?? [];
      take(chain, chain.length);
    }
    return page;
  }

  async setObjectAcl(bucket: string, key: string, versionId: string, acl: Acl | undefined): Promise<boolean> {
    return this.#changeObject(bucket, key, versionId, (version) => ({ ...version, acl: this.#acls.intern(acl) }));
  }

  async setObjectTags(bucket: string, key: string, versionId: string, tags: TagSet): Promise<boolean> {
    return this.#changeObject(bucket, key, versionId, ({ tags: _replaced, ...version }) => ({ ...version, ...ownTags(tags) }));
  }

  async setObjectRestore(bucket: string, key: string, versionId: string, restore: RestoreJob): Promise<boolean> {
    return this.#changeObject(bucket, key, versionId, (version) => ({ ...version, restore: { ...restore } }));
  }

  async setObjectStorageClass(bucket: string, key: string, versionId: string, storageClass: string): Promise<boolean> {
    return this.#changeObject(bucket, key, versionId, (version) => ({ ...version, storageClass }));
  }

  async setReplicationStatus(bucket: string, key: string, versionId: string, status: ReplicationStatus): Promise<boolean> {
    const changed = this.#changeVersion(bucket, key, versionId, (version) => ({ ...version, replication: status }));
    if (changed) this.#indexPending(bucket, key);
    return changed;
  }

  async listPendingReplication(limit: number): Promise<VersionRef[]> {
    const keys = [...this.#pendingKeys.values()].sort((a, b) => compareUtf8(a.bucket, b.bucket) || compareUtf8(a.key, b.key));
    const pending: VersionRef[] = [];
    for (const { bucket, key } of keys) {
      for (const version of this.#chain(bucket, key)) {
        if (pending.length === limit) return pending;
        if (version.replication === 'PENDING') pending.push({ bucket, key, versionId: version.versionId });
      }
    }
    return pending;
  }

  async getJob(name: string): Promise<JobState | undefined> {
    const state = this.#jobs.get(name);
    return state === undefined ? undefined : (JSON.parse(state) as JobState);
  }

  async listJobs(): Promise<JobState[]> {
    const byName = [...this.#jobs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return byName.map(([, state]) => JSON.parse(state) as JobState);
  }

  async putJob(state: JobState): Promise<void> {
    this.#undo.set(this.#jobs, state.name, JSON.stringify(state));
  }

  async setObjectRetention(bucket: string, key: string, versionId: string, retainUntil: number): Promise<boolean> {
    return this.#changeObject(bucket, key, versionId, (version) => ({ ...version, retainUntil }));
  }

  async accessLogBuckets(): Promise<string[]> {
    return [...new Set([...this.#accessLogs.values()].map((entry) => entry.bucket))].sort();
  }

  async listAccessLogs(bucket: string, limit: number): Promise<PendingAccessLog[]> {
    // Sorted, not taken in the Map's order: a rolled-back delete puts its entry back at the Map's end.
    const found = [...this.#accessLogs.values()].filter((entry) => entry.bucket === bucket).sort((a, b) => a.seq - b.seq);
    return found.slice(0, limit).map((entry) => ({ ...entry }));
  }

  async claimSingleUse(signature: string, until: number, now: number): Promise<boolean> {
    for (const [seen, end] of this.#usedSignatures) if (end < now) this.#undo.delete(this.#usedSignatures, seen);
    if (this.#usedSignatures.has(signature)) return false;
    this.#undo.set(this.#usedSignatures, signature, until);
    return true;
  }

  async appendAccessLog(entry: Omit<PendingAccessLog, 'seq'>): Promise<void> {
    // A rolled-back seq is not handed out again: seqs only need to be unique and ascending.
    const seq = ++this.#accessLogSeq;
    this.#undo.set(this.#accessLogs, seq, { ...entry, seq });
  }

  async deleteAccessLogs(seqs: readonly number[]): Promise<number> {
    return seqs.filter((seq) => this.#undo.delete(this.#accessLogs, seq) !== undefined).length;
  }

  /** Replaces one object version (not a delete marker) in place by `change` of it; false when there is none. */
  #changeObject(bucket: string, key: string, versionId: string, change: (version: ObjectRecord) => ObjectRecord): boolean {
    return this.#changeVersion(bucket, key, versionId, (version) => (version.deleteMarker ? undefined : change(version)));
  }

  /** Replaces one version in place by `change` of it; false when there is none or `change` declines it (undefined). */
  #changeVersion(bucket: string, key: string, versionId: string, change: (version: ObjectVersion) => ObjectVersion | undefined): boolean {
    const chain = this.#buckets.get(bucket)?.chains.get(key) ?? [];
    const index = chain.findIndex((v) => v.versionId === versionId);
    const version = chain[index];
    const changed = version && change(version);
    if (!changed) return false;
    this.#undo.removeAt(chain, index);
    this.#undo.insertAt(chain, index, changed);
    return true;
  }

  async putObject({ tags, restore, ...record }: ObjectRecord): Promise<string | undefined> {
    return this.#stack({
      ...record,
      headers: { ...record.headers },
      content: ownContent(record.content),
      acl: this.#acls.intern(record.acl),
      ...ownTags(tags),
      ...(restore && { restore: { ...restore } }),
    });
  }

  async putDeleteMarker(m: DeleteMarker): Promise<string | undefined> {
    return this.#stack({ bucket: m.bucket, key: m.key, versionId: m.versionId, deleteMarker: true, lastModified: m.lastModified, ...(m.replication && { replication: m.replication }) });
  }

  async deleteVersion(bucket: string, key: string, versionId: string): Promise<RemovedVersion | undefined> {
    const state = this.#buckets.get(bucket);
    const removed = state && this.#removeVersion(state, key, versionId);
    if (!state || !removed) return undefined;
    this.#indexKey(state, key);
    return removed;
  }

  async blobInUse(ref: string): Promise<boolean> {
    return this.#blobs.inUse(ref);
  }

  async reserveBlob(ref: string, holder: string, expiresAt: number): Promise<void> {
    this.#blobs.reserve(ref, holder, expiresAt);
  }

  async releaseBlob(ref: string): Promise<void> {
    this.#blobs.release(ref);
  }

  async renewReservations(refs: readonly string[], expiresAt: number): Promise<void> {
    this.#blobs.renew(refs, expiresAt);
  }

  async lapseReservations(exceptHolder: string): Promise<number> {
    return this.#blobs.lapse(exceptHolder);
  }

  async claimGarbage(holder: string, now: number, limit: number, claimUntil: number): Promise<string[]> {
    return this.#blobs.claim(holder, now, limit, claimUntil);
  }

  async forgetBlobs(refs: readonly string[]): Promise<void> {
    this.#blobs.forget(refs);
  }

  /** Makes `version` its key's newest, replacing the version with its id (only `null` repeats). */
  #stack(version: ObjectVersion): string | undefined {
    const state = this.#requireBucket(version.bucket);
    const replaced = this.#removeVersion(state, version.key, version.versionId);
    let chain = state.chains.get(version.key);
    if (!chain) {
      chain = [];
      this.#undo.set(state.chains, version.key, chain);
    }
    this.#undo.insertAt(chain, chain.length, version);
    if (!version.deleteMarker && 'blob' in version.content) this.#blobs.adopt(version.content.blob);
    this.#indexKey(state, version.key);
    return replaced?.freedBlob;
  }

  /** Removes one version (its chain stays, maybe empty, until #indexKey); its blob is freed once nothing refers to it. */
  #removeVersion(state: BucketState, key: string, versionId: string): RemovedVersion | undefined {
    const chain = state.chains.get(key) ?? [];
    const index = chain.findIndex((v) => v.versionId === versionId);
    const removed = index < 0 ? undefined : this.#undo.removeAt(chain, index);
    if (!removed) return undefined;
    if (removed.deleteMarker) return { deleteMarker: true, freedBlob: undefined };
    return { deleteMarker: false, freedBlob: 'blob' in removed.content ? this.#blobs.drop(removed.content.blob) : undefined };
  }

  /** Brings the key's place in the listings in line with its chain (an empty chain goes). */
  #indexKey(state: BucketState, key: string): void {
    const chain = state.chains.get(key) ?? [];
    if (chain.length === 0) {
      this.#undo.delete(state.chains, key);
      this.#undo.deleteKey(state.versionKeys, key);
    } else {
      this.#undo.addKey(state.versionKeys, key);
    }
    const current = newest(chain);
    if (current && !current.deleteMarker) this.#undo.addKey(state.objectKeys, key);
    else this.#undo.deleteKey(state.objectKeys, key);
    this.#indexPending(state.record.name, key);
  }

  /** Brings the key's place in the replication queue in line with its chain. */
  #indexPending(bucket: string, key: string): void {
    const id = `${bucket}/${key}`;
    const pending = this.#chain(bucket, key).some((v) => v.replication === 'PENDING');
    if (pending && !this.#pendingKeys.has(id)) this.#undo.set(this.#pendingKeys, id, { bucket, key });
    else if (!pending) this.#undo.delete(this.#pendingKeys, id);
  }

  #chain(bucket: string, key: string): readonly ObjectVersion[] {
    return this.#buckets.get(bucket)?.chains.get(key) ?? [];
  }

  // Uploads (memory-uploads.ts)

  async getUpload(bucket: string, key: string, uploadId: string): Promise<Upload | undefined> {
    return this.#uploads.get(bucket, key, uploadId);
  }

  async listUploads(q: ListUploadsQuery): Promise<Upload[]> {
    return this.#uploads.list(q);
  }

  async listParts(uploadId: string, afterPart: number, limit: number): Promise<Part[]> {
    return this.#uploads.listParts(uploadId, afterPart, limit);
  }

  async insertUpload(upload: Upload): Promise<void> {
    this.#requireBucket(upload.bucket);
    this.#uploads.insert(upload);
  }

  async putPart(part: Part): Promise<string | undefined> {
    return this.#uploads.putPart(part);
  }

  async deleteUpload(uploadId: string): Promise<string[]> {
    return this.#uploads.delete(uploadId);
  }

  async deleteUploadsOf(bucket: string): Promise<string[]> {
    return this.#uploads.deleteIn(bucket);
  }

  async clearAll(): Promise<string[]> {
    const freed: string[] = [];
    for (const [name, state] of [...this.#buckets]) {
      freed.push(...this.#uploads.deleteIn(name));
      for (const key of [...state.chains.keys()]) {
        for (const version of [...(state.chains.get(key) ?? [])]) {
          const removed = this.#removeVersion(state, key, version.versionId);
          if (removed?.freedBlob !== undefined) freed.push(removed.freedBlob);
        }
        this.#indexKey(state, key);
      }
      this.#undo.delete(this.#buckets, name);
    }
    for (const seq of [...this.#accessLogs.keys()]) this.#undo.delete(this.#accessLogs, seq);
    this.#identities.clear();
    return freed;
  }
}
