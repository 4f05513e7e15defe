// The bucket's inventory configurations, read and replaced as one document (domain/configs/inventory.ts).
import type { Bucket } from '../../domain/bucket.ts';
import type { ConfigTree } from '../../domain/config-schema.ts';
import { inventoryId } from '../../domain/configs/inventory.ts';
import { cosError } from '../../errors/cos-error.ts';
import type { RequestContext } from '../operation.ts';

/** The configuration the request's `id` names; 404 InventoryConfigurationNotFoundError when there is none. */
export function requireInventory(ctx: RequestContext, bucket: Bucket): ConfigTree {
  const id = inventoryId(ctx.params);
  const found = (bucket.inventory ?? []).find((item) => item['Id'] === id);
  if (!found) throw cosError('InventoryConfigurationNotFoundError');
  return found;
}
