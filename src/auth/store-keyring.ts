// A Keyring over the metadata store: a SecretId's secret and the principal (with its root account's APPID).
import type { MetadataReader } from '../storage/metadata.ts';
import type { KeyEntry, Keyring } from './keyring.ts';

/**
 * Found keys are remembered: keys are only ever added (by the seed or the CLI), so a hit stays
 * valid, while a miss is looked up again and a key added by the CLI works at once.
 */
export function storeKeyring(meta: MetadataReader): Keyring {
  const known = new Map<string, KeyEntry>();
  return {
    async find(secretId: string): Promise<KeyEntry | undefined> {
      const cached = known.get(secretId);
      if (cached) return cached;
      const credential = await meta.getCredential(secretId);
      if (!credential) return undefined;
      const account = await meta.getAccount(credential.ownerUin);
      if (!account) return undefined;
      const entry: KeyEntry = {
        secretKey: credential.secretKey,
        principal: { kind: 'user', ownerUin: credential.ownerUin, uin: credential.uin, appid: account.appid, secretId },
      };
      known.set(secretId, entry);
      return entry;
    },
  };
}
