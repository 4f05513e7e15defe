// Fault injection (a test control, --test-controls): rules that make matching requests fail with a COS
// error, lose their connection or stall, so that a client's retries and error handling can be tested.
// Rules come from the seed file and the admin endpoint `/_coslocal/v1/faults`; the pipeline asks `match`
// once per request, after routing and authentication and before the operation runs.
import { compileWildcard, type Matcher } from '../authz/policy/wildcard.ts';
import { catalogue, type CosErrorCode } from '../errors/catalogue.ts';

/** What a matching request gets instead of its answer. */
export type FaultEffect =
  | { kind: 'error'; code: CosErrorCode; status: number }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number };

/** A rule as written (seed file, admin endpoint), validated. */
export interface FaultRuleSpec {
  bucket?: string;
  /** A key, `*` matching any run of characters. */
  key?: string;
  /** An operation name (`GetObject`). */
  operation?: string;
  effect: FaultEffect;
  /** Only the first N matching requests; undefined: every one. */
  times?: number;
  /** Each matching request is hit with this probability (0..1]; undefined: 1. */
  probability?: number;
}

/** A rule as the admin endpoint lists it. */
export interface FaultRuleView extends FaultRuleSpec {
  id: string;
  /** Requests it has hit so far. */
  hits: number;
}

export class FaultRuleError extends Error {}

/** A stall longer than this is a mistake (the connection's idle timeout would cut it anyway). */
const MAX_DELAY_MS = 10 * 60 * 1000;

/** The error a bare `status` stands for: COS's code for that status. */
const CODE_OF_STATUS: Readonly<Record<number, CosErrorCode>> = {
  400: 'InvalidRequest',
  403: 'AccessDenied',
  404: 'NoSuchKey',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

const isCode = (value: string): value is CosErrorCode => Object.hasOwn(catalogue, value);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalString(rule: Record<string, unknown>, field: string, where: string): string | undefined {
  const value = rule[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new FaultRuleError(`${where}.${field} must be a non-empty string`);
  return value;
}

function optionalNumber(rule: Record<string, unknown>, field: string, where: string, ok: (n: number) => boolean, what: string): number | undefined {
  const value = rule[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !ok(value)) throw new FaultRuleError(`${where}.${field} must be ${what}`);
  return value;
}

/** `error` (a COS code) and/or `status`, or `drop: true`, or `delayMs`: exactly one kind. */
function effectOf(rule: Record<string, unknown>, where: string): FaultEffect {
  const code = optionalString(rule, 'error', where);
  const status = optionalNumber(rule, 'status', where, (n) => Number.isInteger(n) && n >= 400 && n <= 599, 'an HTTP error status (400-599)');
  const delay = optionalNumber(rule, 'delayMs', where, (n) => Number.isInteger(n) && n >= 0 && n <= MAX_DELAY_MS, `a whole number of ms up to ${MAX_DELAY_MS}`);
  const drop = rule['drop'];
  if (drop !== undefined && drop !== true) throw new FaultRuleError(`${where}.drop must be true`);
  const kinds = [code !== undefined || status !== undefined, drop === true, delay !== undefined].filter(Boolean).length;
  if (kinds !== 1) throw new FaultRuleError(`${where} needs exactly one of: error and/or status, drop, delayMs`);
  if (drop) return { kind: 'drop' };
  if (delay !== undefined) return { kind: 'delay', ms: delay };
  if (code !== undefined && !isCode(code)) throw new FaultRuleError(`${where}.error ${JSON.stringify(code)} is not a COS error code coslocal knows`);
  const errorCode = code ?? CODE_OF_STATUS[status ?? 500] ?? 'InternalError';
  return { kind: 'error', code: errorCode, status: status ?? catalogue[errorCode].status };
}

/** Validates one rule document. */
export function parseFaultRule(doc: unknown, where = 'rule'): FaultRuleSpec {
  if (!isRecord(doc)) throw new FaultRuleError(`${where} must be an object`);
  const known = new Set(['bucket', 'key', 'operation', 'error', 'status', 'drop', 'delayMs', 'times', 'probability']);
  const unknown = Object.keys(doc).filter((field) => !known.has(field));
  if (unknown.length > 0) throw new FaultRuleError(`${where} has unknown fields ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  const bucket = optionalString(doc, 'bucket', where);
  const key = optionalString(doc, 'key', where);
  const operation = optionalString(doc, 'operation', where);
  const times = optionalNumber(doc, 'times', where, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  const probability = optionalNumber(doc, 'probability', where, (n) => n > 0 && n <= 1, 'a number in (0, 1]');
  return {
    ...(bucket !== undefined && { bucket }),
    ...(key !== undefined && { key }),
    ...(operation !== undefined && { operation }),
    effect: effectOf(doc, where),
    ...(times !== undefined && { times }),
    ...(probability !== undefined && { probability }),
  };
}

/** What a rule is matched against. */
export interface FaultTarget {
  operation: string;
  bucket: string | undefined;
  key: string | undefined;
}

interface ActiveRule {
  view: FaultRuleView;
  keyMatches: Matcher | undefined;
}

/** The rules in force, in the order added: the first that matches a request (and fires) decides. */
export class FaultRules {
  #rules: ActiveRule[] = [];
  #nextId = 1;
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  add(specs: readonly FaultRuleSpec[]): FaultRuleView[] {
    return specs.map((spec) => this.addRule(spec));
  }

  addRule(spec: FaultRuleSpec): FaultRuleView {
    const view = { id: String(this.#nextId++), ...spec, hits: 0 };
    this.#rules.push({ view, keyMatches: spec.key === undefined ? undefined : compileWildcard(spec.key) });
    return { ...view };
  }

  list(): FaultRuleView[] {
    return this.#rules.map((rule) => ({ ...rule.view }));
  }

  /** Removes every rule; returns how many there were. */
  clear(): number {
    const count = this.#rules.length;
    this.#rules = [];
    return count;
  }

  /** The effect for this request, if a rule fires; a rule limited to N requests counts this one. */
  match(target: FaultTarget): FaultEffect | undefined {
    for (const { view, keyMatches } of this.#rules) {
      if (view.times !== undefined && view.hits >= view.times) continue;
      if (view.operation !== undefined && view.operation !== target.operation) continue;
      if (view.bucket !== undefined && view.bucket !== target.bucket) continue;
      if (keyMatches && (target.key === undefined || !keyMatches(target.key))) continue;
      if (view.probability !== undefined && this.#random() >= view.probability) continue;
      view.hits++;
      return view.effect;
    }
    return undefined;
  }
}
