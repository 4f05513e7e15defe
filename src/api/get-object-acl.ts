// GET Object acl (?acl[&versionId=]): the version's grants, or `x-cos-acl: default` when it inherits the bucket's.
import { cannedGrants } from '../domain/acl.ts';
import { xmlReply } from '../http/respond.ts';
import { renderAcl } from './common/acl-io.ts';
import { requireObject, versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';

export const getObjectAcl = defineOperation({
  id: 'GetObjectAcl',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  async run(ctx, { bucket, object: loaded }) {
    const object = requireObject(ctx.params.get('versionId'), loaded, bucket);
    const headers = versionHeaders(bucket, object);
    if (object.acl) return xmlReply(renderAcl(bucket.ownerUin, object.acl.grants, ctx.dialect), 200, headers);
    // A `default` object: the SDKs read the canned state from this header; the body shows the owner grant
    // (what real COS puts there is undocumented, spec/acl.md §4).
    return xmlReply(renderAcl(bucket.ownerUin, cannedGrants('private', bucket.ownerUin), ctx.dialect), 200, { ...headers, 'x-cos-acl': 'default' });
  },
});
