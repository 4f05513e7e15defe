// What the S3 policy dialect's names mean in COS terms (s3-dialect.ts): actions, condition keys, operators.

/**
 * S3 action (after `s3:`) -> the COS APIs (catalogue.ts COS_ACTIONS) it covers. One S3 action may stand
 * for several COS actions where S3 authorizes several requests with it (s3:GetObject also covers HEAD,
 * s3:PutObject every step of a multipart upload and POST, s3:ListBucket HEAD Bucket). COS has one action
 * for an object and its versions, so the *Version actions map onto the same ones as their plain forms.
 */
export const S3_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  ListAllMyBuckets: ['GetService'],
  CreateBucket: ['PutBucket'],
  DeleteBucket: ['DeleteBucket'],
  ListBucket: ['GetBucket', 'HeadBucket'],
  ListBucketVersions: ['GetBucketObjectVersions'],
  ListBucketMultipartUploads: ['ListMultipartUploads'],
  GetBucketLocation: ['GetBucketLocation'],
  GetBucketAcl: ['GetBucketACL'],
  PutBucketAcl: ['PutBucketACL'],
  GetBucketPolicy: ['GetBucketPolicy'],
  PutBucketPolicy: ['PutBucketPolicy'],
  DeleteBucketPolicy: ['DeleteBucketPolicy'],
  GetBucketCORS: ['GetBucketCORS'],
  // S3 authorizes DeleteBucketCors with s3:PutBucketCORS (likewise for the other configurations below).
  PutBucketCORS: ['PutBucketCORS', 'DeleteBucketCORS'],
  GetBucketVersioning: ['GetBucketVersioning'],
  PutBucketVersioning: ['PutBucketVersioning'],
  GetBucketTagging: ['GetBucketTagging'],
  PutBucketTagging: ['PutBucketTagging', 'DeleteBucketTagging'],
  GetBucketWebsite: ['GetBucketWebsite'],
  PutBucketWebsite: ['PutBucketWebsite'],
  DeleteBucketWebsite: ['DeleteBucketWebsite'],
  GetBucketLogging: ['GetBucketLogging'],
  PutBucketLogging: ['PutBucketLogging'],
  GetLifecycleConfiguration: ['GetBucketLifecycle'],
  PutLifecycleConfiguration: ['PutBucketLifecycle', 'DeleteBucketLifecycle'],
  GetReplicationConfiguration: ['GetBucketReplication'],
  PutReplicationConfiguration: ['PutBucketReplication', 'DeleteBucketReplication'],
  GetEncryptionConfiguration: ['GetBucketEncryption'],
  PutEncryptionConfiguration: ['PutBucketEncryption', 'DeleteBucketEncryption'],
  GetAccelerateConfiguration: ['GetBucketAccelerate'],
  PutAccelerateConfiguration: ['PutBucketAccelerate'],
  GetInventoryConfiguration: ['GetBucketInventory', 'ListBucketInventory'],
  PutInventoryConfiguration: ['PutBucketInventory', 'DeleteBucketInventory', 'PostBucketInventory'],
  GetBucketObjectLockConfiguration: ['GetBucketObjectLockConfiguration'],
  PutBucketObjectLockConfiguration: ['PutBucketObjectLockConfiguration'],
  GetObject: ['GetObject', 'HeadObject'],
  GetObjectVersion: ['GetObject', 'HeadObject'],
  PutObject: ['PutObject', 'PostObject', 'InitiateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'AppendObject'],
  DeleteObject: ['DeleteObject'],
  DeleteObjectVersion: ['DeleteObject'],
  GetObjectAcl: ['GetObjectACL'],
  GetObjectVersionAcl: ['GetObjectACL'],
  PutObjectAcl: ['PutObjectACL'],
  PutObjectVersionAcl: ['PutObjectACL'],
  GetObjectTagging: ['GetObjectTagging'],
  GetObjectVersionTagging: ['GetObjectTagging'],
  PutObjectTagging: ['PutObjectTagging'],
  PutObjectVersionTagging: ['PutObjectTagging'],
  DeleteObjectTagging: ['DeleteObjectTagging'],
  DeleteObjectVersionTagging: ['DeleteObjectTagging'],
  AbortMultipartUpload: ['AbortMultipartUpload'],
  ListMultipartUploadParts: ['ListParts'],
  RestoreObject: ['PostObjectRestore'],
  GetObjectRetention: ['GetObjectRetention'],
  PutObjectRetention: ['PutObjectRetention'],
};

/** S3/IAM condition key, lower-case -> COS key (catalogue.ts CONDITION_KEYS). */
export const S3_CONDITION_KEYS: ReadonlyMap<string, string> = new Map([
  ['aws:sourceip', 'qcs:ip'],
  ['aws:securetransport', 'cos:secure-transport'],
  ['aws:currenttime', 'qcs:current_time'],
  ['aws:sourcevpc', 'qcs:vpc'],
  ['s3:prefix', 'cos:prefix'],
  ['s3:versionid', 'cos:versionid'],
  ['s3:x-amz-acl', 'cos:x-cos-acl'],
  ['s3:x-amz-storage-class', 'cos:x-cos-storage-class'],
]);

/**
 * S3's per-tag keys, lower-case up to the tag key -> the COS key holding `key&value` per tag
 * [https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html]. `s3:RequestObjectTagKeys`
 * has no COS counterpart.
 */
export const S3_TAG_CONDITION_KEYS: ReadonlyMap<string, string> = new Map([
  ['s3:requestobjecttag/', 'qcs:request_tag'],
  ['s3:existingobjecttag/', 'qcs:resource_tag'],
]);

/** IAM condition operator, lower-case, without IfExists -> COS operator (spec/policy.md §6). */
export const S3_OPERATORS: ReadonlyMap<string, string> = new Map([
  ['stringequals', 'string_equal'],
  ['stringnotequals', 'string_not_equal'],
  ['stringequalsignorecase', 'string_equal_ignore_case'],
  ['stringnotequalsignorecase', 'string_not_equal_ignore_case'],
  ['stringlike', 'string_like'],
  ['stringnotlike', 'string_not_like'],
  ['numericequals', 'numeric_equal'],
  ['numericnotequals', 'numeric_not_equal'],
  ['numericlessthan', 'numeric_less_than'],
  ['numericlessthanequals', 'numeric_less_than_equal'],
  ['numericgreaterthan', 'numeric_greater_than'],
  ['numericgreaterthanequals', 'numeric_greater_than_equal'],
  ['dateequals', 'date_equal'],
  ['datenotequals', 'date_not_equal'],
  ['datelessthan', 'date_less_than'],
  ['datelessthanequals', 'date_less_than_equal'],
  ['dategreaterthan', 'date_greater_than'],
  ['dategreaterthanequals', 'date_greater_than_equal'],
  ['bool', 'bool_equal'],
  ['binaryequals', 'binary_equal'],
  ['ipaddress', 'ip_equal'],
  ['notipaddress', 'ip_not_equal'],
  ['null', 'null_equal'],
]);

/** IAM set qualifiers -> COS's (§6 rule 5). */
export const S3_QUALIFIERS: ReadonlyMap<string, string> = new Map([
  ['foranyvalue', 'for_any_value'],
  ['forallvalues', 'for_all_value'],
]);
