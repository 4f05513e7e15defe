// Builds the facts the decision module needs from what the operation loaded.
import type { BucketFacts, ObjectFacts } from '../../authz/decide.ts';
import { bucketAppid, type Bucket } from '../../domain/bucket.ts';
import type { ObjectRecord } from '../../domain/object.ts';
import type { PolicyCache } from './policy-cache.ts';

export const bucketFacts = (name: string, bucket: Bucket | undefined, policies: PolicyCache): BucketFacts => ({
  name,
  region: bucket?.region ?? '',
  appid: bucketAppid(name),
  ownerUin: bucket?.ownerUin,
  acl: bucket?.acl,
  policy: bucket && policies.compiled(bucket),
});

/** An existing object's ACL facts; a missing object contributes none (the bucket ACL decides). */
export const objectFacts = (object: ObjectRecord | undefined): { object?: ObjectFacts } => (object ? { object: { acl: object.acl } } : {});
