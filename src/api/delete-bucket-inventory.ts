// DELETE Bucket inventory (`?inventory&id=`): removes the configuration with that Id; 204. One that does
// not exist is 404 InventoryConfigurationNotFoundError [doc].
import { inventoryId } from '../domain/configs/inventory.ts';
import { emptyReply } from '../http/respond.ts';
import { updateBucketSetting } from './common/bucket-settings.ts';
import { withoutInventory } from './common/inventory-store.ts';
import { defineOperation } from './operation.ts';

export const deleteBucketInventory = defineOperation({
  id: 'DeleteBucketInventory',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const id = inventoryId(ctx.params);
    await updateBucketSetting(ctx, bucket.name, 'inventory', (current) => withoutInventory(current, id));
    return emptyReply(204);
  },
});
