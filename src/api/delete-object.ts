// DELETE Object[?versionId=]: removes the key, or adds a delete marker, or removes one version (domain/versioning.ts);
// deleting a missing key or version also answers 204, as COS does.
import { emptyReply } from '../http/respond.ts';
import { deleteHeaders, deleteKey } from './common/delete-key.ts';
import { requestedVersionId } from './common/version.ts';
import { defineOperation } from './operation.ts';

export const deleteObject = defineOperation({
  id: 'DeleteObject',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const outcome = await deleteKey(ctx, bucket.name, ctx.route.key ?? '', requestedVersionId(ctx.params.get('versionId')));
    return emptyReply(204, deleteHeaders(outcome));
  },
});
