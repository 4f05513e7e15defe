// Condition blocks (spec/policy.md §6): operators compiled with pre-parsed values (numbers, epoch ms, CIDRs).
import { CONDITION_KEYS } from './catalogue.ts';
import { fail, isObject } from './elements.ts';
import { cidrContains, parseCidr, parseIp, type IpAddress } from './ip.ts';
import type { CompiledCondition, Qualifier } from './types.ts';
import { compileWildcard } from './wildcard.ts';

type Test = (value: string) => boolean;
type Builder = (values: readonly string[], where: string) => Test;

const number = (s: string): number | undefined => {
  const n = s.trim() === '' ? Number.NaN : Number(s);
  return Number.isFinite(n) ? n : undefined;
};
/** ISO-8601 (date, or date-time with optional fraction and zone), CAM's date format (§6). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
const ZONED = /(?:Z|[+-]\d{2}:\d{2})$/;
/** Epoch ms; a date-time without a zone is UTC ("ISO-8601 UTC", §6), never the host's local time. */
const date = (s: string): number | undefined => {
  const t = Date.parse(s.includes('T') && !ZONED.test(s) ? `${s}Z` : s);
  return Number.isNaN(t) ? undefined : t;
};

const parsed = <T>(values: readonly string[], where: string, parse: (s: string) => T | undefined, what: string): T[] =>
  values.map((v, i) => parse(v) ?? fail(`${where}[${i}]`, `${JSON.stringify(v)} is not ${what}`));

const compare = (parse: (s: string) => number | undefined, what: string, cmp: (request: number, policy: number) => boolean, check?: (s: string) => boolean): Builder =>
  (values, where) => {
    const ps = parsed(values, where, (s) => (check && !check(s) ? undefined : parse(s)), what);
    return (v) => {
      const n = parse(v);
      return n !== undefined && ps.some((p) => cmp(n, p));
    };
  };
const numeric = (cmp: (r: number, p: number) => boolean): Builder => compare(number, 'a number', cmp);
const dated = (cmp: (r: number, p: number) => boolean): Builder => compare(date, 'an ISO-8601 date', cmp, (s) => ISO_DATE.test(s));

const exact: Builder = (values) => {
  const set = new Set(values);
  return (v) => set.has(v);
};
const ignoreCase: Builder = (values) => {
  const set = new Set(values.map((s) => s.toLowerCase()));
  return (v) => set.has(v.toLowerCase());
};
const like: Builder = (values) => {
  const ms = values.map(compileWildcard);
  return (v) => ms.some((m) => m(v));
};
/**
 * The last request address parsed: one policy walk tests the same address against every statement's
 * ip condition (and the next request usually comes from it too), so it is parsed once, not per statement.
 */
let lastAddress: { text: string; ip: IpAddress | undefined } = { text: '', ip: undefined };
const requestIp = (text: string): IpAddress | undefined => {
  if (lastAddress.text !== text) lastAddress = { text, ip: parseIp(text.trim()) };
  return lastAddress.ip;
};
const ip: Builder = (values, where) => {
  const cidrs = parsed(values, where, parseCidr, 'an IPv4/IPv6 address or CIDR block');
  return (v) => {
    const a = requestIp(v);
    return a !== undefined && cidrs.some((c) => cidrContains(c, a));
  };
};
const bool: Builder = (values, where) => {
  const set = new Set(parsed(values, where, (s) => (s.toLowerCase() === 'true' || s.toLowerCase() === 'false' ? s.toLowerCase() : undefined), 'true or false'));
  return (v) => set.has(v.toLowerCase());
};

const eq = (r: number, p: number): boolean => r === p;
/** Base operators (§6) → [positive builder, negated?]. Negated operators are the negation of their positive form. */
const OPERATORS: ReadonlyMap<string, readonly [Builder, boolean]> = new Map([
  ['string_equal', [exact, false]],
  ['string_not_equal', [exact, true]],
  ['string_equal_ignore_case', [ignoreCase, false]],
  ['string_not_equal_ignore_case', [ignoreCase, true]],
  ['string_like', [like, false]],
  ['binary_equal', [exact, false]],
  ['ip_equal', [ip, false]],
  ['ip_not_equal', [ip, true]],
  ['numeric_equal', [numeric(eq), false]],
  ['numeric_not_equal', [numeric(eq), true]],
  ['numeric_greater_than', [numeric((r, p) => r > p), false]],
  ['numeric_greater_than_equal', [numeric((r, p) => r >= p), false]],
  ['numeric_less_than', [numeric((r, p) => r < p), false]],
  ['numeric_less_than_equal', [numeric((r, p) => r <= p), false]],
  ['date_equal', [dated(eq), false]],
  ['date_not_equal', [dated(eq), true]],
  ['date_greater_than', [dated((r, p) => r > p), false]],
  ['date_greater_than_equal', [dated((r, p) => r >= p), false]],
  ['date_less_than', [dated((r, p) => r < p), false]],
  ['date_less_than_equal', [dated((r, p) => r <= p), false]],
  ['bool_equal', [bool, false]],
] as const);
/** COS documents no negated string_like; S3's StringNotLike compiles to this internal one [recommended]. */
const WITH_NOT_LIKE: ReadonlyMap<string, readonly [Builder, boolean]> = new Map([...OPERATORS, ['string_not_like', [like, true]]]);

function values(value: unknown, where: string): string[] {
  const one = (v: unknown, at: string): string =>
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fail(at, 'expected a string, number or boolean');
  if (!Array.isArray(value)) return [one(value, where)];
  if (value.length === 0) fail(where, 'must not be empty');
  return value.map((v: unknown, i) => one(v, `${where}[${i}]`));
}

type Operator = { base: string; qualifier: Qualifier; ifExist: boolean };

function operator(name: string, where: string, operators: ReadonlyMap<string, readonly [Builder, boolean]>): Operator {
  let op = name.toLowerCase();
  let qualifier: Qualifier = 'plain';
  for (const q of ['for_any_value', 'for_all_value'] as const) {
    if (op.startsWith(`${q}:`)) {
      qualifier = q;
      op = op.slice(q.length + 1);
    }
  }
  const ifExist = op.endsWith('_if_exist');
  const base = ifExist ? op.slice(0, -'_if_exist'.length) : op;
  if (!operators.has(base) && !(base === 'null_equal' && !ifExist && qualifier === 'plain')) {
    fail(where, `unknown condition operator ${JSON.stringify(name)}`);
  }
  return { base, qualifier, ifExist };
}

function compileCondition(
  { base, qualifier, ifExist }: Operator,
  operators: ReadonlyMap<string, readonly [Builder, boolean]>,
  { key, valuePrefix }: MappedKey,
  raw: unknown,
  where: string,
  label: string,
): CompiledCondition {
  const vs = values(raw, where).map((v) => valuePrefix + v);
  if (base === 'null_equal') {
    // Null on one tag would test whether the object has any tag at all.
    if (valuePrefix !== '') fail(where, 'Null cannot test one tag');
    const b = bool(vs, where);
    if (b('true') && b('false')) fail(where, 'null_equal takes one of true or false');
    return { label, key, qualifier, ifExist, negated: false, expectAbsent: b('true'), test: () => false };
  }
  const [build, negated] = operators.get(base) ?? fail(where, `unknown condition operator ${JSON.stringify(base)}`);
  return { label, key, qualifier, ifExist, negated, test: build(vs, where) };
}

/**
 * A key as COS evaluates it: one of CONDITION_KEYS, and what goes before each value written. S3's
 * per-tag keys (`s3:RequestObjectTag/<k>`: `v`) become COS's tag keys, whose values are `k&v`.
 */
export interface MappedKey {
  key: string;
  valuePrefix: string;
}

/** How a dialect names operators and keys: each maps a name as written to the COS name (§6), or fails naming it. */
export interface ConditionNames {
  operator(name: string, where: string): string;
  key(name: string, where: string): MappedKey;
  /** Also accept `string_not_like`, which only the S3 dialect reaches (StringNotLike). */
  notLike?: boolean;
}

/** `{"<operator>": {"<key>": values}}` blocks; `where` and each condition's label name them as written. */
export function compileConditionBlocks(value: unknown, where: string, names: ConditionNames): CompiledCondition[] {
  if (!isObject(value)) return fail(where, 'expected an object of {"<operator>": {"<key>": values}}');
  const operators = names.notLike ? WITH_NOT_LIKE : OPERATORS;
  const out: CompiledCondition[] = [];
  for (const [opName, block] of Object.entries(value)) {
    const opWhere = `${where}.${opName}`;
    const op = operator(names.operator(opName, opWhere), opWhere, operators);
    if (!isObject(block) || Object.keys(block).length === 0) fail(opWhere, 'expected a non-empty object of {"<key>": values}');
    for (const [rawKey, raw] of Object.entries(block as Record<string, unknown>)) {
      const at = `${opWhere}.${rawKey}`;
      out.push(compileCondition(op, operators, names.key(rawKey, at), raw, at, `${opName} ${rawKey.trim()}`));
    }
  }
  return out;
}

const COS_NAMES: ConditionNames = {
  operator: (name) => name,
  key(name, where) {
    // The docs contain keys with stray spaces (`"qcs:ip "`), §6.
    const key = name.trim().toLowerCase();
    return CONDITION_KEYS.has(key) ? { key, valuePrefix: '' } : fail(where, `unknown condition key ${JSON.stringify(name)}`);
  },
};

/** COS condition blocks (§6). */
export const compileConditions = (value: unknown, where: string): CompiledCondition[] => compileConditionBlocks(value, where, COS_NAMES);
