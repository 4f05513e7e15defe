// PUT Bucket tagging: replaces the bucket's tags (at most 50, COS's characters and lengths); 204. An empty TagSet removes them.
import { MAX_BUCKET_TAGS } from '../domain/tagging.ts';
import { emptyReply } from '../http/respond.ts';
import { deleteBucketSetting, putBucketSetting } from './common/bucket-settings.ts';
import { readTaggingBody } from './common/tagging-xml.ts';
import { defineOperation } from './operation.ts';

export const putBucketTagging = defineOperation({
  id: 'PutBucketTagging',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const tags = await readTaggingBody(ctx, MAX_BUCKET_TAGS);
    if (tags.length === 0) await deleteBucketSetting(ctx, bucket.name, 'tagging');
    else await putBucketSetting(ctx, bucket.name, 'tagging', tags);
    return emptyReply(204);
  },
});
