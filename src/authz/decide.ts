// The authorization decision: pure (no I/O, no clock), one call per request, with the reason for the log.
import type { Acl } from '../domain/acl.ts';
import { isRoot, type Principal } from '../domain/identity.ts';
import { describeGrant, findGrant } from './acl/evaluate.ts';
import { ACL_NEED, type CosAction } from './actions.ts';

/** What is known about the target bucket. `ownerUin` is undefined when no such bucket exists. */
export interface BucketFacts {
  readonly name: string;
  /** The APPID suffix of the name, undefined if the name has none. */
  readonly appid: string | undefined;
  readonly ownerUin: string | undefined;
  /** The bucket ACL; undefined is private. */
  readonly acl: Acl | undefined;
}

/** The target object's own ACL when the operation loaded it; undefined is `default` (the bucket's applies). */
export interface ObjectFacts {
  readonly acl: Acl | undefined;
}

export interface RequestFacts {
  readonly principal: Principal;
  readonly action: CosAction;
  /** Absent for service-level actions (GetService). */
  readonly bucket?: BucketFacts;
  readonly key?: string;
  /** Absent when the object does not exist or the operation does not read it: the bucket ACL applies. */
  readonly object?: ObjectFacts;
}

export type Decision =
  | { readonly effect: 'allow'; readonly source: 'owner' | 'creator' | 'account' | 'acl'; readonly reason: string }
  | { readonly effect: 'deny'; readonly explicit: boolean; readonly reason: string };

type AllowSource = Extract<Decision, { effect: 'allow' }>['source'];
const allow = (source: AllowSource, reason: string): Decision => ({ effect: 'allow', source, reason });
const implicitDeny = (reason: string): Decision => ({ effect: 'deny', explicit: false, reason });

const describe = (p: Principal): string => (p.kind === 'user' ? `uin/${p.ownerUin}:uin/${p.uin}` : 'anonymous caller');

export function decide(facts: RequestFacts): Decision {
  const { principal, action, bucket } = facts;
  const who = describe(principal);

  if (!bucket) {
    return principal.kind === 'user' && isRoot(principal)
      ? allow('account', `${who} is a root account; ${action} covers only its own resources`)
      : implicitDeny(`${who}: only root accounts may call ${action}`);
  }
  if (action === 'name/cos:PutBucket') {
    // A bucket name carries its owner's APPID; only that account may create it.
    return principal.kind === 'user' && isRoot(principal) && bucket.appid === principal.appid
      ? allow('creator', `${who} owns APPID ${principal.appid}, the suffix of ${bucket.name}`)
      : implicitDeny(`${bucket.name} does not carry ${who}'s APPID`);
  }
  if (bucket.ownerUin === undefined) {
    // No such bucket: only the account that would own it may learn that (NoSuchBucket); to anyone
    // else the answer is the AccessDenied an existing bucket would give.
    return principal.kind === 'user' && isRoot(principal) && bucket.appid === principal.appid
      ? allow('owner', `${who} would own ${bucket.name} (APPID ${principal.appid}); it does not exist`)
      : implicitDeny(`${who} is not the owner of ${bucket.name} and nothing grants it ${action}`);
  }
  if (principal.kind === 'user' && isRoot(principal) && principal.uin === bucket.ownerUin) {
    return allow('owner', `${who} owns bucket ${bucket.name}`);
  }

  const need = ACL_NEED[action];
  if (!need) return implicitDeny(`${who} is not the owner of ${bucket.name}; no ACL permission grants ${action}`);
  const objectAcl = need.on === 'object' ? facts.object?.acl : undefined;
  const acl = objectAcl ?? bucket.acl;
  const where = objectAcl ? `the ACL of object ${facts.key ?? ''}` : `the ACL of bucket ${bucket.name}`;
  const grant = acl && findGrant(acl, principal, need.permission);
  if (grant) return allow('acl', `${describeGrant(grant)} in ${where}`);
  const sub = principal.kind === 'user' && !isRoot(principal) ? ' (a grant to its root account needs that account\'s user policy to reach it)' : '';
  return implicitDeny(`${who} is not the owner of ${bucket.name} and ${where} grants it no ${need.permission}${acl ? '' : ' (it is private)'}${sub}`);
}
