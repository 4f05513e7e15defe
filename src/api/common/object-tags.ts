// Object tags in request headers (x-cos-tagging on uploads, x-cos-tagging-directive on copies) and x-cos-tagging-count on replies.
import type { ObjectRecord } from '../../domain/object.ts';
import { checkTagSet, MAX_OBJECT_TAGS, parseTaggingHeader, type TagSet } from '../../domain/tagging.ts';
import { cosError } from '../../errors/cos-error.ts';

/** The tags `x-cos-tagging` asks for, at most 10 with COS's characters; undefined without the header. */
export function requestedTags(headers: Readonly<Record<string, string | undefined>>): TagSet | undefined {
  const header = headers['x-cos-tagging'];
  if (header === undefined) return undefined;
  const tags = parseTaggingHeader(header);
  checkTagSet(tags, MAX_OBJECT_TAGS);
  return tags;
}

/** `{ tags }` for a new object's record, or nothing for none. */
export const tagsField = (tags: TagSet | undefined): { tags?: TagSet } => (tags && tags.length > 0 ? { tags } : {});

/**
 * A copy's tags: the source's (`x-cos-tagging-directive: Copy`, the default) or those of its own
 * x-cos-tagging (`Replaced`) [doc: PUT Object - Copy].
 */
export function copiedTags(headers: Readonly<Record<string, string | undefined>>, source: ObjectRecord): TagSet | undefined {
  const directive = headers['x-cos-tagging-directive'] ?? 'Copy';
  if (directive === 'Copy') return source.tags;
  if (directive === 'Replaced') return requestedTags(headers);
  throw cosError('InvalidArgument', { message: 'x-cos-tagging-directive must be Copy or Replaced' });
}

/** `x-cos-tagging-count` on GET/HEAD Object: sent only for a tagged version [doc: HEAD Object]. */
export const taggingCountHeader = (object: ObjectRecord): Record<string, string> =>
  object.tags && object.tags.length > 0 ? { 'x-cos-tagging-count': String(object.tags.length) } : {};
