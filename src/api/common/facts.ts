// Builds the facts the decision module needs from what the pipeline loaded.
import type { BucketFacts, IdentityFacts, ObjectFacts } from '../../authz/decide.ts';
import type { Caller } from '../../auth/authenticate.ts';
import { bucketAppid, type Bucket } from '../../domain/bucket.ts';
import { refererRuleOf } from '../../domain/configs/referer.ts';
import { isRoot } from '../../domain/identity.ts';
import type { ObjectVersion } from '../../domain/object.ts';
import { tagConditionValues } from '../../domain/tagging.ts';
import type { MetadataReader } from '../../storage/metadata.ts';
import type { PolicyCache } from './policy-cache.ts';

export function bucketFacts(name: string, bucket: Bucket | undefined, policies: PolicyCache): BucketFacts {
  const referer = bucket?.referer && refererRuleOf(bucket.referer);
  return {
    name,
    region: bucket?.region ?? '',
    appid: bucketAppid(name),
    ownerUin: bucket?.ownerUin,
    acl: bucket?.acl,
    policy: bucket && policies.bucket(bucket),
    ...(referer && { referer }),
  };
}

/** An existing object version's ACL and tags; a missing one or a delete marker contributes none (the bucket ACL decides). */
export const objectFacts = (object: ObjectVersion | undefined): { object?: ObjectFacts } =>
  object && !object.deleteMarker ? { object: { acl: object.acl, ...(object.tags && { tags: tagConditionValues(object.tags) }) } } : {};

/**
 * A sub-account's user policies (read on every request, so a policy attached by the CLI applies at
 * once) and a temporary key's session policy; undefined when there are neither.
 */
export async function identityFacts(meta: MetadataReader, caller: Caller, policies: PolicyCache): Promise<IdentityFacts | undefined> {
  const p = caller.principal;
  const userPolicies = p.kind === 'user' && !isRoot(p) ? policies.user(await meta.listUserPolicies(p.uin)) : [];
  if (userPolicies.length === 0 && !caller.sessionPolicy) return undefined;
  return { userPolicies, ...(caller.sessionPolicy && { sessionPolicy: caller.sessionPolicy }) };
}
