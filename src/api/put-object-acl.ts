// PUT Object acl (?acl[&versionId=]): replaces that version's ACL; `x-cos-acl: default` makes it inherit again.
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { readAclRequest } from './common/acl-io.ts';
import { requireObject, versionHeaders } from './common/version.ts';
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
    // Removed since it was loaded.
    if (!found) throw cosError(ctx.params.get('versionId') ? 'NoSuchVersion' : 'NoSuchKey');
    return emptyReply(200, versionHeaders(bucket, object));
  },
});
