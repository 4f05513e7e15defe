// `coslocal explain`: decides a hypothetical request against the live data and returns the decision with its reason.
import type { CosAction } from '../authz/actions.ts';
import { decide, type Decision } from '../authz/decide.ts';
import { bucketFacts, identityFacts, objectFacts } from '../api/common/facts.ts';
import { compilePolicy } from '../authz/policy/compile.ts';
import { PolicyCache } from '../api/common/policy-cache.ts';
import { explainAction } from './explain-action.ts';
import { ANONYMOUS, type Principal } from '../domain/identity.ts';
import type { MetadataReader } from '../storage/metadata.ts';

export interface ExplainQuery {
  /** `anonymous`, a root uin, `<root>/<sub>`, or `qcs::cam::uin/<root>:uin/<uin>`. */
  as: string;
  /** `GetObject`, `name/cos:GetObject`, an operation or an S3 action (explain-action.ts). */
  action: string;
  /** An existing bucket. */
  bucket: string;
  key?: string;
  prefix?: string;
  /** Condition keys, e.g. `qcs:ip` -> ['10.0.0.1']. */
  conditions: Map<string, string[]>;
  /**
   * The request's Referer header: given, the bucket's hotlink protection is checked as for an unsigned
   * request (anonymous) or a header-signed one (which COS does not check).
   */
  referer?: string;
  /** A session policy (JSON text): explain the request as made with a temporary key issued with it. */
  sessionPolicy?: string;
  now: number;
  /**
   * The root account asking (the admin endpoint's signer); the CLI, which reads the data directory
   * directly, sees every account. Any other account is opaque to a viewer: whether it exists, its
   * APPID and its identity policies are never looked up.
   */
  viewer?: string;
}

export interface Explanation {
  principal: string;
  action: CosAction;
  resource: string;
  decision: Decision;
  /** Set when the principal belongs to an account the viewer may not see into. */
  note?: string;
}

/** Why a foreign principal's decision may differ from the real one; the same words for a missing account. */
const NOT_VISIBLE =
  "the principal belongs to another root account: its user policies are not visible to you and were not evaluated, so this decision rests on the bucket's ACL and policy alone";

/**
 * The condition keys of a hypothetical request: `qcs:ip` (default 127.0.0.1), `cos:secure-transport`
 * false (coslocal speaks plain HTTP), `cos:prefix` from the prefix, and any `key=value` pairs given.
 */
export function explainConditions(input: { ip?: string | undefined; prefix?: string | undefined; pairs: readonly (readonly [string, string])[] }): Map<string, string[]> {
  const conditions = new Map<string, string[]>([
    ['qcs:ip', [input.ip ?? '127.0.0.1']],
    ['cos:secure-transport', ['false']],
  ]);
  for (const [name, value] of input.pairs) {
    const key = name.toLowerCase();
    conditions.set(key, [...(conditions.get(key) ?? []), value]);
  }
  if (input.prefix !== undefined) conditions.set('cos:prefix', [input.prefix]);
  return conditions;
}

/** The principal `as` names, and whether it is opaque to the viewer. */
async function principalOf(meta: MetadataReader, q: ExplainQuery): Promise<{ principal: Principal; foreign: boolean }> {
  const { as } = q;
  if (as === 'anonymous') return { principal: ANONYMOUS, foreign: false };
  const match = /^(?:qcs::cam::uin\/(\d+):uin\/(\d+)|(\d+)(?:\/(\d+))?)$/.exec(as);
  if (!match) throw new Error(`--as must be anonymous, <uin>, <root>/<sub> or qcs::cam::uin/<root>:uin/<uin>; got ${as}`);
  const ownerUin = match[1] ?? match[3] ?? '';
  const uin = match[2] ?? match[4] ?? ownerUin;
  const principal = (appid: string): Principal => ({ kind: 'user', ownerUin, uin, appid, secretId: '(explain)' });
  // No look-up at all, so that a foreign account and one that does not exist answer alike. An empty
  // APPID owns no bucket name, which is right: the viewer asks about its own buckets only.
  if (q.viewer !== undefined && ownerUin !== q.viewer) return { principal: principal(''), foreign: true };
  const account = await meta.getAccount(ownerUin);
  if (!account) throw new Error(`no root account ${ownerUin}`);
  // A sub-account is explained with its own user policies only when it is this root's.
  if (uin !== ownerUin && (await meta.getSubAccount(uin))?.ownerUin !== ownerUin) throw new Error(`no sub-account ${uin} under ${ownerUin}`);
  return { principal: principal(account.appid), foreign: false };
}

export async function explain(meta: MetadataReader, q: ExplainQuery): Promise<Explanation> {
  const action = explainAction(q.action);
  const { principal, foreign } = await principalOf(meta, q);
  const bucket = await meta.getBucket(q.bucket);
  // A decision about a bucket that is not there would be a plain deny, which reads like an answer. The
  // admin endpoint asks only about the viewer's own buckets (its APPID), so this tells nobody else anything.
  if (!bucket) throw new Error(`no bucket ${q.bucket}`);
  const object = q.key !== undefined ? await meta.getObject(q.bucket, q.key) : undefined;
  const policies = new PolicyCache();
  const sessionPolicy = q.sessionPolicy === undefined ? undefined : compilePolicy(q.sessionPolicy, 'session');
  const identity = foreign ? sessionPolicy && { userPolicies: [], sessionPolicy } : await identityFacts(meta, { principal, ...(sessionPolicy && { sessionPolicy }) }, policies);
  const decision = decide({
    principal,
    action,
    bucket: bucketFacts(q.bucket, bucket, policies),
    ...(identity && { identity }),
    ...(q.key !== undefined && { key: q.key }),
    ...(q.prefix !== undefined && { prefix: q.prefix }),
    ...objectFacts(object),
    conditions: q.conditions,
    now: q.now,
    ...(q.referer !== undefined && { referer: { value: q.referer, signature: principal.kind === 'anonymous' ? 'none' : 'header' } }),
  });
  return {
    principal: principal.kind === 'user' ? `qcs::cam::uin/${principal.ownerUin}:uin/${principal.uin}` : 'anonymous',
    action,
    resource: `${q.bucket}/${q.key ?? ''}`,
    decision,
    ...(foreign && { note: NOT_VISIBLE }),
  };
}
