// DELETE Object tagging (?tagging[&versionId=]): removes that version's tags; 204 whether or not it had any.
import { emptyReply } from '../http/respond.ts';
import { requireObject, vanishedVersion, versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';

export const deleteObjectTagging = defineOperation({
  id: 'DeleteObjectTagging',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  async run(ctx, { bucket, object: loaded }) {
    const object = requireObject(ctx.params.get('versionId'), loaded, bucket);
    const found = await ctx.meta.tx((tx) => tx.setObjectTags(bucket.name, object.key, object.versionId, []));
    if (!found) throw vanishedVersion(ctx);
    return emptyReply(204, versionHeaders(bucket, object));
  },
});
