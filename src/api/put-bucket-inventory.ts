// PUT Bucket inventory (`?inventory&id=`): adds or replaces the configuration with that Id (jobs/inventory.ts
// makes its reports); 200.
import { INVENTORY_ROOT, INVENTORY_SCHEMA, inventoryId, withInventory } from '../domain/configs/inventory.ts';
import { emptyReply } from '../http/respond.ts';
import { updateBucketSetting } from './common/bucket-settings.ts';
import { readConfigBody } from './common/config-document.ts';
import { defineOperation } from './operation.ts';

export const putBucketInventory = defineOperation({
  id: 'PutBucketInventory',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const id = inventoryId(ctx.params);
    const configuration = await readConfigBody(ctx, INVENTORY_ROOT, INVENTORY_SCHEMA);
    await updateBucketSetting(ctx, bucket.name, 'inventory', (current) => withInventory(current ?? [], id, configuration));
    return emptyReply(200);
  },
});
