// Attaching CAM user policies to sub-accounts (CLI, seed): validated and size-checked once, when written.
import { compilePolicy, MAX_POLICY_BYTES } from '../authz/policy/compile.ts';
import type { UserPolicy } from '../domain/identity.ts';
import type { MetadataTx } from '../storage/metadata.ts';

/** Throws (with the policy engine's message naming what is wrong) unless `document` is a valid user policy. */
export function checkUserPolicy(document: string): void {
  if (Buffer.byteLength(document) > MAX_POLICY_BYTES) throw new Error(`the policy is larger than ${MAX_POLICY_BYTES} bytes`);
  compilePolicy(document, 'user');
}

/** Attaches (or replaces) the named policy of sub-account `uin` under root `ownerUin`. */
export async function attachUserPolicy(tx: MetadataTx, ownerUin: string, policy: UserPolicy): Promise<void> {
  const sub = await tx.getSubAccount(policy.uin);
  if (!sub || sub.ownerUin !== ownerUin) throw new Error(`no sub-account ${policy.uin} under ${ownerUin}`);
  if (!/^[\w.@+=,-]{1,128}$/.test(policy.name)) throw new Error(`policy name ${JSON.stringify(policy.name)}: 1-128 of letters, digits and _.@+=,-`);
  checkUserPolicy(policy.document);
  await tx.putUserPolicy(policy);
}
