// PUT Bucket tagging: replaces the bucket's tags (at most 50, COS's characters and lengths); 204. An empty TagSet removes them.
import { checkTagSet, MAX_BUCKET_TAGS } from '../domain/tagging.ts';
import { emptyReply } from '../http/respond.ts';
import { readSmallBody } from '../http/small-body.ts';
import { deleteBucketSetting, putBucketSetting } from './common/bucket-settings.ts';
import { checkBodyMd5 } from './common/params.ts';
import { parseTaggingXml, TAGGING_BODY_LIMIT } from './common/tagging-xml.ts';
import { defineOperation } from './operation.ts';

export const putBucketTagging = defineOperation({
  id: 'PutBucketTagging',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const body = await readSmallBody(ctx.body, ctx.headers, TAGGING_BODY_LIMIT);
    checkBodyMd5(ctx.headers, body, false);
    const tags = parseTaggingXml(body.toString('utf8'));
    checkTagSet(tags, MAX_BUCKET_TAGS);
    if (tags.length === 0) await deleteBucketSetting(ctx, bucket.name, 'tagging');
    else await putBucketSetting(ctx, bucket.name, 'tagging', tags);
    return emptyReply(204);
  },
});
