// List Bucket inventory (`GET /?inventory`): the configurations in Id order, 100 a page; the next page
// starts after the Id in `continuation-token` [doc: List Bucket Inventory Configurations].
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
    const token = ctx.params.get('continuation-token');
    const after = (bucket.inventory ?? []).filter((item) => token === undefined || String(item['Id']) > token);
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
