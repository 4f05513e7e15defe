// Issuing temporary keys (CLI, admin endpoint, STS): a SecretId/SecretKey/token triple with an expiry and
// an optional session policy, for a root account or one of its sub-accounts.
import { randomBytes } from 'node:crypto';
import { compileCappedPolicy } from '../authz/policy/compile.ts';
import { TEMPORARY_KEY_SECONDS, type Credential } from '../domain/identity.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import { newSecretId, newSecretKey } from './keys.ts';

export interface TemporaryKeyRequest {
  ownerUin: string;
  /** The root account itself or one of its sub-accounts. */
  uin: string;
  durationSeconds: number;
  /** A session policy document (JSON text); the key may do only what it and the identity both allow. */
  policy?: string;
  /** Epoch seconds. */
  now: number;
}

export interface TemporaryKey {
  secretId: string;
  secretKey: string;
  token: string;
  /** Epoch seconds. */
  startTime: number;
  expiredTime: number;
}

/** Why a request for a temporary key is refused; the message names the problem. */
export class TemporaryKeyError extends Error {}

export async function issueTemporaryKey(meta: MetadataStore, r: TemporaryKeyRequest): Promise<TemporaryKey> {
  const { min, max } = TEMPORARY_KEY_SECONDS;
  if (!Number.isInteger(r.durationSeconds) || r.durationSeconds < min || r.durationSeconds > max) {
    throw new TemporaryKeyError(`the duration must be a whole number of seconds from ${min} (30 minutes) to ${max} (36 hours); got ${r.durationSeconds}`);
  }
  if (r.policy !== undefined) {
    try {
      compileCappedPolicy(r.policy, 'session');
    } catch (error) {
      throw new TemporaryKeyError(`invalid policy: ${(error as Error).message}`);
    }
  }
  const expiredTime = r.now + r.durationSeconds;
  // Temporary SecretIds look like STS's (AKID…); the token is opaque, as COS's is.
  const token = randomBytes(48).toString('base64url');
  const credential: Credential = {
    secretId: newSecretId(),
    secretKey: newSecretKey(),
    ownerUin: r.ownerUin,
    uin: r.uin,
    temporary: { token, expiresAt: expiredTime, ...(r.policy !== undefined && { policy: r.policy }) },
  };
  await meta.tx(async (tx) => {
    if (!(await tx.getAccount(r.ownerUin))) throw new TemporaryKeyError(`no root account ${r.ownerUin}`);
    const sub = r.uin === r.ownerUin ? undefined : await tx.getSubAccount(r.uin);
    if (r.uin !== r.ownerUin && sub?.ownerUin !== r.ownerUin) throw new TemporaryKeyError(`no sub-account ${r.uin} under ${r.ownerUin}`);
    await tx.putCredential(credential);
  });
  return { secretId: credential.secretId, secretKey: credential.secretKey, token, startTime: r.now, expiredTime };
}
