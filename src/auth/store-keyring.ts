// A Keyring over the metadata store: a SecretId's secret and the principal (with its root account's APPID).
import { compilePolicy } from '../authz/policy/compile.ts';
import type { MetadataReader } from '../storage/metadata.ts';
import type { KeyEntry, Keyring } from './keyring.ts';

/**
 * Found keys are remembered: keys are only ever added (by the seed, the CLI or the admin endpoint) and
 * never changed, so a hit stays valid, while a miss is looked up again and a key added by the CLI works
 * at once. A temporary key's session policy is compiled here, once.
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
      const t = credential.temporary;
      const entry: KeyEntry = {
        secretKey: credential.secretKey,
        principal: { kind: 'user', ownerUin: credential.ownerUin, uin: credential.uin, appid: account.appid, secretId },
        // Session policies were validated when the key was issued, so this compile succeeds.
        ...(t && { temporary: { token: t.token, expiresAt: t.expiresAt, sessionPolicy: t.policy === undefined ? undefined : compilePolicy(t.policy, 'session') } }),
      };
      known.set(secretId, entry);
      return entry;
    },
  };
}
