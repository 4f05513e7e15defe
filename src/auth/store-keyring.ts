// A Keyring over the metadata store: a SecretId's secret and the principal (with its root account's APPID).
import type { MetadataReader } from '../storage/metadata.ts';
import type { KeyEntry, Keyring } from './keyring.ts';

export function storeKeyring(meta: MetadataReader): Keyring {
  return {
    async find(secretId: string): Promise<KeyEntry | undefined> {
      const credential = await meta.getCredential(secretId);
      if (!credential) return undefined;
      const account = await meta.getAccount(credential.ownerUin);
      if (!account) return undefined;
      return {
        secretKey: credential.secretKey,
        principal: { kind: 'user', ownerUin: credential.ownerUin, uin: credential.uin, appid: account.appid, secretId },
      };
    },
  };
}
