// Walks entries in key order and folds them into a page of entries and common prefixes (GET Bucket,
// List Multipart Uploads).
import type { ObjectRecord } from '../../domain/object.ts';
import type { MetadataReader } from '../../storage/metadata.ts';

/** A place in a listing: after `id` within `key`, or (no id) after everything under `key`. */
export interface Position {
  key: string;
  id?: string | undefined;
}

export interface PageRequest {
  prefix: string;
  delimiter: string;
  marker: Position;
  max: number;
}

export interface Page<T> {
  entries: T[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last entry or common prefix on this page, for the next request's markers. */
  next: Position | undefined;
}

/** U+10FFFF sorts after every other character in UTF-8 byte order: a cheap "skip this prefix" marker. */
const LAST_CHAR = '\u{10FFFF}';

/**
 * The common prefix a key rolls up into, if any. The maximum counts entries and common prefixes
 * together, and a marker inside a common prefix means that prefix was already returned.
 */
function rollUp(key: string, prefix: string, delimiter: string): string | undefined {
  if (delimiter === '' || !key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

/** `fetch` returns up to `limit` entries after a position, in order; positionOf places an entry. */
export async function listPage<T extends { key: string }>(
  fetch: (after: Position, limit: number) => Promise<T[]>,
  positionOf: (entry: T) => Position,
  req: PageRequest,
): Promise<Page<T>> {
  const page: Page<T> = { entries: [], commonPrefixes: [], isTruncated: false, next: undefined };
  let lastPrefix = rollUp(req.marker.key, req.prefix, req.delimiter);
  let after = req.marker;
  let count = 0;
  for (;;) {
    const batch = await fetch(after, req.max + 1);
    for (const entry of batch) {
      after = positionOf(entry);
      const common = rollUp(entry.key, req.prefix, req.delimiter);
      if (common !== undefined && common === lastPrefix) continue;
      if (count === req.max) {
        page.isTruncated = true;
        return page;
      }
      count++;
      if (common !== undefined) {
        page.commonPrefixes.push(common);
        lastPrefix = common;
        page.next = { key: common };
        after = { key: common + LAST_CHAR };
      } else {
        page.entries.push(entry);
        page.next = positionOf(entry);
      }
    }
    if (batch.length < req.max + 1) return page;
  }
}

export interface ListRequest {
  bucket: string;
  prefix: string;
  delimiter: string;
  marker: string;
  maxKeys: number;
}

export interface ListPage {
  objects: ObjectRecord[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix on this page, for the next request's marker. */
  nextMarker: string | undefined;
}

export async function listKeys(meta: MetadataReader, req: ListRequest): Promise<ListPage> {
  const page = await listPage(
    (after, limit) => meta.listObjects({ bucket: req.bucket, prefix: req.prefix, after: after.key, limit }),
    (object) => ({ key: object.key }),
    { prefix: req.prefix, delimiter: req.delimiter, marker: { key: req.marker }, max: req.maxKeys },
  );
  return { objects: page.entries, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated, nextMarker: page.next?.key };
}
