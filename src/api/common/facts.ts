// Builds the bucket facts the decision module needs from what the operation loaded.
import type { BucketFacts, ObjectFacts } from '../../authz/decide.ts';
import type { ObjectRecord } from '../../domain/object.ts';
import { bucketAppid, type Bucket } from '../../domain/bucket.ts';

export const bucketFacts = (name: string, bucket: Bucket | undefined): BucketFacts => ({
  name,
  appid: bucketAppid(name),
  ownerUin: bucket?.ownerUin,
  acl: bucket?.acl,
});

/** An existing object's ACL facts; a missing object contributes none (the bucket ACL decides). */
export const objectFacts = (object: ObjectRecord | undefined): { object?: ObjectFacts } => (object ? { object: { acl: object.acl } } : {});
