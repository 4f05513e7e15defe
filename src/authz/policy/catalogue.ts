// The COS action names a policy may name (spec/policy.md §4.1, plus aliases) and the condition keys (§6.1).

const each = (verbs: readonly string[], noun: string): string[] => verbs.map((v) => `${v}${noun}`);
const PGD = ['Put', 'Get', 'Delete'] as const;
const PG = ['Put', 'Get'] as const;

/** API names after `cos:`; matching is case-sensitive (§4). */
export const COS_ACTIONS: ReadonlySet<string> = new Set([
  'GetService', 'PutBucket', 'HeadBucket', 'GetBucket', 'DeleteBucket', 'GetBucketObjectVersions', 'GetBucketLocation',
  ...each(PG, 'BucketACL'), ...each(PGD, 'BucketPolicy'), ...each(PGD, 'BucketCORS'), ...each(PGD, 'BucketLifecycle'),
  ...each(PG, 'BucketVersioning'), ...each(PGD, 'BucketReplication'), ...each(PGD, 'BucketTagging'),
  ...each(PGD, 'BucketWebsite'), ...each(PG, 'BucketReferer'), ...each(PGD, 'BucketDomain'), ...each(PGD, 'BucketDomainCertificate'), ...each(PGD, 'BucketOrigin'),
  ...each(PG, 'BucketLogging'), ...each([...PGD, 'List', 'Post'], 'BucketInventory'), ...each(PG, 'BucketAccelerate'),
  ...each(PGD, 'BucketEncryption'), ...each(PGD, 'BucketIntelligentTiering'), ...each(PG, 'BucketObjectLockConfiguration'),
  'ListMultipartUploads',
  'PutObject', 'PostObject', 'GetObject', 'HeadObject', 'DeleteObject', 'OptionsObject', 'PostObjectRestore',
  ...each(PG, 'ObjectACL'), ...each(PGD, 'ObjectTagging'), ...each(PG, 'ObjectRetention'), 'AppendObject', 'InitiateMultipartUpload', 'UploadPart',
  'UploadPartCopy', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts', ...each(PG, 'Symlink'),
]);

/**
 * Names seen in the wild, matching requests authorised as the canonical action (§4.1 "Aliases");
 * RestoreObject is the Node SDK's label for PostObjectRestore.
 */
export const ACTION_ALIASES: ReadonlyMap<string, string> = new Map([
  ['PutObjectCopy', 'PutObject'],
  ['DeleteMultipleObjects', 'DeleteObject'],
  ['ListObject', 'GetBucket'],
  ['RestoreObject', 'PostObjectRestore'],
]);

/** Listing actions whose request also matches `…:<bucket>/<prefix>` resources (§5.3). */
export const LISTING_ACTIONS: ReadonlySet<string> = new Set(['GetBucket', 'GetBucketObjectVersions', 'ListMultipartUploads']);

/**
 * Condition keys, lower-case (§6.1). `qcs:current_time` defaults to the request's `now`;
 * `qcs:resource_tag` is CAM's key for the target's own tags, here an existing object version's.
 */
export const CONDITION_KEYS: ReadonlySet<string> = new Set([
  'qcs:ip', 'qcs:vpc', 'vpc:requester_vpc', 'cos:secure-transport', 'cos:tls-version', 'qcs:current_time',
  'cos:x-cos-storage-class', 'cos:versionid', 'cos:prefix', 'cos:x-cos-acl', 'cos:content-length', 'cos:content-type',
  'cos:response-content-type', 'qcs:request_tag', 'qcs:resource_tag',
]);

export const CURRENT_TIME = 'qcs:current_time';
