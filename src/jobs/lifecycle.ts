// The lifecycle job: applies every bucket's lifecycle rules (domain/lifecycle-rules.ts) to its versions and
// multipart uploads, a page at a time. Each page is read, decided and changed in one transaction, from
// what the store holds then, so a page done again after a crash changes nothing twice: an expired key's
// newest version is already its delete marker, an expired version or aborted upload is already gone.
import { readLifecycle, abortsUpload, currentVersionAction, filtersOnTags, noncurrentVersionAction, removesLoneMarker, type LifecycleRule, type VersionAction } from '../domain/lifecycle-rules.ts';
import { isLocked } from '../domain/object-lock.ts';
import { newVersionId, planDelete, type VersioningStatus } from '../domain/versioning.ts';
import type { ListedVersion, MetadataReader, MetadataStore, MetadataTx } from '../storage/metadata.ts';
import { allBucketNames } from './bucket-names.ts';
import type { Job } from './runner.ts';

const HOUR = 3_600_000;

/** Versions (or uploads) looked at per transaction: small enough that requests never wait long behind one. */
export const LIFECYCLE_PAGE = 100;

/**
 * Where a run stands: the bucket, which of its two walks, and the last version (or upload) done that is
 * still there, with its time: the next version listed, if of the same key, became noncurrent then.
 *
 * A version's noncurrent time is taken from the nearest newer version that still exists: the store keeps
 * no other record of it. When a noncurrent version expires, the one below it became noncurrent earlier
 * still, so taking the expired one's successor's time instead changes nothing that is due; and a page done
 * again after a crash, its expired versions gone, decides the same.
 */
interface LifecycleCursor {
  bucket: string;
  phase: 'versions' | 'uploads';
  after?: { key: string; id?: string; lastModified?: number };
}

export interface LifecycleDeps {
  meta: MetadataStore;
  /** Called when a change freed bytes (storage/blob-keeper.ts collects them). */
  collectSoon: () => void;
  /** COS runs lifecycle about once a day; locally an hour keeps a real clock close to it without a test waiting. */
  intervalMs?: number;
}

export function lifecycleJob(deps: LifecycleDeps): Job {
  return { name: 'lifecycle', intervalMs: deps.intervalMs ?? HOUR, step: (text, now) => lifecycleStep(deps, parseCursor(text), now) };
}

const parseCursor = (text: string | undefined): LifecycleCursor | undefined => (text === undefined ? undefined : (JSON.parse(text) as LifecycleCursor));

/** The first bucket, in name order, after `after` (from the first when undefined) that has rules enabled. */
async function nextBucket(meta: MetadataReader, after: string | undefined): Promise<string | undefined> {
  for (const name of await allBucketNames(meta)) {
    if (after !== undefined && name <= after) continue;
    const lifecycle = (await meta.getBucket(name))?.lifecycle;
    if (lifecycle && readLifecycle(lifecycle).length > 0) return name;
  }
  return undefined;
}

async function lifecycleStep(deps: LifecycleDeps, cursor: LifecycleCursor | undefined, now: number): Promise<string | undefined> {
  if (!cursor) return startBucket(deps.meta, undefined);
  const bucket = await deps.meta.getBucket(cursor.bucket);
  const rules = bucket?.lifecycle ? readLifecycle(bucket.lifecycle) : [];
  if (rules.length === 0) return startBucket(deps.meta, cursor.bucket);
  const { next, freed } = await deps.meta.tx((tx) => (cursor.phase === 'versions' ? versionsPage(tx, cursor, rules, now) : uploadsPage(tx, cursor, rules, now)));
  if (freed) deps.collectSoon();
  if (next) return JSON.stringify(next);
  if (cursor.phase === 'versions') return JSON.stringify({ bucket: cursor.bucket, phase: 'uploads' } satisfies LifecycleCursor);
  return startBucket(deps.meta, cursor.bucket);
}

async function startBucket(meta: MetadataReader, after: string | undefined): Promise<string | undefined> {
  const bucket = await nextBucket(meta, after);
  return bucket && JSON.stringify({ bucket, phase: 'versions' } satisfies LifecycleCursor);
}

interface PageResult {
  /** Where the next page starts; undefined when this walk of the bucket is done. */
  next: LifecycleCursor | undefined;
  /** Whether a change freed bytes. */
  freed: boolean;
}

async function versionsPage(tx: MetadataTx, cursor: LifecycleCursor, rules: LifecycleRule[], now: number): Promise<PageResult> {
  const bucket = cursor.bucket;
  const listed = await tx.listVersions({ bucket, prefix: '', after: { key: cursor.after?.key ?? '', ...(cursor.after?.id !== undefined && { versionId: cursor.after.id }) }, limit: LIFECYCLE_PAGE + 1 });
  // The one past the page is only looked at: whether the page's last version is its key's last.
  const page = listed.slice(0, LIFECYCLE_PAGE);
  const versioning = (await tx.getBucket(bucket))?.versioning;
  const withTags = filtersOnTags(rules);
  let freed = false;
  let kept = cursor.after;
  for (const [i, version] of page.entries()) {
    const since = kept?.key === version.key ? kept.lastModified : undefined;
    const change = await decideVersion(tx, { bucket, rules, withTags, now }, version, since, listed[i + 1]?.key !== version.key);
    const outcome = await applyChange(tx, bucket, versioning, version, change, now);
    freed ||= outcome.freed;
    if (!outcome.removed) kept = { key: version.key, id: version.versionId, lastModified: version.lastModified };
  }
  return { next: listed.length > LIFECYCLE_PAGE ? { bucket, phase: 'versions', ...(kept && { after: kept }) } : undefined, freed };
}

type Change = VersionAction | { kind: 'removeMarker' };

async function decideVersion(
  tx: MetadataTx,
  at: { bucket: string; rules: LifecycleRule[]; withTags: boolean; now: number },
  version: ListedVersion,
  noncurrentSince: number | undefined,
  lastOfKey: boolean,
): Promise<Change> {
  if (version.deleteMarker) {
    // Only a key's newest version can be a lone marker: an older marker is an ordinary noncurrent version.
    if (version.isLatest) return lastOfKey && removesLoneMarker(at.rules, version.key, version.lastModified, at.now) ? { kind: 'removeMarker' } : undefined;
    return noncurrentSince === undefined ? undefined : noncurrentVersionAction(at.rules, { key: version.key, tags: [], storageClass: 'STANDARD', size: 0, since: noncurrentSince }, at.now);
  }
  const stored = at.withTags ? await tx.getVersion(at.bucket, version.key, version.versionId) : undefined;
  const facts = { key: version.key, tags: stored && !stored.deleteMarker ? (stored.tags ?? []) : undefined, storageClass: version.storageClass, size: version.size };
  if (version.isLatest) return currentVersionAction(at.rules, { ...facts, lastModified: version.lastModified }, at.now);
  return noncurrentSince === undefined ? undefined : noncurrentVersionAction(at.rules, { ...facts, since: noncurrentSince }, at.now);
}

/** Makes the change: whether the version is gone now, and whether bytes were freed. */
async function applyChange(
  tx: MetadataTx,
  bucket: string,
  versioning: VersioningStatus | undefined,
  version: ListedVersion,
  change: Change,
  now: number,
): Promise<{ removed: boolean; freed: boolean }> {
  if (!change) return { removed: false, freed: false };
  const { key, versionId } = version;
  // The page was listed before its first change, and a change may replace a version listed further down
  // (in a Suspended bucket a null delete marker takes the old null version's place): act only on the
  // version as listed.
  const stored = await tx.getVersion(bucket, key, versionId);
  if (!stored || stored.lastModified !== version.lastModified || stored.deleteMarker !== version.deleteMarker) return { removed: false, freed: false };
  // "While an object is within its retention period, the transition and deletion operations configured
  // in the lifecycle policy do not take effect" [doc: Object Lock, Use Limits]; the next run after it ends acts.
  if (isLocked(stored, now)) return { removed: false, freed: false };
  if (change.kind === 'transition') {
    await tx.setObjectStorageClass(bucket, key, versionId, change.storageClass);
    return { removed: false, freed: false };
  }
  // Expiring a current version is a DELETE without a version id (a delete marker when versioned);
  // a noncurrent version or a lone marker goes for good.
  const plan = change.kind === 'expire' && version.isLatest ? planDelete(versioning, undefined, newVersionId) : { kind: 'remove' as const, versionId };
  if (plan.kind === 'marker') {
    // Suspended versioning: a null marker takes the null version's place (it is gone if it was this one).
    const freedBlob = await tx.putDeleteMarker({ bucket, key, versionId: plan.versionId, deleteMarker: true, lastModified: now });
    return { removed: plan.versionId === versionId, freed: freedBlob !== undefined };
  }
  const removed = await tx.deleteVersion(bucket, key, plan.versionId);
  return { removed: removed !== undefined, freed: removed?.freedBlob !== undefined };
}

async function uploadsPage(tx: MetadataTx, cursor: LifecycleCursor, rules: LifecycleRule[], now: number): Promise<PageResult> {
  const bucket = cursor.bucket;
  const page = await tx.listUploads({ bucket, prefix: '', after: { key: cursor.after?.key ?? '', ...(cursor.after?.id !== undefined && { uploadId: cursor.after.id }) }, limit: LIFECYCLE_PAGE });
  let freed = false;
  for (const upload of page) {
    if (abortsUpload(rules, upload.key, upload.initiated, now)) freed = (await tx.deleteUpload(upload.uploadId)).length > 0 || freed;
  }
  const last = page[page.length - 1];
  return { next: page.length === LIFECYCLE_PAGE && last ? { bucket, phase: 'uploads', after: { key: last.key, id: last.uploadId } } : undefined, freed };
}
