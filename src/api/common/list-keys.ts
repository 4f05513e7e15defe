// Walks a bucket's entries in key order and folds them into a page of entries and common prefixes
// (GET Bucket over current objects, GET Bucket Object versions over every version, List Multipart
// Uploads over uploads in progress).
import type { ListedObject } from '../../domain/object.ts';
import type { Upload } from '../../domain/upload.ts';
import type { ListedVersion, MetadataReader } from '../../storage/metadata.ts';

export interface ListRequest {
  bucket: string;
  prefix: string;
  delimiter: string;
  /** The key the caller's marker names ('' for none); a marker inside a common prefix skips it. */
  marker: string;
  maxKeys: number;
}

export interface ListPage<E> {
  entries: E[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix on this page, and the entry when it was one, for the next markers. */
  last: { key: string; entry: E | undefined } | undefined;
}

/** Where an ordered source of entries resumes: cursors are opaque to the paging. */
interface EntrySource<E extends { key: string }, C> {
  fetch(after: C, limit: number): Promise<E[]>;
  cursorOf(entry: E): C;
  /** A cursor past every entry whose key starts with this common prefix. */
  pastPrefix(prefix: string): C;
}

/** U+10FFFF sorts after every other character in UTF-8 byte order: a cheap "skip this prefix" marker. */
const LAST_CHAR = '\u{10FFFF}';

/**
 * The common prefix a key rolls up into, if any. max-keys counts entries and common prefixes
 * together, and a marker inside a common prefix means that prefix was already returned.
 */
function rollUp(key: string, prefix: string, delimiter: string): string | undefined {
  if (delimiter === '' || !key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

/** The keys and common prefixes a page names. */
export function* namesOn(page: ListPage<{ key: string }>): Iterable<string> {
  for (const entry of page.entries) yield entry.key;
  yield* page.commonPrefixes;
}

async function pageOf<E extends { key: string }, C>(source: EntrySource<E, C>, req: ListRequest, start: C): Promise<ListPage<E>> {
  const page: ListPage<E> = { entries: [], commonPrefixes: [], isTruncated: false, last: undefined };
  // S3 answers max-keys=0 with an empty page that is not truncated (ceph s3-tests test_bucket_list_maxkeys_zero):
  // a client paging on IsTruncated would otherwise ask again for ever, with no marker to move on.
  if (req.maxKeys === 0) return page;
  let lastPrefix = rollUp(req.marker, req.prefix, req.delimiter);
  let after = lastPrefix === undefined ? start : source.pastPrefix(lastPrefix);
  let count = 0;
  for (;;) {
    const batch = await source.fetch(after, req.maxKeys + 1);
    for (const entry of batch) {
      after = source.cursorOf(entry);
      const common = rollUp(entry.key, req.prefix, req.delimiter);
      if (common !== undefined && common === lastPrefix) continue;
      if (count === req.maxKeys) {
        page.isTruncated = true;
        return page;
      }
      count++;
      if (common !== undefined) {
        page.commonPrefixes.push(common);
        lastPrefix = common;
        page.last = { key: common, entry: undefined };
        after = source.pastPrefix(common);
      } else {
        page.entries.push(entry);
        page.last = { key: entry.key, entry };
      }
    }
    if (batch.length < req.maxKeys + 1) return page;
  }
}

/** Current objects after `marker` (GET Bucket). */
export function listKeys(meta: MetadataReader, req: ListRequest): Promise<ListPage<ListedObject>> {
  const source: EntrySource<ListedObject, string> = {
    fetch: (after, limit) => meta.listObjects({ bucket: req.bucket, prefix: req.prefix, after, limit }),
    cursorOf: (entry) => entry.key,
    pastPrefix: (prefix) => prefix + LAST_CHAR,
  };
  return pageOf(source, req, req.marker);
}

type VersionCursor = { key: string; versionId?: string };

/** Versions after version `versionIdMarker` of the marker key, or after the whole marker key (GET Bucket Object versions). */
export function listVersionPage(meta: MetadataReader, req: ListRequest, versionIdMarker: string | undefined): Promise<ListPage<ListedVersion>> {
  const source: EntrySource<ListedVersion, VersionCursor> = {
    fetch: (after, limit) => meta.listVersions({ bucket: req.bucket, prefix: req.prefix, after, limit }),
    cursorOf: (entry) => ({ key: entry.key, versionId: entry.versionId }),
    pastPrefix: (prefix) => ({ key: prefix + LAST_CHAR }),
  };
  return pageOf(source, req, { key: req.marker, ...(versionIdMarker !== undefined && { versionId: versionIdMarker }) });
}

type UploadCursor = { key: string; uploadId?: string };

/**
 * Uploads after upload `uploadIdMarker` of the marker key, or after every upload of the marker key
 * (List Multipart Uploads: upload-id-marker counts only with a key-marker [doc]).
 */
export function listUploadPage(meta: MetadataReader, req: ListRequest, uploadIdMarker: string | undefined): Promise<ListPage<Upload>> {
  const source: EntrySource<Upload, UploadCursor> = {
    fetch: (after, limit) => meta.listUploads({ bucket: req.bucket, prefix: req.prefix, after, limit }),
    cursorOf: (entry) => ({ key: entry.key, uploadId: entry.uploadId }),
    pastPrefix: (prefix) => ({ key: prefix + LAST_CHAR }),
  };
  const withId = req.marker !== '' && uploadIdMarker !== undefined;
  return pageOf(source, req, { key: req.marker, ...(withId && { uploadId: uploadIdMarker }) });
}
