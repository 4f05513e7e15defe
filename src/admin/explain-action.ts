// The COS action `coslocal explain` decides, from a COS API name, an alias, an operation name or an S3 action.
import { ACTION_OF, type CosAction } from '../authz/actions.ts';
import { ACTION_ALIASES, COS_ACTIONS } from '../authz/policy/catalogue.ts';
import { S3_ACTIONS } from '../authz/policy/s3-catalogue.ts';
import { didYouMean } from '../util/nearest.ts';

const COS_PREFIX = 'name/cos:';

/**
 * A name (after `name/cos:` or `cos:`) -> the COS API a request of that name is authorized as: the
 * APIs themselves, their aliases (PutObjectCopy is PutObject) and the operation names requests are
 * logged under (ListObjectsV2 is GetBucket, GetBucketAcl is GetBucketACL). Case-sensitive, as in a policy.
 */
const COS_NAMES: ReadonlyMap<string, string> = new Map([
  ...Object.entries(ACTION_OF).map(([operation, action]): [string, string] => [operation, action.slice(COS_PREFIX.length)]),
  ...ACTION_ALIASES,
  ...[...COS_ACTIONS].map((api): [string, string] => [api, api]),
]);

/**
 * `GetObject`, `name/cos:GetObject`, `cos:GetObject`, `ListObjectsV2` or `s3:GetObject` (case-insensitive,
 * as in IAM). An S3 action covering several COS APIs (s3:ListBucket: GetBucket and HeadBucket) is decided as
 * the first, the request it is named for. An unknown name is refused with the nearest known ones.
 */
export function explainAction(name: string): CosAction {
  const s3 = /^s3:(.+)$/i.exec(name)?.[1];
  if (s3 !== undefined) {
    const api = Object.entries(S3_ACTIONS).find(([action]) => action.toLowerCase() === s3.toLowerCase())?.[1][0];
    if (api === undefined) throw new Error(`unknown S3 action ${name}${didYouMean(s3, Object.keys(S3_ACTIONS), (n) => `s3:${n}`)}`);
    return `${COS_PREFIX}${api}`;
  }
  const bare = name.startsWith(COS_PREFIX) ? name.slice(COS_PREFIX.length) : name.startsWith('cos:') ? name.slice(4) : name;
  const api = COS_NAMES.get(bare);
  if (api === undefined) throw new Error(`unknown action ${name}${didYouMean(bare, COS_NAMES.keys())}`);
  return `${COS_PREFIX}${api}`;
}
