// Tags: key = value pairs on a bucket (and on objects), with COS's limits on them.
import { cosError } from '../errors/cos-error.ts';
import { jsonCodec, type DocumentCodec } from './codec.ts';

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export type TagSet = readonly Tag[];

/** "Up to 50 tags" per bucket [doc: PUT Bucket tagging]. */
export const MAX_BUCKET_TAGS = 50;
/** "Up to 10 tags" per object [doc: PUT Object tagging]. */
export const MAX_OBJECT_TAGS = 10;
/** "Up to 128 characters" for a key and 256 for a value [doc: PUT Bucket tagging]. */
const MAX_KEY_CHARS = 128;
const MAX_VALUE_CHARS = 256;
/** Letters of any script, digits, spaces and + - = . _ : / @ [doc: bucket tag overview]. */
const TAG_TEXT = /^[\p{L}\p{N} +\-=._:/@]*$/u;
/** Keys the system keeps for itself [doc: bucket tag overview]. */
const RESERVED_KEY = /^(qcs:|project)/i;

const invalidTag = (message: string) => cosError('InvalidTag', { message });

/** Throws InvalidTag for a set COS refuses; S3's messages, as COS does not document its own [recommended]. */
export function checkTagSet(tags: TagSet, max: number): void {
  if (tags.length > max) throw invalidTag(`A tag set cannot hold more than ${max} tags`);
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (key === '' || [...key].length > MAX_KEY_CHARS) throw invalidTag('The TagKey you have provided is invalid');
    if ([...value].length > MAX_VALUE_CHARS) throw invalidTag('The TagValue you have provided is invalid');
    if (!TAG_TEXT.test(key) || RESERVED_KEY.test(key)) throw invalidTag('The TagKey you have provided is invalid');
    if (!TAG_TEXT.test(value)) throw invalidTag('The TagValue you have provided is invalid');
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(key);
  }
}

/**
 * The tags an `x-cos-tagging` header names: `k1=v1&k2=v2`, keys and values URL-encoded [doc: PUT Object,
 * x-cos-tagging; the Node SDK's test builds it with encodeURIComponent]. Not checked (checkTagSet).
 */
export const parseTaggingHeader = (header: string): TagSet => [...new URLSearchParams(header)].map(([key, value]) => ({ key, value }));

/** Tags as the tag condition keys (`qcs:request_tag`, `qcs:resource_tag`) compare them: `key&value` [doc: CAM tag conditions]. */
export const tagConditionValues = (tags: TagSet): string[] => tags.map(({ key, value }) => `${key}&${value}`);

export const TAGGING_CODEC: DocumentCodec<TagSet> = jsonCodec<TagSet>();
