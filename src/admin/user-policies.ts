// Attaching CAM user policies to sub-accounts (CLI, seed): validated and size-checked once, when written.
import { compileCappedPolicy } from '../authz/policy/compile.ts';
import type { UserPolicy } from '../domain/identity.ts';
import type { MetadataTx } from '../storage/metadata.ts';

/** Attaches (or replaces) the named policy of sub-account `uin` under root `ownerUin`. */
export async function attachUserPolicy(tx: MetadataTx, ownerUin: string, policy: UserPolicy): Promise<void> {
  const sub = await tx.getSubAccount(policy.uin);
  if (!sub || sub.ownerUin !== ownerUin) throw new Error(`no sub-account ${policy.uin} under ${ownerUin}`);
  if (!/^[\w.@+=,-]{1,128}$/.test(policy.name)) throw new Error(`policy name ${JSON.stringify(policy.name)}: 1-128 of letters, digits and _.@+=,-`);
  compileCappedPolicy(policy.document, 'user');
  await tx.putUserPolicy(policy);
}
