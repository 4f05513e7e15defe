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
