// Bucket-policy principals (spec/policy.md §3): exact CAM identities and the "anyone" forms.
import { camId } from '../../domain/identity.ts';
import { elements, fail, isObject, stringList } from './elements.ts';
import type { CompiledPrincipal } from './types.ts';

/** §3: all of these mean "anyone, signed or not"; the anonymous-only handling of Deny is the evaluator's (§7). */
const ANYONE = new Set(['*', 'qcs::cam::anyone:anyone', 'qcs::cam::anonymous:anonymous']);
const USER = /^qcs::cam::uin\/(\d+):uin\/(\d+)$/;
const ROOT = /^qcs::cam::uin\/(\d+):root$/;

export function compilePrincipal(value: unknown, where: string): CompiledPrincipal {
  if (value === '*') return { anyone: true, ids: new Set() };
  if (!isObject(value)) return fail(where, 'expected {"qcs": [...]} or "*"');
  const qcs = elements(value, ['qcs'], where).get('qcs');
  if (qcs === undefined) return fail(where, 'missing "qcs"');
  let anyone = false;
  const ids = new Set<string>();
  for (const entry of stringList(qcs, `${where}.qcs`)) {
    const s = entry.value.trim();
    const user = USER.exec(s);
    const root = ROOT.exec(s);
    if (ANYONE.has(s)) anyone = true;
    else if (user?.[1] !== undefined && user[2] !== undefined) ids.add(camId(user[1], user[2]));
    // CAM's `uin/R:root` names the root account itself, i.e. `uin/R:uin/R` (§3).
    else if (root?.[1] !== undefined) ids.add(camId(root[1], root[1]));
    else fail(entry.where, `unsupported principal ${JSON.stringify(entry.value)} (expected qcs::cam::uin/<root>:uin/<uin>, qcs::cam::uin/<root>:root, qcs::cam::anyone:anyone, qcs::cam::anonymous:anonymous or *)`);
  }
  return { anyone, ids };
}
