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

const NONE: readonly CompiledStatement[] = [];

/**
 * The statements whose principal admits the caller (§3): user and session policies apply to their
 * holder whole; in a bucket policy the anonymous pass sees the "anyone" statements, a signed caller
 * those naming its exact CAM identity (naming root R does not admit R's sub-accounts, §3
 * "permission propagation").
 */
function candidates(policy: CompiledPolicy, req: PolicyRequest): readonly CompiledStatement[] {
  if (policy.kind !== 'bucket') return policy.statements;
  const p = req.principal;
  if (p.kind === 'anonymous' || req.anonymousPass === true) return policy.anyone;
  return policy.byPrincipal.get(camId(p.ownerUin, p.uin)) ?? NONE;
}

/**
 * Each candidate list (fixed when the policy was compiled) with, per API, its statements whose actions
 * cover that API, in document order. Actions never depend on the request beyond its API, so a request
 * then checks only the statements that name its action: in a 100-statement policy, one or two instead
 * of every statement its principal admits. Bounded by lists x COS APIs; a dropped policy's lists go with it.
 */
const byApi = new WeakMap<readonly CompiledStatement[], Map<string, readonly CompiledStatement[]>>();

function forApi(list: readonly CompiledStatement[], api: string): readonly CompiledStatement[] {
  if (list.length === 0) return list;
  let lists = byApi.get(list);
  if (lists === undefined) byApi.set(list, (lists = new Map()));
  let matching = lists.get(api);
  if (matching === undefined) lists.set(api, (matching = list.filter((st) => st.actions.some((m) => m(api)))));
  return matching;
}

/** What every statement is matched against, computed once per evaluation. */
interface Target {
  readonly api: string;
  /** `<bucket>/<key>`, undefined for GetService. */
  readonly path: string | undefined;
  /** `<bucket>/<prefix>` for listing actions (§5.3). */
  readonly alt: string | undefined;
}

function targetOf(req: PolicyRequest): Target {
  const api = req.action.slice('name/cos:'.length);
  const r = req.resource;
  if (r === 'service') return { api, path: undefined, alt: undefined };
  const alt = r.key === undefined && r.prefix !== undefined && LISTING_ACTIONS.has(api) ? `${r.bucket}/${r.prefix}` : undefined;
  return { api, path: `${r.bucket}/${r.key ?? ''}`, alt };
}

function covers(st: CompiledStatement, req: PolicyRequest, t: Target): boolean {
  const r = req.resource;
  if (r === 'service' || t.path === undefined) return st.resources.some((x) => x.all);
  const { path, alt } = t;
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

/** Whether a statement that names the request's action covers its resource and its conditions hold. */
function applies(st: CompiledStatement, req: PolicyRequest, t: Target): boolean {
  return covers(st, req, t) && st.conditions.every((c) => holds(c, req));
}

/** Every statement that applies to the request, in document order. */
export function matchStatements(policy: CompiledPolicy, req: PolicyRequest): PolicyMatch[] {
  const t = targetOf(req);
  return forApi(candidates(policy, req), t.api).filter((st) => applies(st, req, t)).map((st) => ({ effect: st.effect, statement: st.label, index: st.index }));
}

/** The first applicable Deny, else the first applicable Allow, else `none` (implicit deny). */
export function evaluatePolicy(policy: CompiledPolicy, req: PolicyRequest): PolicyVerdict {
  const t = targetOf(req);
  let allow: CompiledStatement | undefined;
  for (const st of forApi(candidates(policy, req), t.api)) {
    if ((st.effect === 'allow' && allow) || !applies(st, req, t)) continue;
    if (st.effect === 'deny') return { effect: 'deny', statement: st.label, index: st.index };
    allow = st;
  }
  return allow ? { effect: 'allow', statement: allow.label, index: allow.index } : { effect: 'none' };
}
