// Accounts, sub-accounts, keys and user policies of the in-memory metadata store (memory-metadata.ts), its
// writes undone on rollback like the rest.
import type { Account, Credential, SubAccount, UserPolicy } from '../../domain/identity.ts';
import type { UndoLog } from './undo-log.ts';
import { compareUtf8 } from './utf8-order.ts';

function copyCredential(c: Credential): Credential {
  return { ...c, ...(c.temporary && { temporary: { ...c.temporary } }) };
}

export class MemoryIdentities {
  readonly #undo: UndoLog;
  readonly #accounts = new Map<string, Account>();
  readonly #subAccounts = new Map<string, SubAccount>();
  readonly #credentials = new Map<string, Credential>();
  #credentialsVersion = 0;
  /** By sub-account uin, then policy name. */
  readonly #userPolicies = new Map<string, Map<string, string>>();

  constructor(undo: UndoLog) {
    this.#undo = undo;
  }

  async getCredential(secretId: string): Promise<Credential | undefined> {
    const credential = this.#credentials.get(secretId);
    return credential && copyCredential(credential);
  }

  async credentialsVersion(): Promise<number> {
    return this.#credentialsVersion;
  }

  async listCredentials(uin: string): Promise<Credential[]> {
    return [...this.#credentials.values()]
      .filter((c) => c.uin === uin && c.temporary === undefined)
      .sort((a, b) => compareUtf8(a.secretId, b.secretId))
      .map(copyCredential);
  }

  async getAccount(uin: string): Promise<Account | undefined> {
    const account = this.#accounts.get(uin);
    return account && { ...account };
  }

  async listAccounts(): Promise<Account[]> {
    return [...this.#accounts.values()].sort((a, b) => compareUtf8(a.uin, b.uin)).map((a) => ({ ...a }));
  }

  async getSubAccount(uin: string): Promise<SubAccount | undefined> {
    const sub = this.#subAccounts.get(uin);
    return sub && { ...sub };
  }

  async listSubAccounts(ownerUin: string): Promise<SubAccount[]> {
    return [...this.#subAccounts.values()]
      .filter((s) => s.ownerUin === ownerUin)
      .sort((a, b) => compareUtf8(a.uin, b.uin))
      .map((s) => ({ ...s }));
  }

  async listUserPolicies(uin: string): Promise<UserPolicy[]> {
    const policies = [...(this.#userPolicies.get(uin) ?? new Map<string, string>())];
    return policies.sort(([a], [b]) => compareUtf8(a, b)).map(([name, document]) => ({ uin, name, document }));
  }

  /** An existing account keeps its appid (the SQLite upsert updates the name only). */
  async putAccount(account: Account): Promise<void> {
    const existing = this.#accounts.get(account.uin);
    if (!existing && [...this.#accounts.values()].some((a) => a.appid === account.appid)) {
      throw new Error(`appid ${account.appid} belongs to another account`);
    }
    this.#undo.set(this.#accounts, account.uin, { ...(existing ?? account), name: account.name });
  }

  async putSubAccount(sub: SubAccount): Promise<void> {
    const existing = this.#subAccounts.get(sub.uin);
    if (!existing) this.requireAccount(sub.ownerUin);
    this.#undo.set(this.#subAccounts, sub.uin, { ...(existing ?? sub), name: sub.name });
  }

  /** An existing key gets the new secret and keeps the rest (the SQLite upsert). */
  async putCredential(credential: Credential): Promise<void> {
    const existing = this.#credentials.get(credential.secretId);
    if (existing) {
      this.#undo.set(this.#credentials, credential.secretId, { ...existing, secretKey: credential.secretKey });
      this.#credentialsChanged();
      return;
    }
    this.requireAccount(credential.ownerUin);
    this.#undo.set(this.#credentials, credential.secretId, copyCredential(credential));
  }

  async deleteCredential(secretId: string): Promise<boolean> {
    if (this.#undo.delete(this.#credentials, secretId) === undefined) return false;
    this.#credentialsChanged();
    return true;
  }

  async deleteExpiredCredentials(before: number): Promise<number> {
    const expired = [...this.#credentials.values()].filter((c) => c.temporary !== undefined && c.temporary.expiresAt < before);
    for (const credential of expired) await this.deleteCredential(credential.secretId);
    return expired.length;
  }

  async putUserPolicy(policy: UserPolicy): Promise<void> {
    if (!this.#subAccounts.has(policy.uin)) throw new Error(`no sub-account ${policy.uin}`);
    let policies = this.#userPolicies.get(policy.uin);
    if (!policies) {
      policies = new Map();
      this.#undo.set(this.#userPolicies, policy.uin, policies);
    }
    this.#undo.set(policies, policy.name, policy.document);
  }

  async deleteUserPolicy(uin: string, name: string): Promise<boolean> {
    const policies = this.#userPolicies.get(uin);
    return policies !== undefined && this.#undo.delete(policies, name) !== undefined;
  }

  /** Removes every account, sub-account, key and user policy (MetadataTx.clearAll). */
  clear(): void {
    for (const secretId of [...this.#credentials.keys()]) this.#undo.delete(this.#credentials, secretId);
    this.#credentialsChanged();
    for (const uin of [...this.#userPolicies.keys()]) this.#undo.delete(this.#userPolicies, uin);
    for (const uin of [...this.#subAccounts.keys()]) this.#undo.delete(this.#subAccounts, uin);
    for (const uin of [...this.#accounts.keys()]) this.#undo.delete(this.#accounts, uin);
  }

  /** Every removed or changed key moves the version, as the SQLite triggers do (migration 11). */
  #credentialsChanged(): void {
    const previous = this.#credentialsVersion;
    this.#credentialsVersion = previous + 1;
    this.#undo.push(() => (this.#credentialsVersion = previous));
  }

  requireAccount(uin: string): void {
    if (!this.#accounts.has(uin)) throw new Error(`no account ${uin}`);
  }
}
