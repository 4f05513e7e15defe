// S3-style policy documents ("Version": "2012-10-17"): AWS principals, s3:* actions, arn:aws:s3::: resources and
// IAM condition operators/keys, compiled onto the same statements as COS documents (compile.ts). What has no COS
// meaning is refused by name, never dropped: a policy that silently grants or denies less than it says is worse
// than a MalformedPolicy.
import { camId } from '../../domain/identity.ts';
import { compileConditionBlocks, type ConditionNames } from './condition.ts';
import { fail, isObject, stringList } from './elements.ts';
import { camPrincipal } from './principal.ts';
import { compileResource } from './resource.ts';
import { S3_ACTIONS, S3_CONDITION_KEYS, S3_OPERATORS, S3_QUALIFIERS, S3_TAG_CONDITION_KEYS } from './s3-catalogue.ts';
import type { CompiledPrincipal, CompiledResource, Dialect, PolicyKind } from './types.ts';
import { compileWildcard, hasWildcard, type Matcher } from './wildcard.ts';

/** The IAM policy-language versions; either selects this dialect. */
export const S3_VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];

const any: Matcher = () => true;
const never: Matcher = () => false;

/** An AWS account id or `arn:aws:iam::<id>:root` is the root account whose uin it is. */
const ACCOUNT = /^(?:arn:aws:iam::)?(\d+)(?::root)?$/;

/** `"*"`, `{"AWS": "*"}`, `{"AWS": [account ids, arn:aws:iam::<uin>:root, CAM ids]}`. */
function compileS3Principal(value: unknown, where: string): CompiledPrincipal {
  if (value === '*') return { anyone: true, ids: new Set() };
  if (!isObject(value)) return fail(where, 'expected {"AWS": [...]} or "*"');
  let anyone = false;
  const ids = new Set<string>();
  for (const [type, list] of Object.entries(value)) {
    if (type !== 'AWS') fail(`${where}.${type}`, `${type} principals cannot be mapped to COS (use "AWS" with account ids, or "*")`);
    for (const entry of stringList(list, `${where}.${type}`)) {
      const account = ACCOUNT.exec(entry.value.trim());
      const cam = account ? undefined : camPrincipal(entry.value);
      if (entry.value.trim() === '*' || cam === 'anyone') anyone = true;
      else if (account?.[1] !== undefined) ids.add(camId(account[1], account[1]));
      else if (cam !== undefined) ids.add(cam);
      else {
        fail(
          entry.where,
          `cannot map AWS principal ${JSON.stringify(entry.value)} to a COS identity (expected *, an account id = root uin, arn:aws:iam::<uin>:root or qcs::cam::uin/<root>:uin/<uin>)`,
        );
      }
    }
  }
  if (!anyone && ids.size === 0) fail(where, 'names no principal');
  return { anyone, ids };
}

const S3_ACTION_INDEX: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(S3_ACTIONS).map(([name, apis]) => [name.toLowerCase(), apis]));

/** `s3:<Action>` (case-insensitive, as in IAM), globbed over the S3 names this dialect maps; `*` and `s3:*` are everything. */
function compileS3Action(action: string, where: string, kind: PolicyKind): Matcher {
  if (action === '*') return any;
  const service = /^([a-z0-9-]+):(.*)$/i.exec(action);
  if (service?.[1]?.toLowerCase() !== 's3' || service[2] === undefined || service[2] === '') {
    // A session policy may name other services' actions, which never match (as in the COS dialect).
    if (kind === 'session' && service) return never;
    return fail(where, `cannot map action ${JSON.stringify(action)} (expected s3:<Action> or *)`);
  }
  const name = service[2].toLowerCase();
  if (name === '*') return any;
  let apis: readonly string[];
  if (hasWildcard(name)) {
    const glob = compileWildcard(name);
    apis = [...S3_ACTION_INDEX].filter(([s3]) => glob(s3)).flatMap(([, cos]) => cos);
    if (apis.length === 0) fail(where, `${JSON.stringify(action)} matches no S3 action that COS has`);
  } else {
    apis = S3_ACTION_INDEX.get(name) ?? fail(where, `cannot map action ${JSON.stringify(action)}: COS has no equivalent`);
  }
  const set = new Set(apis);
  return (api) => set.has(api);
}

const ARN = 'arn:aws:s3:::';
const EXPECTED_RESOURCE = 'expected *, arn:aws:s3:::<BucketName-APPID> or arn:aws:s3:::<BucketName-APPID>/<key pattern>';

/** `arn:aws:s3:::<bucket>[/<key pattern>]` -> the COS resource of that bucket in any region under its APPID (§5). */
function compileS3Resource(source: string, where: string, kind: PolicyKind): CompiledResource | undefined {
  if (source === '*') return compileResource(source, where);
  if (!source.startsWith(ARN)) {
    if (kind === 'session' && source.startsWith('arn:')) return undefined;
    return fail(where, `cannot map resource ${JSON.stringify(source)} (${EXPECTED_RESOURCE})`);
  }
  const rest = source.slice(ARN.length);
  if (rest.includes('?')) fail(where, `cannot map resource ${JSON.stringify(source)}: COS resources have no ? wildcard`);
  if (rest.includes('${')) fail(where, `cannot map resource ${JSON.stringify(source)}: COS has no policy variables`);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (bucket === '') fail(where, `cannot map resource ${JSON.stringify(source)} (${EXPECTED_RESOURCE})`);
  const appid = hasWildcard(bucket) ? undefined : /-(\d+)$/.exec(bucket)?.[1];
  if (!hasWildcard(bucket) && appid === undefined) {
    fail(where, `cannot map resource ${JSON.stringify(source)}: COS bucket names end in -<APPID> (<BucketName-APPID>)`);
  }
  const region = any;
  const appidOf: Matcher = appid === undefined ? any : (a) => a === appid;
  // The bare bucket is COS's `<bucket>/`; a glob without '/' spans bucket and keys, as S3's ARN globs do.
  if (slash < 0) return { source, all: false, region, appid: appidOf, path: compileWildcard(hasWildcard(rest) ? rest : `${rest}/`) };
  // An object ARN never names the bucket (S3: `bucket/*` grants no ListBucket), though COS's `<bucket>/*` does.
  const objects = compileWildcard(rest);
  const isBucket = (path: string): boolean => path.indexOf('/') === path.length - 1;
  return { source, all: false, region, appid: appidOf, path: (path) => !isBucket(path) && objects(path) };
}

const list = (names: Iterable<string>): string => [...names].join(', ');

/** IAM operators (`[ForAnyValue:|ForAllValues:]<Operator>[IfExists]`) and keys, named as COS's. */
const S3_CONDITION_NAMES: ConditionNames = {
  notLike: true,
  operator(name, where) {
    const at = name.indexOf(':');
    const qualifierText = at < 0 ? undefined : name.slice(0, at).toLowerCase();
    const qualifier = qualifierText === undefined ? undefined : S3_QUALIFIERS.get(qualifierText);
    if (qualifierText !== undefined && qualifier === undefined) fail(where, `cannot map condition qualifier ${JSON.stringify(name.slice(0, at))} (expected ForAnyValue or ForAllValues)`);
    let base = name.slice(at + 1).toLowerCase();
    const ifExists = base.endsWith('ifexists');
    if (ifExists) base = base.slice(0, -'ifexists'.length);
    const cos = S3_OPERATORS.get(base);
    if (cos === undefined) fail(where, `cannot map condition operator ${JSON.stringify(name)}: COS has no equivalent`);
    if (cos === 'null_equal' && (ifExists || qualifier !== undefined)) fail(where, `${JSON.stringify(name)}: Null takes no IfExists or qualifier`);
    return `${qualifier === undefined ? '' : `${qualifier}:`}${cos}${ifExists ? '_if_exist' : ''}`;
  },
  key(name, where) {
    const trimmed = name.trim();
    const slash = trimmed.indexOf('/');
    // s3:RequestObjectTag/<tag key>: the tag key keeps its case (tags are case-sensitive), the prefix does not.
    const tagKey = slash < 0 ? undefined : S3_TAG_CONDITION_KEYS.get(trimmed.slice(0, slash + 1).toLowerCase());
    if (tagKey !== undefined) return { key: tagKey, valuePrefix: `${trimmed.slice(slash + 1)}&` };
    const key = S3_CONDITION_KEYS.get(trimmed.toLowerCase());
    if (key !== undefined) return { key, valuePrefix: '' };
    const tagKeys = [...S3_TAG_CONDITION_KEYS.keys()].map((prefix) => `${prefix}<key>`);
    return fail(where, `cannot map condition key ${JSON.stringify(name)} (COS has equivalents of ${list([...S3_CONDITION_KEYS.keys(), ...tagKeys])})`);
  },
};

export const S3_DIALECT: Dialect = {
  top: ['version', 'id', 'statement'],
  statement: ['sid', 'effect', 'principal', 'action', 'resource', 'condition'],
  principal: compileS3Principal,
  action: compileS3Action,
  resource: compileS3Resource,
  conditions: (value, where) => compileConditionBlocks(value, where, S3_CONDITION_NAMES),
};
