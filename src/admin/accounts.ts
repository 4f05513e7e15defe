// Account administration shared by the server's start-up and the CLI: default account, new accounts and keys.
import type { Account, Credential } from '../domain/identity.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import { newSecretId, newSecretKey } from './keys.ts';

export const DEFAULT_ACCOUNT: Account = { uin: '100000000001', appid: '1250000000', name: 'default' };

/**
 * The default root account and the key to show for it. A configured pair (COSLOCAL_SECRET_ID/COSLOCAL_SECRET_KEY,
 * or the seed's) is (re)registered; otherwise an existing key is kept, or one is generated once and persisted.
 */
export async function ensureDefaultAccount(meta: MetadataStore, configured: { secretId?: string | undefined; secretKey?: string | undefined }): Promise<Credential> {
  return meta.tx(async (tx) => {
    if (!(await tx.getAccount(DEFAULT_ACCOUNT.uin))) await tx.putAccount(DEFAULT_ACCOUNT);
    if (configured.secretId && configured.secretKey) {
      const credential = { secretId: configured.secretId, secretKey: configured.secretKey, ownerUin: DEFAULT_ACCOUNT.uin, uin: DEFAULT_ACCOUNT.uin };
      await tx.putCredential(credential);
      return credential;
    }
    const [existing] = await tx.listCredentials(DEFAULT_ACCOUNT.uin);
    if (existing) return existing;
    const credential = { secretId: newSecretId(), secretKey: newSecretKey(), ownerUin: DEFAULT_ACCOUNT.uin, uin: DEFAULT_ACCOUNT.uin };
    await tx.putCredential(credential);
    return credential;
  });
}

export async function createAccount(meta: MetadataStore, account: Account): Promise<Credential> {
  return meta.tx(async (tx) => {
    if (await tx.getAccount(account.uin)) throw new Error(`account ${account.uin} already exists`);
    await tx.putAccount(account);
    const credential = { secretId: newSecretId(), secretKey: newSecretKey(), ownerUin: account.uin, uin: account.uin };
    await tx.putCredential(credential);
    return credential;
  });
}

export async function createSubAccount(meta: MetadataStore, ownerUin: string, uin: string, name: string): Promise<Credential> {
  return meta.tx(async (tx) => {
    if (!(await tx.getAccount(ownerUin))) throw new Error(`no root account ${ownerUin}`);
    await tx.putSubAccount({ ownerUin, uin, name });
    const credential = { secretId: newSecretId(), secretKey: newSecretKey(), ownerUin, uin };
    await tx.putCredential(credential);
    return credential;
  });
}

/** A new key for an existing root account or sub-account (`ownerUin` is the root's uin for both). */
export async function createKey(meta: MetadataStore, ownerUin: string, uin: string): Promise<Credential> {
  return meta.tx(async (tx) => {
    if (!(await tx.getAccount(ownerUin))) throw new Error(`no root account ${ownerUin}`);
    if (uin !== ownerUin && !(await tx.listSubAccounts(ownerUin)).some((s) => s.uin === uin)) {
      throw new Error(`no sub-account ${uin} under ${ownerUin}`);
    }
    const credential = { secretId: newSecretId(), secretKey: newSecretKey(), ownerUin, uin };
    await tx.putCredential(credential);
    return credential;
  });
}
