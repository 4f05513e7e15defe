// PUT Object acl (?acl[&versionId=]): replaces that version's ACL; `x-cos-acl: default` makes it inherit again.
import { emptyReply } from '../http/respond.ts';
import { readAclRequest } from './common/acl-io.ts';
import { requireObject, vanishedVersion, versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';

export const putObjectAcl = defineOperation({
  id: 'PutObjectAcl',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  async run(ctx, { bucket, object: loaded }) {
    const object = requireObject(ctx.params.get('versionId'), loaded, bucket);
    const choice = await readAclRequest(ctx, 'object', bucket.ownerUin);
    const acl = choice.kind === 'acl' ? choice.acl : undefined;
    const found = await ctx.meta.tx((tx) => tx.setObjectAcl(bucket.name, object.key, object.versionId, acl));
    if (!found) throw vanishedVersion(ctx);
    return emptyReply(200, versionHeaders(bucket, object));
  },
});
