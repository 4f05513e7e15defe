// DELETE Multiple Objects (POST /?delete): up to 1000 keys, each authorized as DeleteObject; Quiet lists only errors.
import { cosError } from '../errors/cos-error.ts';
import { CosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { readSmallBody } from '../http/small-body.ts';
import { asArray, parseXml, renderXml, textOf, type XmlNode } from '../http/xml.ts';
import { checkBodyMd5 } from './common/params.ts';
import { deleteKey } from './common/delete-key.ts';
import { defineOperation } from './operation.ts';

export const MAX_DELETE_KEYS = 1000;
/** 1000 keys of up to 850 bytes each, XML-escaped, fit in 2 MiB. */
const BODY_LIMIT = 2 * 1024 * 1024;

function parseDeleteRequest(text: string): { quiet: boolean; keys: string[] } {
  const doc = parseXml(text)['Delete'];
  if (!doc || typeof doc !== 'object') throw cosError('MalformedXML');
  const root = doc as Record<string, unknown>;
  const objects = asArray(root['Object']);
  if (objects.length === 0) throw cosError('MalformedXML', { detail: 'no Object elements' });
  if (objects.length > MAX_DELETE_KEYS) throw cosError('MalformedXML', { detail: `${objects.length} keys > ${MAX_DELETE_KEYS}` });
  const keys = objects.map((o) => {
    const key = o && typeof o === 'object' ? textOf((o as Record<string, unknown>)['Key']) : undefined;
    if (key === undefined || key === '') throw cosError('MalformedXML', { detail: 'Object without Key' });
    return key;
  });
  const quiet = textOf(root['Quiet'])?.toLowerCase() === 'true';
  return { quiet, keys };
}

export const deleteMultipleObjects = defineOperation({
  id: 'DeleteMultipleObjects',
  // Decided per key below: a caller may delete some keys and not others.
  authorize: 'self',
  needsBucket: false,
  async run(ctx, bucket) {
    const name = ctx.route.bucket ?? '';
    const facts = ctx.bucketFacts(name, bucket);
    const body = await readSmallBody(ctx.body, ctx.headers, BODY_LIMIT);
    checkBodyMd5(ctx.headers, body, false);
    const { quiet, keys } = parseDeleteRequest(body.toString('utf8'));
    const allowed = keys.map((key) => ctx.decide({ action: 'name/cos:DeleteObject', bucket: facts, key }).effect === 'allow');
    // A caller allowed no key gets the AccessDenied a missing bucket would give: per-key errors would
    // tell it the bucket exists.
    if (!allowed.includes(true)) throw cosError('AccessDenied');
    if (!bucket) throw cosError('NoSuchBucket');
    const deleted: XmlNode[] = [];
    const errors: XmlNode[] = [];
    for (const [i, key] of keys.entries()) {
      try {
        if (!allowed[i]) throw cosError('AccessDenied');
        await deleteKey(ctx, name, key);
        if (!quiet) deleted.push({ Key: key });
      } catch (error) {
        if (!(error instanceof CosError)) throw error;
        errors.push({ Key: key, Code: error.code, Message: error.message });
      }
    }
    return xmlReply(renderXml('DeleteResult', { Deleted: deleted, Error: errors }));
  },
});
