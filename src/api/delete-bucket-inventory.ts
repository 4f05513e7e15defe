// DELETE Bucket inventory (`?inventory&id=`): removes the configuration with that Id; 204. One that does
// not exist is 404 InventoryConfigurationNotFoundError [doc].
import { deleteBucketSetting, putBucketSetting } from './common/bucket-settings.ts';
import { requireInventory } from './common/inventory-store.ts';
import { emptyReply } from '../http/respond.ts';
import { defineOperation } from './operation.ts';

export const deleteBucketInventory = defineOperation({
  id: 'DeleteBucketInventory',
  authorize: 'route',
  needsBucket: true,
  async run(ctx, bucket) {
    const gone = requireInventory(ctx, bucket);
    const rest = (bucket.inventory ?? []).filter((item) => item !== gone);
    if (rest.length === 0) await deleteBucketSetting(ctx, bucket.name, 'inventory');
    else await putBucketSetting(ctx, bucket.name, 'inventory', rest);
    return emptyReply(204);
  },
});
