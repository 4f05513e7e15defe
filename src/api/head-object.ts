// HEAD Object: the object's headers, no body; conditional headers as for GET.
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { objectHeaders } from './common/object-headers.ts';
import { checkConditions, conditionsFrom } from './common/preconditions.ts';
import { checkVersionId } from './common/version.ts';
import { defineOperation } from './operation.ts';

export const headObject = defineOperation({
  id: 'HeadObject',
  authorize: 'route',
  needsBucket: true,
  loadObject: true,
  async run(ctx, _bucket, object) {
    checkVersionId(ctx.params);
    if (!object) throw cosError('NoSuchKey');
    checkConditions(conditionsFrom(ctx.headers), object, 'NotModified');
    return emptyReply(200, { ...objectHeaders(object, ctx.params), 'content-length': object.size });
  },
});
