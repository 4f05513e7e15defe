// The buckets a job walks, in name order: every account's.
import type { MetadataReader } from '../storage/metadata.ts';

export async function allBucketNames(meta: MetadataReader): Promise<string[]> {
  const names: string[] = [];
  for (const account of await meta.listAccounts()) names.push(...(await meta.listBuckets(account.uin)).map((b) => b.name));
  return names.sort();
}
