// The bucket's inventory configurations, read and changed as one document (domain/configs/inventory.ts).
import type { Bucket } from '../../domain/bucket.ts';
import type { ConfigTree } from '../../domain/config-schema.ts';
import { inventoryId } from '../../domain/configs/inventory.ts';
import { cosError } from '../../errors/cos-error.ts';

const notFound = () => cosError('InventoryConfigurationNotFoundError');

/** The configuration with this id; 404 InventoryConfigurationNotFoundError when there is none. */
export function findInventory(inventory: readonly ConfigTree[] | undefined, id: string): ConfigTree {
  const found = (inventory ?? []).find((item) => item['Id'] === id);
  if (!found) throw notFound();
  return found;
}

/** The configuration the request's `id` names, from the bucket as loaded. */
export const requireInventory = (params: ReadonlyMap<string, string>, bucket: Bucket): ConfigTree => findInventory(bucket.inventory, inventoryId(params));

/** The configurations without the one with this id (404 if it is not there); undefined when none is left. */
export function withoutInventory(inventory: readonly ConfigTree[] | undefined, id: string): ConfigTree[] | undefined {
  const gone = findInventory(inventory, id);
  const rest = (inventory ?? []).filter((item) => item !== gone);
  return rest.length > 0 ? rest : undefined;
}
