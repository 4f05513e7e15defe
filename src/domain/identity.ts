// Who is calling: root accounts, their sub-accounts and the keys they sign with; CAM ids in COS's string form.

export interface Account {
  uin: string;
  appid: string;
  name: string;
}

export interface SubAccount {
  ownerUin: string;
  uin: string;
  name: string;
}

/** A SecretId/SecretKey pair and the identity it belongs to (uin === ownerUin for a root account's key). */
export interface Credential {
  secretId: string;
  secretKey: string;
  ownerUin: string;
  uin: string;
  /** Set for a temporary key (spec/signature.md §5 step 5). */
  temporary?: TemporaryGrant;
}

/** What makes a key temporary: the token requests must carry, its expiry and its session policy. */
export interface TemporaryGrant {
  token: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** The session policy document; the key may do only what this and its identity both allow. */
  policy?: string;
}

/** COS/STS bounds on a temporary key's lifetime: 30 minutes to 36 hours (GetFederationToken). */
export const TEMPORARY_KEY_SECONDS = { min: 1800, max: 129600 } as const;

/**
 * [recommended] How long an expired temporary key is kept, so requests signed with it still get
 * ExpiredToken rather than InvalidAccessKeyId; start-up removes older ones, so a long-lived data
 * directory (a CI cache issuing keys per run) does not collect them forever.
 */
export const EXPIRED_KEY_RETENTION_SECONDS = 7 * 24 * 3600;

/** A CAM policy attached to a sub-account (spec/policy.md §7 "identity-based"). */
export interface UserPolicy {
  uin: string;
  name: string;
  document: string;
}

/** The authenticated caller, or anonymous. `appid` is the root account's, also for sub-accounts. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; ownerUin: string; uin: string; appid: string; secretId: string };

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

export const isRoot = (p: Principal): boolean => p.kind === 'user' && p.uin === p.ownerUin;

/** `qcs::cam::uin/<owner>:uin/<uin>`, the form COS uses for owners and grantees (spec/acl.md §1.1). */
export const camId = (ownerUin: string, uin: string): string => `qcs::cam::uin/${ownerUin}:uin/${uin}`;

export function principalId(p: Principal): string {
  return p.kind === 'user' ? camId(p.ownerUin, p.uin) : 'qcs::cam::anonymous:anonymous';
}
