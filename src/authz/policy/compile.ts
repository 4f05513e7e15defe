// Validates a bucket or user policy document, COS or S3 dialect, and compiles it once (spec/policy.md §2-§6; STYLE.md §6).
import { ACTION_ALIASES, COS_ACTIONS } from './catalogue.ts';
import { compileConditions } from './condition.ts';
import { elements, fail, isObject, stringList } from './elements.ts';
import { compilePrincipal } from './principal.ts';
import { compileResource } from './resource.ts';
import { S3_DIALECT, S3_VERSIONS } from './s3-dialect.ts';
import type { CompiledPolicy, CompiledPrincipal, CompiledStatement, Dialect, Effect, PolicyKind } from './types.ts';
import { compileWildcard, hasWildcard, type Matcher } from './wildcard.ts';

export { PolicyError, type CompiledPolicy, type CompiledStatement, type PolicyKind } from './types.ts';

/** COS limits a bucket policy to 20 KB [doc, spec/policy.md §1.1]; user and session policies get the same cap. */
export const MAX_POLICY_BYTES = 20 * 1024;

const never: Matcher = () => false;
/** `name/<service>:<Api>` of a service other than COS (session policies only). */
const FOREIGN_ACTION = /^name\/(?!cos:)[a-z0-9-]+:/;
/** `qcs::<service>:…` of a service other than COS (session policies only). */
const FOREIGN_RESOURCE = /^qcs::(?!cos:)[a-z0-9-]+:/;

/** `name/cos:<Api>` or `cos:<Api>` (§4), globbed over `<Api>`; `*` alone is everything. Case-sensitive. */
function compileAction(action: string, where: string, kind: PolicyKind): Matcher {
  if (action === '*') return () => true;
  if (kind === 'session' && FOREIGN_ACTION.test(action)) return never;
  const api = action.startsWith('name/cos:') ? action.slice(9) : action.startsWith('cos:') ? action.slice(4) : undefined;
  if (api === undefined || api === '') return fail(where, `unknown action ${action} (expected name/cos:<Api>, cos:<Api> or *)`);
  if (hasWildcard(api)) return compileWildcard(api);
  const canonical = ACTION_ALIASES.get(api);
  if (canonical !== undefined) return (a) => a === api || a === canonical;
  if (!COS_ACTIONS.has(api)) {
    const near = [...COS_ACTIONS, ...ACTION_ALIASES.keys()].find((k) => k.toLowerCase() === api.toLowerCase());
    fail(where, `unknown action ${action}${near ? ` (action names are case-sensitive: did you mean name/cos:${near}?)` : ''}`);
  }
  return (a) => a === api;
}

/** COS's own policy language (spec/policy.md §2-§6). */
const COS_DIALECT: Dialect = {
  top: ['version', 'statement', 'principal'],
  statement: ['sid', 'effect', 'principal', 'action', 'resource', 'condition'],
  principal: compilePrincipal,
  action: compileAction,
  resource: (resource, where, kind) => (kind === 'session' && FOREIGN_RESOURCE.test(resource) ? undefined : compileResource(resource, where)),
  conditions: compileConditions,
};

function compileStatement(raw: unknown, index: number, kind: PolicyKind, dialect: Dialect, top: CompiledPrincipal | undefined): CompiledStatement {
  const where = `statement[${index}]`;
  if (!isObject(raw)) return fail(where, 'expected an object');
  const el = elements(raw, dialect.statement, where);
  const sid = el.get('sid');
  if (sid !== undefined && typeof sid !== 'string') fail(`${where}.sid`, 'expected a string');
  const effectText = el.get('effect');
  if (typeof effectText !== 'string') return fail(`${where}.effect`, 'required: "allow" or "deny"');
  // Docs and console mix `allow`, `Allow`, `Deny` (§2).
  const effect = effectText.toLowerCase();
  if (effect !== 'allow' && effect !== 'deny') return fail(`${where}.effect`, `must be allow or deny, not ${JSON.stringify(effectText)}`);
  let principal: CompiledPrincipal | undefined;
  if (kind === 'session') {
    // The key's holder is the only principal a session policy can speak of; whatever it names is ignored.
  } else if (el.has('principal')) {
    if (kind === 'user') fail(`${where}.principal`, 'not allowed in a user policy (it applies to the identity it is attached to)');
    principal = dialect.principal(el.get('principal'), `${where}.principal`);
  } else if (kind === 'bucket') {
    // A top-level principal applies to every statement that names none (§2).
    principal = top ?? fail(`${where}.principal`, 'required in a bucket policy');
  }
  for (const name of ['action', 'resource'] as const) if (!el.has(name)) fail(`${where}.${name}`, 'required');
  const actions = stringList(el.get('action'), `${where}.action`).map((a) => dialect.action(a.value, a.where, kind));
  const resources = stringList(el.get('resource'), `${where}.resource`).flatMap((r) => dialect.resource(r.value, r.where, kind) ?? []);
  const condition = el.get('condition');
  const conditions = condition === undefined ? [] : dialect.conditions(condition, `${where}.condition`);
  const label = typeof sid === 'string' && sid !== '' ? sid : `#${index}`;
  return { label, index, effect: effect satisfies Effect, principal, actions, resources, conditions };
}

/**
 * compilePolicy with the 20 KB cap checked here, for documents that arrive whole (CLI, seed, admin
 * endpoint) rather than through PUT Bucket policy's capped body reader.
 */
export function compileCappedPolicy(text: string, kind: PolicyKind): CompiledPolicy {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) fail('', `the policy is larger than ${MAX_POLICY_BYTES} bytes`);
  return compilePolicy(text, kind);
}

/** Throws PolicyError naming what is wrong and where. The caller enforces the 20 KB size cap (§1.1). */
export function compilePolicy(text: string, kind: PolicyKind): CompiledPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail('', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(doc)) return fail('', 'expected a JSON object');
  const version = Object.entries(doc).find(([name]) => name.toLowerCase() === 'version')?.[1];
  const dialect = version === '2.0' ? COS_DIALECT : typeof version === 'string' && S3_VERSIONS.includes(version) ? S3_DIALECT : undefined;
  const expected = `"2.0" (COS) or ${S3_VERSIONS.map((v) => JSON.stringify(v)).join(' or ')} (S3)`;
  if (!dialect) return fail('version', version === undefined ? `required: ${expected}` : `must be ${expected}, not ${JSON.stringify(version)}`);
  const el = elements(doc, dialect.top, '');
  let top: CompiledPrincipal | undefined;
  if (el.has('principal') && kind !== 'session') {
    if (kind === 'user') fail('principal', 'not allowed in a user policy (it applies to the identity it is attached to)');
    top = dialect.principal(el.get('principal'), 'principal');
  }
  const raw = el.get('statement');
  // A single statement object is tolerated ("if one value, brackets optional", §2).
  const list: unknown[] = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : fail('statement', 'required: a non-empty array of statements');
  if (list.length === 0) fail('statement', 'must not be empty');
  const statements = list.map((s, i) => compileStatement(s, i, kind, dialect, top));
  const byPrincipal = new Map<string, CompiledStatement[]>();
  for (const st of statements) {
    for (const id of st.principal?.ids ?? []) byPrincipal.set(id, [...(byPrincipal.get(id) ?? []), st]);
  }
  return { kind, statements, byPrincipal, anyone: statements.filter((st) => st.principal?.anyone === true) };
}
