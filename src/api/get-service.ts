// GET Service: the caller's buckets (ListAllMyBucketsResult), filtered by region, tag and creation time, in pages.
import type { BucketRecord } from '../domain/bucket.ts';
import { camId } from '../domain/identity.ts';
import { endpointServes } from '../domain/region.ts';
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import type { MetadataReader } from '../storage/metadata.ts';
import { intParam } from './common/params.ts';
import { isoSeconds } from './common/xml-shapes.ts';
import { defineOperation } from './operation.ts';

/** "Default 2000, at most 2000" [doc: GET Service, max-keys]. */
const MAX_KEYS = 2000;

const RANGES = {
  lt: (created: number, at: number) => created < at,
  gt: (created: number, at: number) => created > at,
  lte: (created: number, at: number) => created <= at,
  gte: (created: number, at: number) => created >= at,
} as const;

/**
 * `create-time` (Unix seconds) with `range` lt/gt/lte/gte, which COS takes only together [doc: GET
 * Service]; undefined without them. Compared in whole seconds, as the listing shows creation times.
 */
function createdFilter(params: ReadonlyMap<string, string>): ((bucket: BucketRecord) => boolean) | undefined {
  const at = params.get('create-time');
  const range = params.get('range');
  if (at === undefined && range === undefined) return undefined;
  if (at === undefined || !/^\d{1,12}$/.test(at)) throw cosError('InvalidArgument', { message: `Invalid create-time: ${at ?? '(none)'}` });
  if (range === undefined || !Object.hasOwn(RANGES, range)) throw cosError('InvalidArgument', { message: `Invalid range: ${range ?? '(none)'}` });
  const compare = RANGES[range as keyof typeof RANGES];
  return (bucket) => compare(Math.floor(bucket.createdAt / 1000), Number(at));
}

/**
 * `tagkey` (and `tagvalue`): the buckets one of whose tags is that one; COS filters by one tag [doc: GET
 * Service]. Tags are read only when asked for.
 */
async function tagFilter(params: ReadonlyMap<string, string>, meta: MetadataReader, buckets: BucketRecord[]): Promise<BucketRecord[]> {
  const key = params.get('tagkey');
  if (key === undefined) return buckets;
  const value = params.get('tagvalue');
  const tagged = await Promise.all(
    buckets.map(async (b) => ((await meta.getBucket(b.name))?.tagging ?? []).some((tag) => tag.key === key && (value === undefined || tag.value === value))),
  );
  return buckets.filter((_, i) => tagged[i]);
}

export const getService = defineOperation({
  id: 'GetService',
  authorize: 'self',
  needs: { bucket: 'optional' },
  async run(ctx) {
    const allowedBy = ctx.authorize({ action: 'name/cos:GetService' });
    const principal = ctx.principal;
    // authorize() admits only signed callers; the check narrows the type.
    if (principal.kind !== 'user') throw cosError('AccessDenied');
    const created = createdFilter(ctx.params);
    const maxKeys = intParam(ctx.params, 'max-keys', MAX_KEYS, 1, MAX_KEYS);
    const marker = ctx.params.get('marker') ?? '';
    // One region's buckets on that region's endpoint `cos.<region>.<domain>`, or with `?region=`; every
    // region's on `service.cos.<domain>` or any host naming none [doc: GET Service].
    const region = ctx.params.get('region') || ctx.route.region;
    // In name order (listBuckets), which is the UTF-8 order `marker` counts in: names are ASCII.
    const listed = (await ctx.meta.listBuckets(principal.ownerUin)).filter(
      (b) => endpointServes(region, b.region) && b.name > marker && (created === undefined || created(b)),
    );
    const matching = await tagFilter(ctx.params, ctx.meta, listed);
    const buckets = matching.slice(0, maxKeys);
    const truncated = matching.length > maxKeys;
    const owner = camId(principal.ownerUin, principal.ownerUin);
    const xml = renderXml('ListAllMyBucketsResult', {
      Owner: { ID: owner, DisplayName: principal.ownerUin },
      Buckets: {
        Bucket: buckets.map((b) => ({ Name: b.name, Location: b.region, CreationDate: isoSeconds(b.createdAt), BucketType: 'cos' })),
      },
      Marker: marker,
      IsTruncated: String(truncated),
      NextMarker: truncated ? buckets.at(-1)?.name : undefined,
    });
    return { ...xmlReply(xml), allowedBy };
  },
});
