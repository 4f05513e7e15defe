// GET Bucket cors: the rules as stored; NoSuchCORSConfiguration when the bucket has none.
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderCorsXml } from './common/cors-xml.ts';
import { defineOperation } from './operation.ts';

export const getBucketCors = defineOperation({
  id: 'GetBucketCors',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(_ctx, { bucket }) {
    if (!bucket.cors) throw cosError('NoSuchCORSConfiguration');
    return xmlReply(renderCorsXml(bucket.cors));
  },
});
