// GET Service: the caller's buckets (ListAllMyBucketsResult).
import { camId } from '../domain/identity.ts';
import { endpointServes } from '../domain/region.ts';
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { isoTime } from './common/xml-shapes.ts';
import { defineOperation } from './operation.ts';

export const getService = defineOperation({
  id: 'GetService',
  authorize: 'self',
  needs: { bucket: 'optional' },
  async run(ctx) {
    const allowedBy = ctx.authorize({ action: 'name/cos:GetService' });
    const principal = ctx.principal;
    // authorize() admits only signed callers; the check narrows the type.
    if (principal.kind !== 'user') throw cosError('AccessDenied');
    // One region's buckets on that region's endpoint `cos.<region>.<domain>`, or with `?region=`; every
    // region's on `service.cos.<domain>` or any host naming none [doc: GET Service].
    const region = ctx.params.get('region') || ctx.route.region;
    const buckets = (await ctx.meta.listBuckets(principal.ownerUin)).filter((b) => endpointServes(region, b.region));
    const owner = camId(principal.ownerUin, principal.ownerUin);
    const xml = renderXml('ListAllMyBucketsResult', {
      Owner: { ID: owner, DisplayName: principal.ownerUin },
      Buckets: {
        Bucket: buckets.map((b) => ({ Name: b.name, Location: b.region, CreationDate: isoTime(b.createdAt), BucketType: 'cos' })),
      },
    });
    return { ...xmlReply(xml), allowedBy };
  },
});
