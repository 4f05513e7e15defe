// Where authentication finds a SecretId's secret and the principal it stands for.
import type { CompiledPolicy } from '../authz/policy/compile.ts';
import type { Principal } from '../domain/identity.ts';

/** What makes a key temporary, as authentication and authorization need it (session policy compiled once). */
export interface TemporaryKey {
  token: string;
  /** Epoch seconds. */
  expiresAt: number;
  sessionPolicy: CompiledPolicy | undefined;
}

export interface KeyEntry {
  secretKey: string;
  principal: Extract<Principal, { kind: 'user' }>;
  temporary?: TemporaryKey;
}

export interface Keyring {
  find(secretId: string): Promise<KeyEntry | undefined>;
}
