// Bucket-policy principals (spec/policy.md §3): exact CAM identities and the "anyone" forms.
import { camId } from '../../domain/identity.ts';
import { elements, fail, isObject, stringList } from './elements.ts';
import type { CompiledPrincipal } from './types.ts';

/** §3: all of these mean "anyone, signed or not"; the anonymous-only handling of Deny is the evaluator's (§7). */
const ANYONE = new Set(['*', 'qcs::cam::anyone:anyone', 'qcs::cam::anonymous:anonymous']);
const USER = /^qcs::cam::uin\/(\d+):uin\/(\d+)$/;
const ROOT = /^qcs::cam::uin\/(\d+):root$/;

/** A CAM principal string (§3): `anyone`, the exact CAM id it names, or undefined if it is no supported form. */
export function camPrincipal(entry: string): 'anyone' | string | undefined {
  const s = entry.trim();
  if (ANYONE.has(s)) return 'anyone';
  const user = USER.exec(s);
  if (user?.[1] !== undefined && user[2] !== undefined) return camId(user[1], user[2]);
  // CAM's `uin/R:root` names the root account itself, i.e. `uin/R:uin/R` (§3).
  const root = ROOT.exec(s);
  return root?.[1] !== undefined ? camId(root[1], root[1]) : undefined;
}

export function compilePrincipal(value: unknown, where: string): CompiledPrincipal {
  if (value === '*') return { anyone: true, ids: new Set() };
  if (!isObject(value)) return fail(where, 'expected {"qcs": [...]} or "*"');
  const qcs = elements(value, ['qcs'], where).get('qcs');
  if (qcs === undefined) return fail(where, 'missing "qcs"');
  let anyone = false;
  const ids = new Set<string>();
  for (const entry of stringList(qcs, `${where}.qcs`)) {
    const p = camPrincipal(entry.value);
    if (p === 'anyone') anyone = true;
    else if (p !== undefined) ids.add(p);
    else fail(entry.where, `unsupported principal ${JSON.stringify(entry.value)} (expected qcs::cam::uin/<root>:uin/<uin>, qcs::cam::uin/<root>:root, qcs::cam::anyone:anyone, qcs::cam::anonymous:anonymous or *)`);
  }
  return { anyone, ids };
}
