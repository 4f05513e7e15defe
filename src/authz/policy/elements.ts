// JSON-shape helpers for compilation: case-insensitive element names (spec/policy.md §2) and string lists.
import { PolicyError } from './types.ts';

export const fail = (where: string, what: string): never => {
  throw new PolicyError(where === '' ? what : `${where}: ${what}`);
};

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The members of `obj` keyed by lower-cased name; unknown or case-duplicated names are errors. */
export function elements(obj: Record<string, unknown>, allowed: readonly string[], where: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [name, value] of Object.entries(obj)) {
    const lower = name.toLowerCase();
    const at = where === '' ? name : `${where}.${name}`;
    if (!allowed.includes(lower)) fail(at, `unknown element (expected one of ${allowed.join(', ')})`);
    if (out.has(lower)) fail(at, `element given twice (names are case-insensitive)`);
    out.set(lower, value);
  }
  return out;
}

/** A string or a non-empty array of strings ("if one value, brackets optional", §2), with each item's path. */
export function stringList(value: unknown, where: string): { value: string; where: string }[] {
  if (typeof value === 'string') return [{ value, where }];
  if (!Array.isArray(value)) return fail(where, 'expected a string or an array of strings');
  if (value.length === 0) fail(where, 'must not be empty');
  return value.map((v: unknown, i) => {
    if (typeof v !== 'string') fail(`${where}[${i}]`, 'expected a string');
    return { value: v as string, where: `${where}[${i}]` };
  });
}
