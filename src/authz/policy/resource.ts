// Resources (spec/policy.md §5), incl. the legacy forms, normalised to (region, APPID, `<bucket>/<path>`) globs.
import { fail } from './elements.ts';
import type { CompiledResource } from './types.ts';
import { compileWildcard, type Matcher } from './wildcard.ts';

const any: Matcher = () => true;
/** §5 legacy: `prefix//<APPID>/<ShortBucketName>/<path>` (STS SDK getPolicy). */
const PREFIX_FORM = /^prefix\/\/(\d+)\/([^/]+)\/(.*)$/s;
/** §5 legacy: `<BucketName-APPID>//<APPID>/<ShortBucketName>/<path>` (Node SDK policy test). */
const DOUBLE_FORM = /^([^/]+)\/\/\d+\/[^/]+\/(.*)$/s;
/** §5 legacy: `<BucketName-APPID>.<region>.myqcloud.com/<path>` (old policy-language example). */
const HOST_FORM = /^([^/]+?)\.(?:cos\.)?([a-z0-9-]+)\.myqcloud\.com\/(.*)$/s;

/** Splits off the first five `:`-separated segments; the resource part may itself contain `:`. */
function segments(s: string): string[] | undefined {
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < 5; i++) {
    const at = s.indexOf(':', from);
    if (at < 0) return undefined;
    out.push(s.slice(from, at));
    from = at + 1;
  }
  out.push(s.slice(from));
  return out;
}

export function compileResource(source: string, where: string): CompiledResource {
  if (source === '*') return { source, all: true, region: any, appid: any, path: any };
  const expected = 'expected * or qcs::cos:<region>:uid/<APPID>:<BucketName-APPID>/<path>';
  const seg = segments(source);
  if (!seg) return fail(where, `malformed resource ${JSON.stringify(source)} (${expected})`);
  const [qcs = '', , service = '', regionText = '', account = '', rest = ''] = seg;
  if (qcs !== 'qcs') fail(where, `malformed resource ${JSON.stringify(source)}: must start with "qcs:" (${expected})`);
  if (service !== 'cos') fail(where, `malformed resource ${JSON.stringify(source)}: service must be "cos", not ${JSON.stringify(service)}`);
  let appid: Matcher = any;
  if (account.startsWith('uid/') && account.length > 4) appid = compileWildcard(account.slice(4));
  else if (account !== '' && account !== '*') fail(where, `malformed resource ${JSON.stringify(source)}: account must be uid/<APPID>, not ${JSON.stringify(account)}`);
  // An empty region segment means any region (§5).
  let region = regionText === '' ? any : compileWildcard(regionText);
  let path: string;
  const prefixed = PREFIX_FORM.exec(rest);
  const doubled = DOUBLE_FORM.exec(rest);
  const hosted = HOST_FORM.exec(rest);
  if (prefixed) path = `${prefixed[2] ?? ''}-${prefixed[1] ?? ''}/${prefixed[3] ?? ''}`;
  else if (doubled) path = `${doubled[1] ?? ''}/${doubled[2] ?? ''}`;
  else if (hosted) {
    path = `${hosted[1] ?? ''}/${hosted[3] ?? ''}`;
    if (regionText === '') region = compileWildcard(hosted[2] ?? '');
  } else if (rest.includes('/') && !rest.startsWith('/')) path = rest;
  // A glob without '/' (`examplebucket-*`) spans bucket and key alike.
  else if (rest.includes('*')) path = rest;
  else return fail(where, `malformed resource ${JSON.stringify(source)}: missing "<BucketName-APPID>/<path>" (use "<bucket>/" for the bucket itself)`);
  return { source, all: false, region, appid, path: compileWildcard(path) };
}
