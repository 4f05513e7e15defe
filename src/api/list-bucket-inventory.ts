// List Bucket inventory (`GET /?inventory`): the configurations in the order they were made, 100 a page;
// the next page starts after the configuration whose Id is `continuation-token` [doc: List Bucket Inventory Configurations].
import { invalidArgument } from '../domain/config-schema.ts';
import { INVENTORY_ROOT } from '../domain/configs/inventory.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { defineOperation } from './operation.ts';

const PAGE = 100;

export const listBucketInventory = defineOperation({
  id: 'ListBucketInventory',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    // An empty token is none: cos-python-sdk-v5 sends one for the first page.
    const token = ctx.params.get('continuation-token') || undefined;
    const all = bucket.inventory ?? [];
    const from = token === undefined ? 0 : all.findIndex((item) => item['Id'] === token) + 1;
    // The token is the last Id of the previous page; a configuration deleted since cannot place the next one.
    if (from === 0 && token !== undefined) throw invalidArgument('The continuation-token names no inventory configuration');
    const after = all.slice(from);
    const page = after.slice(0, PAGE);
    const truncated = after.length > PAGE;
    const last = page.at(-1);
    return xmlReply(
      renderXml('ListInventoryConfigurationResult', {
        [INVENTORY_ROOT]: page,
        IsTruncated: String(truncated),
        ContinuationToken: token,
        NextContinuationToken: truncated && last ? String(last['Id']) : undefined,
      }),
    );
  },
});
