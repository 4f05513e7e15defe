// Multipart uploads in progress and their parts, for the in-memory metadata store (memory-metadata.ts).
import type { Part, Upload } from '../../domain/upload.ts';
import type { ListUploadsQuery } from '../metadata.ts';
import type { AclInterner } from './acl-interner.ts';
import type { BlobLedger } from './blob-ledger.ts';
import { ownTags } from './own-tags.ts';
import { SortedKeys } from './sorted-keys.ts';
import type { UndoLog } from './undo-log.ts';
import { compareUtf8 } from './utf8-order.ts';

interface UploadState {
  upload: Upload;
  parts: Map<number, Part>;
}

/** One bucket's uploads by key, each key's in upload id order, and the keys sorted for listings. */
interface BucketUploads {
  byKey: Map<string, Upload[]>;
  keys: SortedKeys;
}

const copyUpload = ({ tags, ...u }: Upload): Upload => ({ ...u, headers: { ...u.headers }, ...ownTags(tags) });

export class MemoryUploads {
  readonly #undo: UndoLog;
  readonly #blobs: BlobLedger;
  readonly #acls: AclInterner;
  readonly #byId = new Map<string, UploadState>();
  readonly #byBucket = new Map<string, BucketUploads>();

  constructor(undo: UndoLog, blobs: BlobLedger, acls: AclInterner) {
    this.#undo = undo;
    this.#blobs = blobs;
    this.#acls = acls;
  }

  anyIn(bucket: string): boolean {
    return this.#byBucket.has(bucket);
  }

  get(bucket: string, key: string, uploadId: string): Upload | undefined {
    const upload = this.#byId.get(uploadId)?.upload;
    return upload && upload.bucket === bucket && upload.key === key ? copyUpload(upload) : undefined;
  }

  list(q: ListUploadsQuery): Upload[] {
    const uploads = this.#byBucket.get(q.bucket);
    if (!uploads) return [];
    const page: Upload[] = [];
    const { key: afterKey, uploadId: afterId } = q.after;
    for (let i = uploads.keys.listingStart(q.prefix, afterKey, afterId !== undefined); page.length < q.limit; i++) {
      const key = uploads.keys.at(i);
      if (key === undefined || !key.startsWith(q.prefix)) break;
      for (const upload of uploads.byKey.get(key) ?? []) {
        if (page.length === q.limit) break;
        if (afterId !== undefined && key === afterKey && compareUtf8(upload.uploadId, afterId) <= 0) continue;
        page.push(copyUpload(upload));
      }
    }
    return page;
  }

  listParts(uploadId: string, afterPart: number, limit: number): Part[] {
    const parts = [...(this.#byId.get(uploadId)?.parts.values() ?? [])];
    return parts
      .filter((p) => p.partNumber > afterPart)
      .sort((a, b) => a.partNumber - b.partNumber)
      .slice(0, limit)
      .map((p) => ({ ...p }));
  }

  /** The caller checks that the bucket exists. */
  insert(upload: Upload): void {
    if (this.#byId.has(upload.uploadId)) throw new Error(`upload ${upload.uploadId} exists`);
    const stored = { ...copyUpload(upload), acl: this.#acls.intern(upload.acl) };
    this.#undo.set(this.#byId, upload.uploadId, { upload: stored, parts: new Map() });
    let uploads = this.#byBucket.get(upload.bucket);
    if (!uploads) {
      uploads = { byKey: new Map(), keys: new SortedKeys() };
      this.#undo.set(this.#byBucket, upload.bucket, uploads);
    }
    let ofKey = uploads.byKey.get(upload.key);
    if (!ofKey) {
      ofKey = [];
      this.#undo.set(uploads.byKey, upload.key, ofKey);
      this.#undo.addKey(uploads.keys, upload.key);
    }
    const at = ofKey.findIndex((u) => compareUtf8(u.uploadId, upload.uploadId) > 0);
    this.#undo.insertAt(ofKey, at < 0 ? ofKey.length : at, stored);
  }

  /** Returns the replaced part's blob when nothing refers to it any more (it went to the collector). */
  putPart(part: Part): string | undefined {
    const upload = this.#byId.get(part.uploadId);
    if (!upload) throw new Error(`no upload ${part.uploadId}`);
    const previous = upload.parts.get(part.partNumber)?.blob;
    if (previous !== part.blob) this.#blobs.adopt(part.blob);
    this.#undo.set(upload.parts, part.partNumber, { ...part });
    return previous !== undefined && previous !== part.blob ? this.#blobs.drop(previous) : undefined;
  }

  /** Returns the parts' blobs nothing else refers to (they went to the collector). */
  delete(uploadId: string): string[] {
    const removed = this.#undo.delete(this.#byId, uploadId);
    if (!removed) return [];
    const { bucket, key } = removed.upload;
    const uploads = this.#byBucket.get(bucket);
    const ofKey = uploads?.byKey.get(key);
    if (uploads && ofKey) {
      this.#undo.removeAt(ofKey, ofKey.indexOf(removed.upload));
      if (ofKey.length === 0) {
        this.#undo.delete(uploads.byKey, key);
        this.#undo.deleteKey(uploads.keys, key);
      }
      if (uploads.byKey.size === 0) this.#undo.delete(this.#byBucket, bucket);
    }
    const freed: string[] = [];
    for (const { blob } of removed.parts.values()) {
      const unused = this.#blobs.drop(blob);
      if (unused !== undefined) freed.push(unused);
    }
    return freed;
  }

  deleteIn(bucket: string): string[] {
    const ids = [...(this.#byBucket.get(bucket)?.byKey.values() ?? [])].flat().map((u) => u.uploadId);
    return ids.flatMap((id) => this.delete(id));
  }
}
