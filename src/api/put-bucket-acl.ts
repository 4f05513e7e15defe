// PUT Bucket acl: replaces the whole bucket ACL from x-cos-acl / x-cos-grant-* headers or an XML body.
import { emptyReply } from '../http/respond.ts';
import { readAclRequest } from './common/acl-io.ts';
import { defineOperation } from './operation.ts';

export const putBucketAcl = defineOperation({
  id: 'PutBucketAcl',
  authorize: 'route',
  needsBucket: true,
  async run(ctx, bucket) {
    const choice = await readAclRequest(ctx, 'bucket', bucket.ownerUin);
    // Buckets have no `default`; the canned-value check in readAclRequest already refuses it.
    const acl = choice.kind === 'acl' ? choice.acl : undefined;
    await ctx.meta.tx((tx) => tx.setBucketAcl(bucket.name, acl));
    return emptyReply(200);
  },
});
