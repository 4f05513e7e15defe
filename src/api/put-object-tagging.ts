// PUT Object tagging (?tagging[&versionId=]): replaces that version's tags (at most 10, COS's characters and lengths); 200.
import { MAX_OBJECT_TAGS } from '../domain/tagging.ts';
import { emptyReply } from '../http/respond.ts';
import { readTaggingBody } from './common/tagging-xml.ts';
import { requireObject, vanishedVersion, versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';

export const putObjectTagging = defineOperation({
  id: 'PutObjectTagging',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  async run(ctx, { bucket, object: loaded }) {
    const object = requireObject(ctx.params.get('versionId'), loaded, bucket);
    const tags = await readTaggingBody(ctx, MAX_OBJECT_TAGS);
    const found = await ctx.meta.tx((tx) => tx.setObjectTags(bucket.name, object.key, object.versionId, tags));
    if (!found) throw vanishedVersion(ctx);
    return emptyReply(200, versionHeaders(bucket, object));
  },
});
