// Walks a bucket's keys in order and folds them into a page of entries and common prefixes (GET Bucket).
import type { ObjectRecord } from '../../domain/object.ts';
import type { MetadataReader } from '../../storage/metadata.ts';

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

/** U+10FFFF sorts after every other character in UTF-8 byte order: a cheap "skip this prefix" marker. */
const LAST_CHAR = '\u{10FFFF}';

/**
 * The common prefix a key rolls up into, if any. max-keys counts objects and common prefixes
 * together, and a marker inside a common prefix means that prefix was already returned.
 */
function rollUp(key: string, prefix: string, delimiter: string): string | undefined {
  if (delimiter === '' || !key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

export async function listKeys(meta: MetadataReader, req: ListRequest): Promise<ListPage> {
  const page: ListPage = { objects: [], commonPrefixes: [], isTruncated: false, nextMarker: undefined };
  let lastPrefix = rollUp(req.marker, req.prefix, req.delimiter);
  let after = req.marker;
  let count = 0;
  for (;;) {
    const batch = await meta.listObjects({ bucket: req.bucket, prefix: req.prefix, after, limit: req.maxKeys + 1 });
    for (const object of batch) {
      after = object.key;
      const common = rollUp(object.key, req.prefix, req.delimiter);
      if (common !== undefined && common === lastPrefix) continue;
      if (count === req.maxKeys) {
        page.isTruncated = true;
        return page;
      }
      count++;
      if (common !== undefined) {
        page.commonPrefixes.push(common);
        lastPrefix = common;
        page.nextMarker = common;
        after = common + LAST_CHAR;
      } else {
        page.objects.push(object);
        page.nextMarker = object.key;
      }
    }
    if (batch.length < req.maxKeys + 1) return page;
  }
}
