// PUT Bucket: creates a bucket owned by the caller's root account.
import { checkBucketName } from '../domain/bucket.ts';
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { readSmallBody } from '../http/small-body.ts';
import { parseXml } from '../http/xml.ts';
import { aclFromHeaders } from './common/acl-io.ts';
import { defineOperation } from './operation.ts';

/** COS allows 200 buckets per root account [doc]. */
export const MAX_BUCKETS_PER_ACCOUNT = 200;

export const putBucket = defineOperation({
  id: 'PutBucket',
  authorize: 'route',
  needsBucket: false,
  async run(ctx, bucket) {
    const name = ctx.route.bucket ?? '';
    checkBucketName(name);
    const body = await readSmallBody(ctx.body, ctx.headers);
    // The optional CreateBucketConfiguration (AZ type) has no effect here, but must be well-formed.
    if (body.length > 0) parseXml(body.toString('utf8'));
    if (ctx.principal.kind !== 'user') throw cosError('AccessDenied');
    const ownerUin = ctx.principal.ownerUin;
    const choice = aclFromHeaders(ctx.headers, 'bucket', ownerUin);
    const acl = choice?.kind === 'acl' ? choice.acl : undefined;
    if (bucket) throw cosError(bucket.ownerUin === ownerUin ? 'BucketAlreadyOwnedByYou' : 'BucketAlreadyExists');
    await ctx.meta.tx(async (tx) => {
      if (await tx.getBucket(name)) throw cosError('BucketAlreadyOwnedByYou');
      if ((await tx.countBuckets(ownerUin)) >= MAX_BUCKETS_PER_ACCOUNT) throw cosError('TooManyBuckets');
      await tx.insertBucket({ name, ownerUin, region: ctx.region, createdAt: ctx.now, acl, policy: undefined, cors: undefined });
    });
    return emptyReply(200, { location: `/${name}` });
  },
});
