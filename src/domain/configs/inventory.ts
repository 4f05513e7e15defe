// Inventory (PUT/GET/DELETE/List Bucket inventory): up to 1000 configurations per bucket, each named by
// its Id, validated and stored; jobs/inventory.ts makes the reports.
// [doc: PUT Bucket inventory, https://cloud.tencent.com/document/product/436/33707]
import { cosError } from '../../errors/cos-error.ts';
import { childOf, group, invalidArgument, oneOf, optional, repeated, required, text, type ConfigTree, type GroupRule } from '../config-schema.ts';

export const INVENTORY_ROOT = 'InventoryConfiguration';
/** "Up to 1000 inventory configurations per bucket" [doc]. */
export const MAX_INVENTORIES = 1000;
/** "Letters, digits, -, _ and ., up to 64 characters" [doc]. */
const INVENTORY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const FIELDS = /^(Size|LastModifiedDate|ETag|StorageClass|IsMultipartUploaded|ReplicationStatus|Tag|Crc64|x-cos-meta-.+)$/;

export const INVENTORY_SCHEMA = group(
  required('Id', text({ pattern: INVENTORY_ID, error: 'InvalidArgument' })),
  // cos-python-sdk-v5's documented put_bucket_inventory example sends `True` and `<SSECOS/>`.
  required('IsEnabled', { values: ['true', 'false'], anyCase: true }),
  required(
    'Destination',
    group(
      required(
        'COSBucketDestination',
        group(
          required('Format', oneOf('CSV')),
          optional('AccountId', text({ pattern: /^\d+$/, error: 'InvalidArgument' })),
          required('Bucket', text({ pattern: /^qcs::cos:[a-z0-9-]+::[a-z0-9-]+-\d+$/, error: 'InvalidArgument' })),
          optional('Prefix', text()),
          optional('Encryption', group(optional('SSE-COS', group(), { aliases: ['SSECOS'] }))),
        ),
      ),
    ),
  ),
  required('Schedule', group(required('Frequency', oneOf('Daily', 'Weekly')))),
  optional(
    'Filter',
    group(
      optional('Prefix', text()),
      optional('Period', group(optional('StartTime', text({ pattern: /^\d{1,10}$/, error: 'InvalidArgument' })), optional('EndTime', text({ pattern: /^\d{1,10}$/, error: 'InvalidArgument' })))),
    ),
  ),
  required('IncludedObjectVersions', oneOf('All', 'Current')),
  optional('OptionalFields', group(repeated('Field', text({ pattern: FIELDS, error: 'InvalidArgument' }), 20))),
);

/** The id a request names (`?inventory&id=`); PUT, GET and DELETE need one. */
export function inventoryId(params: ReadonlyMap<string, string>): string {
  const id = params.get('id');
  if (id === undefined || !INVENTORY_ID.test(id)) throw invalidArgument('The inventory id is missing or invalid');
  return id;
}

/**
 * The bucket's configurations with this one added or replaced, in the order they were made: COS lists
 * them so (cos-python-sdk-v5's listing test makes ID-0 ... ID-149 and expects them back in that order,
 * ID-10 after ID-9). A replaced one keeps its place; InventoryFull past the limit.
 */
export function withInventory(current: readonly ConfigTree[], id: string, configuration: ConfigTree): ConfigTree[] {
  if (configuration['Id'] !== id) throw invalidArgument('The Id in the body does not match the id parameter');
  if (current.some((item) => item['Id'] === id)) return current.map((item) => (item['Id'] === id ? configuration : item));
  if (current.length >= MAX_INVENTORIES) throw cosError('InventoryFull');
  return [...current, configuration];
}

/** A one-time job's document (POST Bucket inventory): a configuration without IsEnabled or Schedule [doc]. */
export const ONE_TIME_INVENTORY_SCHEMA: GroupRule = {
  children: INVENTORY_SCHEMA.children.filter((child) => child.name !== 'IsEnabled' && child.name !== 'Schedule'),
};

/** COS refuses a one-time job's id used by another job within a day [doc: POST Bucket inventory]. */
const JOB_ID_REUSE_MS = 86_400_000;

export interface InventoryJobRequest {
  id: string;
  configuration: ConfigTree;
  jobId: string;
  /** Epoch ms. */
  now: number;
}

/**
 * The bucket's one-time inventory jobs with this one added; each is kept as `{ JobId, Created,
 * InventoryConfiguration }` for a day (jobs/inventory.ts makes each one's report once). DuplicateInventoryId for the id of a periodic
 * configuration or of a job made within a day, as COS answers [doc: POST Bucket inventory]; jobs older
 * than that are done on COS and are dropped here.
 */
export function withInventoryJob(jobs: readonly ConfigTree[], periodic: readonly ConfigTree[], job: InventoryJobRequest): ConfigTree[] {
  if (job.configuration['Id'] !== job.id) throw invalidArgument('The Id in the body does not match the id parameter');
  const recent = jobs.filter((item) => job.now - Number(item['Created']) < JOB_ID_REUSE_MS);
  const taken = [...periodic, ...recent.map((item) => childOf(item, INVENTORY_ROOT) ?? {})].some((item) => item['Id'] === job.id);
  if (taken) throw cosError('DuplicateInventoryId');
  if (recent.length >= MAX_INVENTORIES) throw cosError('InventoryFull');
  return [...recent, { JobId: job.jobId, Created: String(job.now), [INVENTORY_ROOT]: job.configuration }];
}
