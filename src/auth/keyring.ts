// Where authentication finds a SecretId's secret and the principal it stands for.
import type { Principal } from '../domain/identity.ts';

export interface KeyEntry {
  secretKey: string;
  principal: Extract<Principal, { kind: 'user' }>;
}

export interface Keyring {
  find(secretId: string): Promise<KeyEntry | undefined>;
}
