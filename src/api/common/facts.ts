// Builds the bucket facts the decision module needs from what the operation loaded.
import type { BucketFacts } from '../../authz/decide.ts';
import { bucketAppid, type Bucket } from '../../domain/bucket.ts';

export const bucketFacts = (name: string, bucket: Bucket | undefined): BucketFacts => ({
  name,
  appid: bucketAppid(name),
  ownerUin: bucket?.ownerUin,
});
