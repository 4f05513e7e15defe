// The authorization decision: pure (no I/O, no clock), one call per request, with the reason for the log.
import type { Acl } from '../domain/acl.ts';
import { isRoot, type Principal } from '../domain/identity.ts';
import { describeGrant, findGrant } from './acl/evaluate.ts';
import { ACL_NEED, type CosAction } from './actions.ts';
import type { CompiledPolicy } from './policy/compile.ts';
import { evaluatePolicy, type PolicyRequest, type PolicyVerdict } from './policy/evaluate.ts';

/** What is known about the target bucket. `ownerUin` is undefined when no such bucket exists. */
export interface BucketFacts {
  readonly name: string;
  readonly region: string;
  /** The APPID suffix of the name, undefined if the name has none. */
  readonly appid: string | undefined;
  readonly ownerUin: string | undefined;
  /** The bucket ACL; undefined is private. */
  readonly acl: Acl | undefined;
  /** The compiled bucket policy, if any. */
  readonly policy: CompiledPolicy | undefined;
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
  /** The list prefix of listing actions (policy resources may name it, spec/policy.md §5.3). */
  readonly prefix?: string;
  /** Condition keys (`qcs:ip`, `cos:prefix`, ..., spec/policy.md §6.1), filled by the caller. */
  readonly conditions?: ReadonlyMap<string, readonly string[]>;
  /** Epoch ms, for date conditions. */
  readonly now?: number;
}

export type Decision =
  | { readonly effect: 'allow'; readonly source: 'owner' | 'creator' | 'account' | 'acl' | 'policy'; readonly reason: string }
  | { readonly effect: 'deny'; readonly explicit: boolean; readonly reason: string };

type AllowSource = Extract<Decision, { effect: 'allow' }>['source'];
const allow = (source: AllowSource, reason: string): Decision => ({ effect: 'allow', source, reason });
const implicitDeny = (reason: string): Decision => ({ effect: 'deny', explicit: false, reason });
const explicitDeny = (reason: string): Decision => ({ effect: 'deny', explicit: true, reason });
const NO_CONDITIONS: ReadonlyMap<string, readonly string[]> = new Map();

/** The bucket policy's verdicts for the caller's own identity and for the anonymous pass (spec/policy.md §7.1). */
function policyVerdicts(facts: RequestFacts, bucket: BucketFacts, policy: CompiledPolicy): { own: PolicyVerdict; anyone: PolicyVerdict } {
  const request: PolicyRequest = {
    principal: facts.principal,
    action: facts.action,
    resource: {
      region: bucket.region,
      appid: bucket.appid ?? '',
      bucket: bucket.name,
      ...(facts.key !== undefined && { key: facts.key }),
      ...(facts.prefix !== undefined && { prefix: facts.prefix }),
    },
    conditions: facts.conditions ?? NO_CONDITIONS,
    now: facts.now ?? 0,
  };
  const none: PolicyVerdict = { effect: 'none' };
  return {
    own: facts.principal.kind === 'user' ? evaluatePolicy(policy, request) : none,
    anyone: evaluatePolicy(policy, { ...request, anonymousPass: true }),
  };
}

/** A root account whose APPID a bucket name carries: the one that may create it, or would own it. */
const ownsAppid = (p: Principal, bucket: BucketFacts): boolean => p.kind === 'user' && isRoot(p) && bucket.appid === p.appid;

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
    return ownsAppid(principal, bucket)
      ? allow('creator', `${who} owns APPID ${bucket.appid ?? ''}, the suffix of ${bucket.name}`)
      : implicitDeny(`${bucket.name} does not carry ${who}'s APPID`);
  }
  if (bucket.ownerUin === undefined) {
    // No such bucket: only the account that would own it may learn that (NoSuchBucket); to anyone
    // else the answer is the AccessDenied an existing bucket would give.
    return ownsAppid(principal, bucket)
      ? allow('owner', `${who} would own ${bucket.name} (APPID ${bucket.appid ?? ''}); it does not exist`)
      : implicitDeny(`${who} is not the owner of ${bucket.name} and nothing grants it ${action}`);
  }
  const isOwner = principal.kind === 'user' && isRoot(principal) && principal.uin === bucket.ownerUin;
  // The owning root account keeps PUT Bucket policy whatever the policy says [doc, spec/policy.md §7].
  if (isOwner && action === 'name/cos:PutBucketPolicy') return allow('owner', `${who} owns bucket ${bucket.name}`);
  const verdicts = bucket.policy ? policyVerdicts(facts, bucket, bucket.policy) : undefined;
  // 1. Explicit denies win. A Deny to "anyone" binds only the anonymous pass (spec/policy.md §7, "Deny anyone").
  if (verdicts?.own.effect === 'deny') return explicitDeny(`bucket policy statement ${verdicts.own.statement} of ${bucket.name} denies ${who} ${action}`);
  if (principal.kind === 'anonymous' && verdicts?.anyone.effect === 'deny') {
    return explicitDeny(`bucket policy statement ${verdicts.anyone.statement} of ${bucket.name} denies anyone ${action}`);
  }
  // 2. The owner.
  if (isOwner) return allow('owner', `${who} owns bucket ${bucket.name}`);
  // 3. Allows for the caller's identity: bucket policy, then ACL.
  if (verdicts?.own.effect === 'allow') return allow('policy', `bucket policy statement ${verdicts.own.statement} of ${bucket.name} allows ${who} ${action}`);
  // 4. The anonymous pass, which signed callers get too: "anyone" statements and AllUsers grants.
  if (verdicts?.anyone.effect === 'allow') return allow('policy', `bucket policy statement ${verdicts.anyone.statement} of ${bucket.name} allows anyone ${action}`);
  const anyoneDenied = verdicts?.anyone.effect === 'deny';

  const need = ACL_NEED[action];
  if (!need) return implicitDeny(`${who} is not the owner of ${bucket.name}; no ACL permission grants ${action} and no policy statement allows it`);
  const objectAcl = need.on === 'object' ? facts.object?.acl : undefined;
  const acl = objectAcl ?? bucket.acl;
  const where = objectAcl ? `the ACL of object ${facts.key ?? ''}` : `the ACL of bucket ${bucket.name}`;
  const grant = acl && findGrant(acl, principal, need.permission, anyoneDenied);
  if (grant) return allow('acl', `${describeGrant(grant)} in ${where}`);
  const sub = principal.kind === 'user' && !isRoot(principal) ? ' (a grant to its root account needs that account\'s user policy to reach it)' : '';
  return implicitDeny(`${who} is not the owner of ${bucket.name}, no policy statement allows ${action}, and ${where} grants it no ${need.permission}${acl ? '' : ' (it is private)'}${sub}`);
}
