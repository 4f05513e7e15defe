// GET Bucket location: the bucket's region in a LocationConstraint document.
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { defineOperation } from './operation.ts';

export const getBucketLocation = defineOperation({
  id: 'GetBucketLocation',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(_ctx, { bucket }) {
    // The XML root holds the region as its text: <LocationConstraint>ap-guangzhou</LocationConstraint>.
    return xmlReply(renderXml('LocationConstraint', { '#text': bucket.region }));
  },
});
