// GET Object tagging (?tagging[&versionId=]): the version's tags; an untagged one has an empty TagSet (not NoSuchTagSet, as a bucket has).
import { xmlReply } from '../http/respond.ts';
import { renderTaggingXml } from './common/tagging-xml.ts';
import { requireObject, versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';

export const getObjectTagging = defineOperation({
  id: 'GetObjectTagging',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  async run(ctx, { bucket, object: loaded }) {
    const object = requireObject(ctx.params.get('versionId'), loaded, bucket);
    return xmlReply(renderTaggingXml(object.tags ?? []), 200, versionHeaders(bucket, object));
  },
});
