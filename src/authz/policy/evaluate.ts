// Evaluates a compiled policy against one request: explicit deny beats allow (spec/policy.md §6, §7). Pure.
import { camId, type Principal } from '../../domain/identity.ts';
import type { CosAction } from '../actions.ts';
import { CURRENT_TIME, LISTING_ACTIONS } from './catalogue.ts';
import type { CompiledCondition, CompiledPolicy, CompiledStatement, Effect } from './types.ts';

export interface PolicyResource {
  readonly region: string;
  /** The APPID of the bucket's owner (the suffix of its name). */
  readonly appid: string;
  /** The full bucket name, `<BucketName-APPID>`. */
  readonly bucket: string;
  /** The decoded object key (§5); absent for bucket-level actions. */
  readonly key?: string;
  /** The decoded list `prefix` of GetBucket / GetBucketObjectVersions / ListMultipartUploads (§5.3). */
  readonly prefix?: string;
}

export interface PolicyRequest {
  readonly principal: Principal;
  /**
   * Evaluate the caller as anonymous (§7 principle 4): only "anyone" statements apply, Deny included.
   * Without it a signed caller matches only statements naming its exact CAM identity, so a Deny to
   * "anyone" never reaches signed requests (§7 "Deny anyone"). Implied for anonymous callers.
   */
  readonly anonymousPass?: boolean;
  readonly action: CosAction;
  /** `'service'` for GetService, which only the resource `*` covers (§5.1). */
  readonly resource: PolicyResource | 'service';
  /** Condition keys, lower-case (`qcs:ip`, `cos:prefix`, …, §6.1), filled by the caller. */
  readonly conditions: ReadonlyMap<string, readonly string[]>;
  /** Epoch ms: the value of `qcs:current_time` unless `conditions` carries one. */
  readonly now: number;
}

export interface PolicyMatch {
  readonly effect: Effect;
  /** The statement's sid, else `#<index>`. */
  readonly statement: string;
  readonly index: number;
}

export type PolicyVerdict = PolicyMatch | { readonly effect: 'none' };

function admits(st: CompiledStatement, p: Principal, anonymousPass: boolean): boolean {
  if (!st.principal) return true; // user policies apply to the identity they are attached to
  if (p.kind === 'anonymous' || anonymousPass) return st.principal.anyone;
  // Naming root R does not admit R's sub-accounts (§3 "permission propagation").
  return st.principal.ids.has(camId(p.ownerUin, p.uin));
}

function covers(st: CompiledStatement, req: PolicyRequest, api: string): boolean {
  const r = req.resource;
  if (r === 'service') return st.resources.some((x) => x.all);
  const path = `${r.bucket}/${r.key ?? ''}`;
  const alt = r.key === undefined && r.prefix !== undefined && LISTING_ACTIONS.has(api) ? `${r.bucket}/${r.prefix}` : undefined;
  return st.resources.some((x) => x.all || (x.region(r.region) && x.appid(r.appid) && (x.path(path) || (alt !== undefined && x.path(alt)))));
}

/** §6 rules 1-5: any value per key, all keys and operators, absent key false unless `_if_exist`. */
function holds(c: CompiledCondition, req: PolicyRequest): boolean {
  let vs = req.conditions.get(c.key);
  if (vs === undefined && c.key === CURRENT_TIME && Number.isFinite(req.now)) vs = [new Date(req.now).toISOString()];
  const absent = vs === undefined || vs.length === 0;
  if (c.expectAbsent !== undefined) return c.expectAbsent === absent;
  // Rule 4: an absent key fails positive and negated operators alike, unless `_if_exist`.
  if (vs === undefined || vs.length === 0) return c.ifExist;
  if (c.qualifier === 'for_all_value') return vs.every((v) => c.test(v) !== c.negated);
  if (c.qualifier === 'for_any_value') return vs.some((v) => c.test(v) !== c.negated);
  // Negated operators hold when no value matches the positive form (Arsenal/AWS semantics).
  return vs.some(c.test) !== c.negated;
}

function applies(st: CompiledStatement, req: PolicyRequest, api: string): boolean {
  return (
    admits(st, req.principal, req.anonymousPass === true) &&
    st.actions.some((m) => m(api)) &&
    covers(st, req, api) &&
    st.conditions.every((c) => holds(c, req))
  );
}

const apiOf = (action: CosAction): string => action.slice('name/cos:'.length);

/** Every statement that applies to the request, in document order. */
export function matchStatements(policy: CompiledPolicy, req: PolicyRequest): PolicyMatch[] {
  const api = apiOf(req.action);
  return policy.statements.filter((st) => applies(st, req, api)).map((st) => ({ effect: st.effect, statement: st.label, index: st.index }));
}

/** The first applicable Deny, else the first applicable Allow, else `none` (implicit deny). */
export function evaluatePolicy(policy: CompiledPolicy, req: PolicyRequest): PolicyVerdict {
  const api = apiOf(req.action);
  let allow: CompiledStatement | undefined;
  for (const st of policy.statements) {
    if ((st.effect === 'allow' && allow) || !applies(st, req, api)) continue;
    if (st.effect === 'deny') return { effect: 'deny', statement: st.label, index: st.index };
    allow = st;
  }
  return allow ? { effect: 'allow', statement: allow.label, index: allow.index } : { effect: 'none' };
}
