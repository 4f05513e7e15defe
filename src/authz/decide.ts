// The authorization decision: pure (no I/O, no clock), one call per request, with the reason for the log.
import { isRoot, type Principal } from '../domain/identity.ts';
import type { CosAction } from './actions.ts';

/** What is known about the target bucket. `ownerUin` is undefined when no such bucket exists. */
export interface BucketFacts {
  readonly name: string;
  /** The APPID suffix of the name, undefined if the name has none. */
  readonly appid: string | undefined;
  readonly ownerUin: string | undefined;
}

export interface RequestFacts {
  readonly principal: Principal;
  readonly action: CosAction;
  /** Absent for service-level actions (GetService). */
  readonly bucket?: BucketFacts;
  readonly key?: string;
}

export type Decision =
  | { readonly effect: 'allow'; readonly source: 'owner' | 'creator' | 'account'; readonly reason: string }
  | { readonly effect: 'deny'; readonly explicit: boolean; readonly reason: string };

const allow = (source: 'owner' | 'creator' | 'account', reason: string): Decision => ({ effect: 'allow', source, reason });
const implicitDeny = (reason: string): Decision => ({ effect: 'deny', explicit: false, reason });

export function decide(facts: RequestFacts): Decision {
  const { principal, action, bucket } = facts;
  if (principal.kind === 'anonymous') return implicitDeny('anonymous caller: no grant allows anonymous access');
  const who = `uin/${principal.ownerUin}:uin/${principal.uin}`;
  if (!isRoot(principal)) return implicitDeny(`${who} is a sub-account and no policy grants it ${action}`);

  if (!bucket) return allow('account', `${who} is a root account; ${action} covers only its own resources`);

  if (action === 'name/cos:PutBucket') {
    // A bucket name carries its owner's APPID; only that account may create it.
    return bucket.appid === principal.appid
      ? allow('creator', `${who} owns APPID ${principal.appid}, the suffix of ${bucket.name}`)
      : implicitDeny(`${bucket.name} does not carry ${who}'s APPID ${principal.appid}`);
  }
  if (bucket.ownerUin !== undefined) {
    return bucket.ownerUin === principal.uin
      ? allow('owner', `${who} owns bucket ${bucket.name}`)
      : implicitDeny(`${who} does not own bucket ${bucket.name} and nothing grants it ${action}`);
  }
  // No such bucket: only the account that would own it may learn that (NoSuchBucket); to anyone
  // else the answer is the same AccessDenied an existing bucket would give.
  return bucket.appid === principal.appid
    ? allow('owner', `${who} would own ${bucket.name} (APPID ${principal.appid}); it does not exist`)
    : implicitDeny(`${who} does not own bucket ${bucket.name} and nothing grants it ${action}`);
}
