// MetadataStore in memory (--in-memory): the SQLite engine's behaviour (storage/sqlite/sqlite-metadata.ts)
// with maps and sorted key arrays instead of tables and indexes; nothing is written anywhere.
import { ACL_CODEC, type Acl } from '../../domain/acl.ts';
import type { Bucket, BucketRecord } from '../../domain/bucket.ts';
import { BUCKET_CONFIG_CODECS, type BucketConfigKind } from '../../domain/bucket-config.ts';
import type { DocumentCodec } from '../../domain/codec.ts';
import type { Account, Credential, SubAccount, UserPolicy } from '../../domain/identity.ts';
import type { DeleteMarker, ListedObject, ObjectContent, ObjectRecord, ObjectVersion } from '../../domain/object.ts';
import type { Part, Upload } from '../../domain/upload.ts';
import type { ListObjectsQuery, ListUploadsQuery, ListVersionsQuery, ListedVersion, MetadataStore, MetadataTx, RemovedVersion } from '../metadata.ts';
import { BlobLedger } from './blob-ledger.ts';
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
  /** Uploads in progress by key, each key's in upload id order. */
  uploads: Map<string, Upload[]>;
  uploadKeys: SortedKeys;
}

interface UploadState {
  upload: Upload;
  parts: Map<number, Part>;
}

/** Decoded ACLs shared by the records that carry the same one, as the SQLite engine's DocumentTable does. */
const MAX_INTERNED_ACLS = 1024;

const copyUpload = (u: Upload): Upload => ({ ...u, headers: { ...u.headers } });

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
  readonly #undo = new UndoLog();
  readonly #accounts = new Map<string, Account>();
  readonly #subAccounts = new Map<string, SubAccount>();
  readonly #credentials = new Map<string, Credential>();
  #credentialsVersion = 0;
  /** By sub-account uin, then policy name. */
  readonly #userPolicies = new Map<string, Map<string, string>>();
  readonly #buckets = new Map<string, BucketState>();
  readonly #uploads = new Map<string, UploadState>();
  readonly #blobs = new BlobLedger(this.#undo);
  /** Oldest first, so the first key is the one to evict. */
  readonly #acls = new Map<string, Acl>();

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

  // Identities

  async getCredential(secretId: string): Promise<Credential | undefined> {
    const credential = this.#credentials.get(secretId);
    return credential && copyCredential(credential);
  }

  async credentialsVersion(): Promise<number> {
    return this.#credentialsVersion;
  }

  async listCredentials(uin: string): Promise<Credential[]> {
    return [...this.#credentials.values()]
      .filter((c) => c.uin === uin && c.temporary === undefined)
      .sort((a, b) => compareUtf8(a.secretId, b.secretId))
      .map(copyCredential);
  }

  async getAccount(uin: string): Promise<Account | undefined> {
    const account = this.#accounts.get(uin);
    return account && { ...account };
  }

  async listAccounts(): Promise<Account[]> {
    return [...this.#accounts.values()].sort((a, b) => compareUtf8(a.uin, b.uin)).map((a) => ({ ...a }));
  }

  async getSubAccount(uin: string): Promise<SubAccount | undefined> {
    const sub = this.#subAccounts.get(uin);
    return sub && { ...sub };
  }

  async listSubAccounts(ownerUin: string): Promise<SubAccount[]> {
    return [...this.#subAccounts.values()]
      .filter((s) => s.ownerUin === ownerUin)
      .sort((a, b) => compareUtf8(a.uin, b.uin))
      .map((s) => ({ ...s }));
  }

  async listUserPolicies(uin: string): Promise<UserPolicy[]> {
    const policies = [...(this.#userPolicies.get(uin) ?? new Map<string, string>())];
    return policies.sort(([a], [b]) => compareUtf8(a, b)).map(([name, document]) => ({ uin, name, document }));
  }

  /** An existing account keeps its appid (the SQLite upsert updates the name only). */
  async putAccount(account: Account): Promise<void> {
    const existing = this.#accounts.get(account.uin);
    if (!existing && [...this.#accounts.values()].some((a) => a.appid === account.appid)) {
      throw new Error(`appid ${account.appid} belongs to another account`);
    }
    this.#undo.set(this.#accounts, account.uin, { ...(existing ?? account), name: account.name });
  }

  async putSubAccount(sub: SubAccount): Promise<void> {
    const existing = this.#subAccounts.get(sub.uin);
    if (!existing) this.#requireAccount(sub.ownerUin);
    this.#undo.set(this.#subAccounts, sub.uin, { ...(existing ?? sub), name: sub.name });
  }

  /** An existing key gets the new secret and keeps the rest (the SQLite upsert). */
  async putCredential(credential: Credential): Promise<void> {
    const existing = this.#credentials.get(credential.secretId);
    if (existing) {
      this.#undo.set(this.#credentials, credential.secretId, { ...existing, secretKey: credential.secretKey });
      this.#credentialsChanged();
      return;
    }
    this.#requireAccount(credential.ownerUin);
    this.#undo.set(this.#credentials, credential.secretId, copyCredential(credential));
  }

  async deleteCredential(secretId: string): Promise<boolean> {
    if (this.#undo.delete(this.#credentials, secretId) === undefined) return false;
    this.#credentialsChanged();
    return true;
  }

  async deleteExpiredCredentials(before: number): Promise<number> {
    const expired = [...this.#credentials.values()].filter((c) => c.temporary !== undefined && c.temporary.expiresAt < before);
    for (const credential of expired) await this.deleteCredential(credential.secretId);
    return expired.length;
  }

  async putUserPolicy(policy: UserPolicy): Promise<void> {
    if (!this.#subAccounts.has(policy.uin)) throw new Error(`no sub-account ${policy.uin}`);
    let policies = this.#userPolicies.get(policy.uin);
    if (!policies) {
      policies = new Map();
      this.#undo.set(this.#userPolicies, policy.uin, policies);
    }
    this.#undo.set(policies, policy.name, policy.document);
  }

  async deleteUserPolicy(uin: string, name: string): Promise<boolean> {
    const policies = this.#userPolicies.get(uin);
    return policies !== undefined && this.#undo.delete(policies, name) !== undefined;
  }

  /** Every removed or changed key moves the version, as the SQLite triggers do (migration 11). */
  #credentialsChanged(): void {
    const previous = this.#credentialsVersion;
    this.#credentialsVersion = previous + 1;
    this.#undo.push(() => (this.#credentialsVersion = previous));
  }

  #requireAccount(uin: string): void {
    if (!this.#accounts.has(uin)) throw new Error(`no account ${uin}`);
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

  async bucketContents(name: string): Promise<{ versions: boolean; uploads: boolean }> {
    const state = this.#buckets.get(name);
    return { versions: (state?.chains.size ?? 0) > 0, uploads: (state?.uploads.size ?? 0) > 0 };
  }

  async insertBucket(record: BucketRecord): Promise<void> {
    if (this.#buckets.has(record.name)) throw new Error(`bucket ${record.name} exists`);
    this.#requireAccount(record.ownerUin);
    this.#undo.set(this.#buckets, record.name, {
      record: { ...record },
      configs: new Map(),
      chains: new Map(),
      versionKeys: new SortedKeys(),
      objectKeys: new SortedKeys(),
      uploads: new Map(),
      uploadKeys: new SortedKeys(),
    });
  }

  async deleteBucket(name: string): Promise<void> {
    const state = this.#buckets.get(name);
    if (state && (state.chains.size > 0 || state.uploads.size > 0)) throw new Error(`bucket ${name} still holds versions or uploads`);
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
    const chain = this.#buckets.get(bucket)?.chains.get(key) ?? [];
    const index = chain.findIndex((v) => v.versionId === versionId);
    const version = chain[index];
    if (!version || version.deleteMarker) return false;
    this.#undo.removeAt(chain, index);
    this.#undo.insertAt(chain, index, { ...version, acl: this.#internAcl(acl) });
    return true;
  }

  async putObject(record: ObjectRecord): Promise<string | undefined> {
    return this.#stack({ ...record, headers: { ...record.headers }, content: ownContent(record.content), acl: this.#internAcl(record.acl) });
  }

  async putDeleteMarker(m: DeleteMarker): Promise<string | undefined> {
    return this.#stack({ bucket: m.bucket, key: m.key, versionId: m.versionId, deleteMarker: true, lastModified: m.lastModified });
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

  async lapseReservations(exceptHolder: string): Promise<number> {
    return this.#blobs.lapse(exceptHolder);
  }

  async claimGarbage(holder: string, now: number, limit: number): Promise<string[]> {
    return this.#blobs.claim(holder, now, limit);
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
  }

  #chain(bucket: string, key: string): readonly ObjectVersion[] {
    return this.#buckets.get(bucket)?.chains.get(key) ?? [];
  }

  /** The stored form of an ACL: the decoded copy every record with the same ACL shares. */
  #internAcl(acl: Acl | undefined): Acl | undefined {
    if (acl === undefined) return undefined;
    const text = ACL_CODEC.encode(acl);
    let interned = this.#acls.get(text);
    if (!interned) {
      interned = ACL_CODEC.decode(text);
      // First in, first out; an evicted ACL stays shared by the records holding it. Not undone on
      // rollback: the cache only saves decoding, it holds no state.
      if (this.#acls.size >= MAX_INTERNED_ACLS) this.#acls.delete(this.#acls.keys().next().value ?? '');
      this.#acls.set(text, interned);
    }
    return interned;
  }

  // Uploads

  async getUpload(bucket: string, key: string, uploadId: string): Promise<Upload | undefined> {
    const upload = this.#uploads.get(uploadId)?.upload;
    return upload && upload.bucket === bucket && upload.key === key ? copyUpload(upload) : undefined;
  }

  async listUploads(q: ListUploadsQuery): Promise<Upload[]> {
    const state = this.#buckets.get(q.bucket);
    if (!state) return [];
    const page: Upload[] = [];
    const { key: afterKey, uploadId: afterId } = q.after;
    for (let i = state.uploadKeys.listingStart(q.prefix, afterKey, afterId !== undefined); page.length < q.limit; i++) {
      const key = state.uploadKeys.at(i);
      if (key === undefined || !key.startsWith(q.prefix)) break;
      for (const upload of state.uploads.get(key) ?? []) {
        if (page.length === q.limit) break;
        if (afterId !== undefined && key === afterKey && compareUtf8(upload.uploadId, afterId) <= 0) continue;
        page.push(copyUpload(upload));
      }
    }
    return page;
  }

  async listParts(uploadId: string, afterPart: number, limit: number): Promise<Part[]> {
    const parts = [...(this.#uploads.get(uploadId)?.parts.values() ?? [])];
    return parts
      .filter((p) => p.partNumber > afterPart)
      .sort((a, b) => a.partNumber - b.partNumber)
      .slice(0, limit)
      .map((p) => ({ ...p }));
  }

  async insertUpload(upload: Upload): Promise<void> {
    if (this.#uploads.has(upload.uploadId)) throw new Error(`upload ${upload.uploadId} exists`);
    const state = this.#requireBucket(upload.bucket);
    const stored = { ...copyUpload(upload), acl: this.#internAcl(upload.acl) };
    this.#undo.set(this.#uploads, upload.uploadId, { upload: stored, parts: new Map() });
    let ofKey = state.uploads.get(upload.key);
    if (!ofKey) {
      ofKey = [];
      this.#undo.set(state.uploads, upload.key, ofKey);
      this.#undo.addKey(state.uploadKeys, upload.key);
    }
    const at = ofKey.findIndex((u) => compareUtf8(u.uploadId, upload.uploadId) > 0);
    this.#undo.insertAt(ofKey, at < 0 ? ofKey.length : at, stored);
  }

  async putPart(part: Part): Promise<string | undefined> {
    const upload = this.#uploads.get(part.uploadId);
    if (!upload) throw new Error(`no upload ${part.uploadId}`);
    const previous = upload.parts.get(part.partNumber)?.blob;
    if (previous !== part.blob) this.#blobs.adopt(part.blob);
    this.#undo.set(upload.parts, part.partNumber, { ...part });
    return previous !== undefined && previous !== part.blob ? this.#blobs.drop(previous) : undefined;
  }

  async deleteUpload(uploadId: string): Promise<string[]> {
    const removed = this.#undo.delete(this.#uploads, uploadId);
    if (!removed) return [];
    const { bucket, key } = removed.upload;
    const state = this.#requireBucket(bucket);
    const ofKey = state.uploads.get(key) ?? [];
    this.#undo.removeAt(ofKey, ofKey.indexOf(removed.upload));
    if (ofKey.length === 0) {
      this.#undo.delete(state.uploads, key);
      this.#undo.deleteKey(state.uploadKeys, key);
    }
    const freed: string[] = [];
    for (const { blob } of removed.parts.values()) {
      const unused = this.#blobs.drop(blob);
      if (unused !== undefined) freed.push(unused);
    }
    return freed;
  }

  async deleteUploadsOf(bucket: string): Promise<string[]> {
    const ids = [...(this.#buckets.get(bucket)?.uploads.values() ?? [])].flat().map((u) => u.uploadId);
    const blobs: string[] = [];
    for (const id of ids) blobs.push(...(await this.deleteUpload(id)));
    return blobs;
  }
}

function copyCredential(c: Credential): Credential {
  return { ...c, ...(c.temporary && { temporary: { ...c.temporary } }) };
}
