// Tagging documents in and out (PUT/GET Bucket and Object tagging): <Tagging><TagSet><Tag><Key/><Value/></Tag>*</TagSet></Tagging>.
import { checkTagSet, type TagSet } from '../../domain/tagging.ts';
import { cosError } from '../../errors/cos-error.ts';
import { readSmallBody } from '../../http/small-body.ts';
import { asArray, parseXml, renderXml, textOf } from '../../http/xml.ts';
import type { RequestContext } from '../operation.ts';
import { checkBodyMd5 } from './params.ts';

/** A tagging document is small: 50 tags of 128 + 256 characters, in XML. */
export const TAGGING_BODY_LIMIT = 64 * 1024;

const element = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The tags in document order; MalformedXML when the shape is not Tagging/TagSet/Tag{Key,Value}. */
export function parseTaggingXml(text: string): TagSet {
  const root = parseXml(text)['Tagging'];
  const tagSet = element(root)?.['TagSet'];
  if (tagSet === undefined || (tagSet !== '' && !element(tagSet))) throw cosError('MalformedXML', { detail: 'root element is not Tagging with a TagSet' });
  return asArray(element(tagSet)?.['Tag']).map((node) => {
    const tag = element(node);
    const key = textOf(tag?.['Key']);
    const value = textOf(tag?.['Value']);
    if (key === undefined || value === undefined) throw cosError('MalformedXML', { detail: 'a Tag needs a Key and a Value' });
    return { key, value };
  });
}

/** A PUT tagging request's tags: the body (Content-MD5 checked when sent) parsed, at most `max` tags COS takes. */
export async function readTaggingBody(ctx: RequestContext, max: number): Promise<TagSet> {
  const body = await readSmallBody(ctx.body, ctx.headers, TAGGING_BODY_LIMIT);
  checkBodyMd5(ctx.headers, body, false);
  const tags = parseTaggingXml(body.toString('utf8'));
  checkTagSet(tags, max);
  return tags;
}

export function renderTaggingXml(tags: TagSet): string {
  return renderXml('Tagging', { TagSet: { Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) } });
}
