// PUT Bucket acl: replaces the whole bucket ACL from x-cos-acl / x-cos-grant-* headers or an XML body.
import { emptyReply } from '../http/respond.ts';
import { readAclRequest } from './common/acl-io.ts';
import { deleteBucketSetting, putBucketSetting } from './common/bucket-settings.ts';
import { defineOperation } from './operation.ts';

export const putBucketAcl = defineOperation({
  id: 'PutBucketAcl',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const choice = await readAclRequest(ctx, 'bucket', bucket.ownerUin);
    // Buckets have no `default`; the canned-value check in readAclRequest already refuses it.
    if (choice.kind === 'acl') await putBucketSetting(ctx, bucket.name, 'acl', choice.acl);
    else await deleteBucketSetting(ctx, bucket.name, 'acl');
    return emptyReply(200);
  },
});
