// POST Bucket inventory (`?inventory&id=`): starts a one-time inventory job, answered with its JobId; the
// inventory job (jobs/inventory.ts) makes its report at its next run [doc: POST Bucket inventory, https://cloud.tencent.com/document/product/436/83382].
import { randomBytes } from 'node:crypto';
import { INVENTORY_ROOT, inventoryId, ONE_TIME_INVENTORY_SCHEMA, withInventoryJob } from '../domain/configs/inventory.ts';
import { decodeBucketConfig, encodeBucketConfig } from '../domain/bucket-config.ts';
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { readConfigBody } from './common/config-document.ts';
import { defineOperation } from './operation.ts';

export const postBucketInventory = defineOperation({
  id: 'PostBucketInventory',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const id = inventoryId(ctx.params);
    const configuration = await readConfigBody(ctx, INVENTORY_ROOT, ONE_TIME_INVENTORY_SCHEMA);
    const jobId = randomBytes(16).toString('base64');
    // The periodic configurations and the jobs are read and the job added in one transaction, so two
    // requests with one id cannot both start a job.
    const stored = await ctx.meta.tx(async (tx) => {
      const read = async (kind: 'inventory' | 'inventoryJobs') => {
        const text = await tx.getBucketConfig(bucket.name, kind);
        return text === undefined ? [] : decodeBucketConfig(kind, text);
      };
      const jobs = withInventoryJob(await read('inventoryJobs'), await read('inventory'), { id, configuration, jobId, now: ctx.now });
      return tx.putBucketConfig(bucket.name, 'inventoryJobs', encodeBucketConfig('inventoryJobs', jobs));
    });
    if (!stored) throw cosError('NoSuchBucket');
    return xmlReply(renderXml('PostInventoryResult', { JobId: jobId }));
  },
});
