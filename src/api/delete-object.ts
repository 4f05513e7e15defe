// DELETE Object: removes the key; deleting a missing key also answers 204, as COS does.
import { emptyReply } from '../http/respond.ts';
import { deleteKey } from './common/delete-key.ts';
import { defineOperation } from './operation.ts';

export const deleteObject = defineOperation({
  id: 'DeleteObject',
  authorize: 'route',
  needsBucket: true,
  async run(ctx, bucket) {
    await deleteKey(ctx, bucket.name, ctx.route.key ?? '');
    return emptyReply(204);
  },
});
