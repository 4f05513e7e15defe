// GET Object: streams the bytes, honouring one Range, conditional headers and response-* overrides; an archived object only once restored.
import { deniedRead, requireObject, versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';
import { objectHeaders } from './common/object-headers.ts';
import { checkConditions, conditionsFrom } from './common/preconditions.ts';
import { parseRange } from './common/range.ts';
import { readContent } from '../storage/object-content.ts';
import { requireReadable } from '../domain/restore.ts';
import { followSymlink } from './common/symlink.ts';
import { readKey } from '../domain/encryption.ts';
import { contentKey, sseReplyHeaders } from './common/sse.ts';

export const getObject = defineOperation({
  id: 'GetObject',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  whenDenied: deniedRead,
  async run(ctx, { bucket, object: loaded }) {
    const addressed = requireObject(ctx.params.get('versionId'), loaded, bucket);
    const object = await followSymlink(ctx, bucket, addressed, 'name/cos:GetObject');
    requireReadable(object, ctx.now);
    // Before the conditions: without the right customer key not even an ETag match is told.
    const sent = readKey(ctx.headers);
    const decryptWith = contentKey(ctx, object.encryption, sent);
    checkConditions(conditionsFrom(ctx.headers), object, 'NotModified');
    const headers = { ...objectHeaders(object, ctx), ...versionHeaders(bucket, addressed), ...sseReplyHeaders(object.encryption?.scheme, sent) };
    const range = parseRange(ctx.headers['range'], object.size);
    if (!range) return { status: 200, headers: { ...headers, 'content-length': object.size }, body: readContent(ctx.blobs, object, undefined, decryptWith) };
    return {
      status: 206,
      headers: { ...headers, 'content-length': range.end - range.start + 1, 'content-range': `bytes ${range.start}-${range.end}/${object.size}` },
      body: readContent(ctx.blobs, object, range, decryptWith),
    };
  },
});
