// `coslocal explain`: decides a hypothetical request against the live data and returns the decision with its reason.
import type { CosAction } from '../authz/actions.ts';
import { decide, type Decision } from '../authz/decide.ts';
import { bucketFacts, identityFacts, objectFacts } from '../api/common/facts.ts';
import { compilePolicy } from '../authz/policy/compile.ts';
import { PolicyCache } from '../api/common/policy-cache.ts';
import { ANONYMOUS, type Principal } from '../domain/identity.ts';
import type { MetadataReader } from '../storage/metadata.ts';

export interface ExplainQuery {
  /** `anonymous`, a root uin, `<root>/<sub>`, or `qcs::cam::uin/<root>:uin/<uin>`. */
  as: string;
  /** `GetObject` or `name/cos:GetObject`. */
  action: string;
  bucket: string;
  key?: string;
  prefix?: string;
  /** Condition keys, e.g. `qcs:ip` -> ['10.0.0.1']. */
  conditions: Map<string, string[]>;
  /** A session policy (JSON text): explain the request as made with a temporary key issued with it. */
  sessionPolicy?: string;
  now: number;
}

export interface Explanation {
  principal: string;
  action: CosAction;
  resource: string;
  decision: Decision;
}

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

async function principalOf(meta: MetadataReader, as: string): Promise<Principal> {
  if (as === 'anonymous') return ANONYMOUS;
  const match = /^(?:qcs::cam::uin\/(\d+):uin\/(\d+)|(\d+)(?:\/(\d+))?)$/.exec(as);
  if (!match) throw new Error(`--as must be anonymous, <uin>, <root>/<sub> or qcs::cam::uin/<root>:uin/<uin>; got ${as}`);
  const ownerUin = match[1] ?? match[3] ?? '';
  const uin = match[2] ?? match[4] ?? ownerUin;
  const account = await meta.getAccount(ownerUin);
  if (!account) throw new Error(`no root account ${ownerUin}`);
  return { kind: 'user', ownerUin, uin, appid: account.appid, secretId: '(explain)' };
}

export async function explain(meta: MetadataReader, q: ExplainQuery): Promise<Explanation> {
  const principal = await principalOf(meta, q.as);
  const action = (q.action.startsWith('name/cos:') ? q.action : `name/cos:${q.action}`) as CosAction;
  const bucket = await meta.getBucket(q.bucket);
  const object = bucket && q.key !== undefined ? await meta.getObject(q.bucket, q.key) : undefined;
  const policies = new PolicyCache();
  const sessionPolicy = q.sessionPolicy === undefined ? undefined : compilePolicy(q.sessionPolicy, 'session');
  const identity = await identityFacts(meta, { principal, ...(sessionPolicy && { sessionPolicy }) }, policies);
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
  });
  return {
    principal: principal.kind === 'user' ? `qcs::cam::uin/${principal.ownerUin}:uin/${principal.uin}` : 'anonymous',
    action,
    resource: `${q.bucket}/${q.key ?? ''}`,
    decision,
  };
}
