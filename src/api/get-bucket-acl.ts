// GET Bucket acl: the bucket's owner and grants (AccessControlPolicy).
import { privateAcl } from '../domain/acl.ts';
import { xmlReply } from '../http/respond.ts';
import { renderAcl } from './common/acl-io.ts';
import { defineOperation } from './operation.ts';

export const getBucketAcl = defineOperation({
  id: 'GetBucketAcl',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    // Never x-cos-acl here: SDKs derive private/public-read from the grants (spec/acl.md §4).
    return xmlReply(renderAcl(bucket.ownerUin, (bucket.acl ?? privateAcl(bucket.ownerUin)).grants, ctx.dialect));
  },
});
