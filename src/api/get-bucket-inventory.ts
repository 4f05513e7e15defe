// GET Bucket inventory (`?inventory&id=`): the configuration with that Id, as stored.
import { INVENTORY_ROOT } from '../domain/configs/inventory.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { requireInventory } from './common/inventory-store.ts';
import { defineOperation } from './operation.ts';

export const getBucketInventory = defineOperation({
  id: 'GetBucketInventory',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    return xmlReply(renderXml(INVENTORY_ROOT, requireInventory(ctx.params, bucket)));
  },
});
