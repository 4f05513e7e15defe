// HEAD Object: the object's headers, no body; conditional headers as for GET.
import { emptyReply } from '../http/respond.ts';
import { objectHeaders } from './common/object-headers.ts';
import { checkConditions, conditionsFrom } from './common/preconditions.ts';
import { deniedRead, requireObject, versionHeaders } from './common/version.ts';
import { followSymlink } from './common/symlink.ts';
import { defineOperation } from './operation.ts';
import { openingKey, readKey } from '../domain/encryption.ts';
import { sseReplyHeaders } from './common/sse.ts';

export const headObject = defineOperation({
  id: 'HeadObject',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  whenDenied: deniedRead,
  async run(ctx, { bucket, object: loaded }) {
    const addressed = requireObject(ctx.params.get('versionId'), loaded, bucket);
    const object = await followSymlink(ctx, bucket, addressed, 'name/cos:HeadObject');
    // An SSE-C object's metadata needs its key, as its bytes do (S3 answers HEAD so too).
    const sent = readKey(ctx.headers);
    openingKey(object.encryption?.scheme, sent);
    checkConditions(conditionsFrom(ctx.headers), object, 'NotModified');
    return emptyReply(200, {
      ...objectHeaders(object, ctx),
      ...versionHeaders(bucket, addressed),
      ...sseReplyHeaders(object.encryption?.scheme, sent),
      'content-length': object.size,
    });
  },
});
