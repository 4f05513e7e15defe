// Reset for test isolation: the store emptied and seeded again in one transaction, as a fresh start
// with the same seed and default key would leave it.
import type { Credential } from '../domain/identity.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import { DEFAULT_ACCOUNT } from './accounts.ts';
import { writeSeed, type Seed } from './seed.ts';

export interface ResetPlan {
  /** The key the server started with (the banner's): it stays valid across resets. */
  defaultCredential: Credential;
  seed: Seed | undefined;
  region: string;
}

/**
 * Removes every bucket, object, upload and identity, then puts back the default account with its key
 * and the seed. Returns the blobs handed to the collector (the caller asks it to collect them).
 */
export async function resetStore(meta: MetadataStore, plan: ResetPlan, now: number): Promise<string[]> {
  return meta.tx(async (tx) => {
    const freed = await tx.clearAll();
    await tx.putAccount(DEFAULT_ACCOUNT);
    await tx.putCredential(plan.defaultCredential);
    if (plan.seed) await writeSeed(tx, plan.seed, plan.region, now);
    return freed;
  });
}
