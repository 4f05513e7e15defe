// GET Bucket tagging: the tags as stored; 404 NoSuchTagSet when the bucket has none (the SDKs read that as no tags).
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderTaggingXml } from './common/tagging-xml.ts';
import { defineOperation } from './operation.ts';

export const getBucketTagging = defineOperation({
  id: 'GetBucketTagging',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(_ctx, { bucket }) {
    if (!bucket.tagging) throw cosError('NoSuchTagSet');
    return xmlReply(renderTaggingXml(bucket.tagging));
  },
});
