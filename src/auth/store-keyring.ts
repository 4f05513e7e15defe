// A Keyring over the metadata store: a SecretId's secret and the principal (with its root account's APPID).
import { compilePolicy } from '../authz/policy/compile.ts';
import type { MetadataReader } from '../storage/metadata.ts';
import type { KeyEntry, Keyring } from './keyring.ts';

/** How stale the cache may be: a key revoked by another process (the CLI) is refused within this. */
export const KEY_RECHECK_MS = 250;

/**
 * Found keys are remembered, so a request costs no key look-up. Keys may be revoked (`coslocal keys
 * delete`, by another process), so at most every KEY_RECHECK_MS the store's credentials version is read,
 * and a change drops the whole cache. A miss is always looked up, so a key added by the CLI works at
 * once. A temporary key's session policy is compiled here, once per caching.
 */
export interface StoreKeyring extends Keyring {
  /** The next look-up checks the store's credentials version first (after this process removed keys: a reset). */
  recheck(): void;
}

export function storeKeyring(meta: MetadataReader, recheckMs = KEY_RECHECK_MS): StoreKeyring {
  let known = new Map<string, KeyEntry>();
  let version: number | undefined;
  // Set by a timer, not by reading a clock per request: a clock read costs ~0.35 µs on this kind of VM
  // (no vDSO), as much as the cached look-up itself. The timer is armed only by a check, so an idle
  // server has none pending.
  let due = true;
  /** The check under way: every look-up waits for it, since the cache it reads may be about to go. */
  let checking: Promise<void> | undefined;

  async function dropRevoked(): Promise<void> {
    due = false;
    setTimeout(() => (due = true), recheckMs).unref();
    const current = await meta.credentialsVersion();
    if (current !== version) known = new Map();
    version = current;
  }

  return {
    recheck: () => {
      due = true;
    },
    async find(secretId: string): Promise<KeyEntry | undefined> {
      // The version is read before the key, and the entry goes into the cache of that version: a key
      // revoked after the read is dropped by the next check, even if this look-up outlives it.
      if (due) {
        const check = dropRevoked().finally(() => {
          if (checking === check) checking = undefined;
        });
        checking = check;
      }
      if (checking) await checking;
      const cache = known;
      const cached = cache.get(secretId);
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
      cache.set(secretId, entry);
      return entry;
    },
  };
}
