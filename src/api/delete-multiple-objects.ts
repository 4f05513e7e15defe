// DELETE Multiple Objects (POST /?delete): up to 1000 keys (optionally versions), each authorized as DeleteObject; Quiet lists only errors.
import { cosError } from '../errors/cos-error.ts';
import { CosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { asArray, parseXml, renderXml, textOf, type XmlNode } from '../http/xml.ts';
import { readCheckedBody } from './common/params.ts';
import { deleteKey, type DeleteOutcome } from './common/delete-key.ts';
import { requestedVersionId } from './common/version.ts';
import { defineOperation } from './operation.ts';

export const MAX_DELETE_KEYS = 1000;
/** 1000 keys of up to 850 bytes each, XML-escaped, fit in 2 MiB. */
const BODY_LIMIT = 2 * 1024 * 1024;

interface DeleteEntry {
  key: string;
  versionId: string | undefined;
}

function parseDeleteRequest(text: string): { quiet: boolean; entries: DeleteEntry[] } {
  const doc = parseXml(text)['Delete'];
  if (!doc || typeof doc !== 'object') throw cosError('MalformedXML');
  const root = doc as Record<string, unknown>;
  const objects = asArray(root['Object']);
  if (objects.length === 0) throw cosError('MalformedXML', { detail: 'no Object elements' });
  if (objects.length > MAX_DELETE_KEYS) throw cosError('MalformedXML', { detail: `${objects.length} keys > ${MAX_DELETE_KEYS}` });
  const entries = objects.map((o) => {
    const fields = o && typeof o === 'object' ? (o as Record<string, unknown>) : {};
    const key = textOf(fields['Key']);
    if (key === undefined || key === '') throw cosError('MalformedXML', { detail: 'Object without Key' });
    const versionId = textOf(fields['VersionId']);
    return { key, versionId: versionId === '' ? undefined : versionId };
  });
  const quiet = textOf(root['Quiet'])?.toLowerCase() === 'true';
  return { quiet, entries };
}

/**
 * One Deleted element: the VersionId the caller named, and DeleteMarker/DeleteMarkerVersionId when a
 * marker was created or the named version was one (the S3 shape COS documents).
 */
function deletedEntry(key: string, versionId: string | undefined, outcome: DeleteOutcome): XmlNode {
  return {
    Key: key,
    VersionId: versionId,
    DeleteMarker: outcome.deleteMarker ? 'true' : undefined,
    DeleteMarkerVersionId: outcome.deleteMarker ? outcome.versionId : undefined,
  };
}

export const deleteMultipleObjects = defineOperation({
  id: 'DeleteMultipleObjects',
  // Decided per key below: a caller may delete some keys and not others.
  authorize: 'self',
  needs: { bucket: 'optional' },
  async run(ctx, { bucket }) {
    const name = ctx.route.bucket ?? '';
    const facts = ctx.bucketFacts(name, bucket);
    const body = await readCheckedBody(ctx.body, ctx.headers, BODY_LIMIT);
    const { quiet, entries } = parseDeleteRequest(body.toString('utf8'));
    const decided = entries.map((entry) => ({ ...entry, verdict: ctx.decide({ action: 'name/cos:DeleteObject', bucket: facts, key: entry.key }) }));
    // A caller allowed no key gets the AccessDenied a missing bucket would give: per-key errors would
    // tell it the bucket exists.
    const allowedBy = decided.map(({ verdict }) => verdict).find((verdict) => verdict.effect === 'allow');
    if (!allowedBy) throw cosError('AccessDenied');
    if (!bucket) throw cosError('NoSuchBucket');
    const deleted: XmlNode[] = [];
    const errors: XmlNode[] = [];
    for (const { key, versionId, verdict } of decided) {
      try {
        if (verdict.effect !== 'allow') throw cosError('AccessDenied');
        const outcome = await deleteKey(ctx, name, key, requestedVersionId(versionId));
        if (!quiet) deleted.push(deletedEntry(key, versionId, outcome));
      } catch (error) {
        if (!(error instanceof CosError)) throw error;
        errors.push({ Key: key, Code: error.code, Message: error.message, VersionId: versionId });
      }
    }
    return { ...xmlReply(renderXml('DeleteResult', { Deleted: deleted, Error: errors })), allowedBy };
  },
});
