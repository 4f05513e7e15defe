// PUT Bucket: creates a bucket owned by the caller's root account, in the region of the endpoint it was sent to.
import { checkBucketName, type Bucket } from '../domain/bucket.ts';
import { encodeBucketConfig } from '../domain/bucket-config.ts';
import { ACCELERATE, isRegionName } from '../domain/region.ts';
import { cosError } from '../errors/cos-error.ts';
import type { CosErrorCode } from '../errors/catalogue.ts';
import { emptyReply } from '../http/respond.ts';
import { readSmallBody } from '../http/small-body.ts';
import { parseXml, textOf } from '../http/xml.ts';
import { aclFromHeaders } from './common/acl-io.ts';
import { defineOperation, type RequestContext } from './operation.ts';

/** COS allows 200 buckets per root account [doc]. */
export const MAX_BUCKETS_PER_ACCOUNT = 200;

/** S3's `<CreateBucketConfiguration><LocationConstraint>`, if the body has one; empty means none. */
function locationConstraint(body: Buffer): string | undefined {
  // COS's own CreateBucketConfiguration (BucketAZConfig ...) has no effect here, but must be well-formed.
  if (body.length === 0) return undefined;
  const config = parseXml(body.toString('utf8'))['CreateBucketConfiguration'];
  const constraint = config && typeof config === 'object' ? textOf((config as Record<string, unknown>)['LocationConstraint']) : undefined;
  return constraint === '' ? undefined : constraint;
}

/**
 * A bucket's region is fixed at creation [doc: Bucket Overview]: the region of the endpoint that
 * created it. A host naming no region (path style on an IP, as S3 tools are set up here) takes S3's
 * LocationConstraint, which awscli `mb --region`, s3cmd's bucket_location and boto3 send, and then
 * the server's --region. The SigV4 credential scope does not choose it: S3 does not either, and many
 * clients sign with a default region (us-east-1).
 */
function newBucketRegion(ctx: RequestContext, body: Buffer): string {
  const hostRegion = ctx.route.region;
  if (hostRegion === ACCELERATE) throw cosError('ActionAccelerateNotSupported', { detail: 'PUT Bucket on the acceleration endpoint' });
  if (hostRegion !== undefined && !isRegionName(hostRegion)) throw cosError('InvalidRegionName', { detail: `no region ${hostRegion}` });
  const constraint = locationConstraint(body);
  if (constraint !== undefined && (!isRegionName(constraint) || (hostRegion !== undefined && constraint !== hostRegion))) {
    throw cosError('InvalidLocationConstraint', { detail: `LocationConstraint ${constraint} on the endpoint of ${hostRegion ?? 'no region'}` });
  }
  return hostRegion ?? constraint ?? ctx.region;
}

/** Why a name cannot be created again: it is yours (here, or in another region), or someone else's. */
function alreadyExists(existing: Bucket, ownerUin: string, region: string): CosErrorCode {
  if (existing.ownerUin !== ownerUin) return 'BucketAlreadyExists';
  return existing.region === region ? 'BucketAlreadyOwnedByYou' : 'BucketAlreadyExistsDiffRegion';
}

export const putBucket = defineOperation({
  id: 'PutBucket',
  authorize: 'route',
  needs: { bucket: 'optional' },
  async run(ctx) {
    const name = ctx.route.bucket ?? '';
    const region = newBucketRegion(ctx, await readSmallBody(ctx.body, ctx.headers));
    checkBucketName(name);
    if (ctx.principal.kind !== 'user') throw cosError('AccessDenied');
    const ownerUin = ctx.principal.ownerUin;
    const choice = aclFromHeaders(ctx.headers, 'bucket', ownerUin, ctx.dialect);
    const acl = choice?.kind === 'acl' ? choice.acl : undefined;
    await ctx.meta.tx(async (tx) => {
      const existing = await tx.getBucket(name);
      if (existing) throw cosError(alreadyExists(existing, ownerUin, region));
      // Count then insert in one transaction: tx() is serializable (storage/metadata.ts), so concurrent creations cannot pass the limit.
      if ((await tx.countBuckets(ownerUin)) >= MAX_BUCKETS_PER_ACCOUNT) throw cosError('TooManyBuckets');
      await tx.insertBucket({ name, ownerUin, region, createdAt: ctx.now });
      if (acl) await tx.putBucketConfig(name, 'acl', encodeBucketConfig('acl', acl));
    });
    return emptyReply(200, { location: `/${name}` });
  },
});
