// A replication Role's writes into its destination bucket (jobs/replication.ts copying a version, PUT Bucket
// replication checking its destination): decided by authz/decide.ts exactly as a request signed by the
// principal the Role names would be, with the destination's ACL and bucket policy and that principal's user
// policies. COS replicates as the Role; a destination of another account must grant the source's owner
// the write, as in S3 ["the owner of the destination bucket must also grant the source bucket owner
// permissions to store the replicas", https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html].
import type { CosAction } from '../../authz/actions.ts';
import { decide, type BucketFacts, type Decision, type IdentityFacts } from '../../authz/decide.ts';
import type { Caller } from '../../auth/authenticate.ts';
import type { Bucket } from '../../domain/bucket.ts';
import { parseRole } from '../../domain/configs/replication.ts';
import type { Principal } from '../../domain/identity.ts';
import type { MetadataReader } from '../../storage/metadata.ts';
import { bucketFacts, identityFacts } from './facts.ts';
import type { PolicyCache } from './policy-cache.ts';

/** Where the decision's inputs come from: the pipeline's (RequestContext) or the job's own (policies compiled the same way). */
export interface RoleWriteSources {
  readonly reader: MetadataReader;
  bucketFacts(name: string, bucket: Bucket): BucketFacts;
  identityOf(caller: Caller): Promise<IdentityFacts | undefined>;
}

/** The sources outside a request (the replication job's): the store, and the server's compiled policies. */
export const storeSources = (reader: MetadataReader, policies: PolicyCache): RoleWriteSources => ({
  reader,
  bucketFacts: (name, bucket) => bucketFacts(name, bucket, policies),
  identityOf: (caller) => identityFacts(reader, caller, policies),
});

/** Decides one write of the Role into `target` (a key, as PutObject or DeleteObject). */
export type RoleWriter = (target: Bucket, key: string, action: CosAction) => Decision;

/**
 * The decision function for the Role of `source`'s replication configuration, with its principal and user
 * policies read once. A Role of another account than the source bucket's owner, or naming no such
 * sub-account, is denied every write.
 */
export async function roleWriter(sources: RoleWriteSources, role: string, source: Bucket, now: number): Promise<RoleWriter> {
  const principal = await rolePrincipal(sources.reader, role, source.ownerUin);
  if (typeof principal === 'string') return () => ({ effect: 'deny', explicit: false, layer: 'ownership', reason: principal });
  const identity = await sources.identityOf({ principal });
  return (target, key, action) => decide({ principal, action, bucket: sources.bucketFacts(target.name, target), key, now, ...(identity && { identity }) });
}

/** The account or sub-account the Role names, or why it names none the source's owner may replicate as. */
async function rolePrincipal(reader: MetadataReader, role: string, sourceOwnerUin: string): Promise<Principal | string> {
  const named = parseRole(role);
  if (named?.ownerUin !== sourceOwnerUin) return `the Role ${role} is not of uin/${sourceOwnerUin}, the source bucket's owner`;
  const { ownerUin, uin } = named;
  const account = await reader.getAccount(ownerUin);
  const known = uin === ownerUin || (await reader.getSubAccount(uin))?.ownerUin === ownerUin;
  if (!account || !known) return `the Role ${role} names no account or sub-account`;
  // No key signs a job's write; the decision never reads the key id.
  return { kind: 'user', ownerUin, uin, appid: account.appid, secretId: '' };
}
