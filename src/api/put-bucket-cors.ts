// PUT Bucket cors: replaces the bucket's CORS rules with a validated CORSConfiguration (64 KB, Content-MD5 required).
import { emptyReply } from '../http/respond.ts';
import { readSmallBody } from '../http/small-body.ts';
import { CORS_BODY_LIMIT, parseCorsXml } from './common/cors-xml.ts';
import { checkBodyMd5 } from './common/params.ts';
import { putBucketSetting } from './common/bucket-settings.ts';
import { defineOperation } from './operation.ts';

export const putBucketCors = defineOperation({
  id: 'PutBucketCors',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const body = await readSmallBody(ctx.body, ctx.headers, CORS_BODY_LIMIT);
    // The documented request carries Content-MD5 and every SDK sends it (cos-nodejs-sdk-v5 putBucketCors).
    checkBodyMd5(ctx.headers, body, true);
    const cors = parseCorsXml(body.toString('utf8'));
    await putBucketSetting(ctx, bucket.name, 'cors', cors);
    return emptyReply(200);
  },
});
