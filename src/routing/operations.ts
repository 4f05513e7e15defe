// The table of COS operations: which method, target and subresource select each one, most specific first.

/** `website`: any path on a bucket's static website endpoint (`<bucket>.cos-website.<region>.myqcloud.com`). */
export type Target = 'service' | 'bucket' | 'object' | 'website';

export interface OperationRow {
  id: string;
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS';
  target: Target;
  /** A query parameter that selects this operation (`?acl`, `?delete`). */
  subresource?: string;
  /** Other subresource words the operation takes as parameters (Upload Part's `partNumber`). */
  alsoAccepts?: readonly string[];
  /** A header that selects this operation (PUT Object - Copy is PUT Object plus x-cos-copy-source). */
  header?: string;
  /** A query parameter that selects this operation (GET Bucket inventory is the list plus `id`). */
  param?: string;
  /** Selected whatever subresource the query names (a preflight may target `/?lifecycle` [doc: OPTIONS Object]). */
  anySubresource?: true;
}

export const OPERATIONS = [
  { id: 'GetService', method: 'GET', target: 'service' },
  { id: 'GetBucketLocation', method: 'GET', target: 'bucket', subresource: 'location' },
  { id: 'GetBucketAcl', method: 'GET', target: 'bucket', subresource: 'acl' },
  { id: 'PutBucketAcl', method: 'PUT', target: 'bucket', subresource: 'acl' },
  { id: 'GetBucketPolicy', method: 'GET', target: 'bucket', subresource: 'policy' },
  { id: 'PutBucketPolicy', method: 'PUT', target: 'bucket', subresource: 'policy' },
  { id: 'DeleteBucketPolicy', method: 'DELETE', target: 'bucket', subresource: 'policy' },
  { id: 'GetBucketCors', method: 'GET', target: 'bucket', subresource: 'cors' },
  { id: 'PutBucketCors', method: 'PUT', target: 'bucket', subresource: 'cors' },
  { id: 'DeleteBucketCors', method: 'DELETE', target: 'bucket', subresource: 'cors' },
  { id: 'GetBucketTagging', method: 'GET', target: 'bucket', subresource: 'tagging' },
  { id: 'PutBucketTagging', method: 'PUT', target: 'bucket', subresource: 'tagging' },
  { id: 'DeleteBucketTagging', method: 'DELETE', target: 'bucket', subresource: 'tagging' },
  // Configurations kept as schema-validated documents (domain/configs/).
  { id: 'PutBucketLifecycle', method: 'PUT', target: 'bucket', subresource: 'lifecycle' },
  { id: 'GetBucketLifecycle', method: 'GET', target: 'bucket', subresource: 'lifecycle' },
  { id: 'DeleteBucketLifecycle', method: 'DELETE', target: 'bucket', subresource: 'lifecycle' },
  { id: 'PutBucketWebsite', method: 'PUT', target: 'bucket', subresource: 'website' },
  { id: 'GetBucketWebsite', method: 'GET', target: 'bucket', subresource: 'website' },
  { id: 'DeleteBucketWebsite', method: 'DELETE', target: 'bucket', subresource: 'website' },
  { id: 'PutBucketReferer', method: 'PUT', target: 'bucket', subresource: 'referer' },
  { id: 'GetBucketReferer', method: 'GET', target: 'bucket', subresource: 'referer' },
  { id: 'PutBucketDomain', method: 'PUT', target: 'bucket', subresource: 'domain' },
  { id: 'GetBucketDomain', method: 'GET', target: 'bucket', subresource: 'domain' },
  { id: 'DeleteBucketDomain', method: 'DELETE', target: 'bucket', subresource: 'domain' },
  { id: 'PutBucketDomainCertificate', method: 'PUT', target: 'bucket', subresource: 'domaincertificate' },
  { id: 'GetBucketDomainCertificate', method: 'GET', target: 'bucket', subresource: 'domaincertificate' },
  { id: 'DeleteBucketDomainCertificate', method: 'DELETE', target: 'bucket', subresource: 'domaincertificate' },
  { id: 'PutBucketOrigin', method: 'PUT', target: 'bucket', subresource: 'origin' },
  { id: 'GetBucketOrigin', method: 'GET', target: 'bucket', subresource: 'origin' },
  { id: 'DeleteBucketOrigin', method: 'DELETE', target: 'bucket', subresource: 'origin' },
  { id: 'PutBucketLogging', method: 'PUT', target: 'bucket', subresource: 'logging' },
  { id: 'GetBucketLogging', method: 'GET', target: 'bucket', subresource: 'logging' },
  { id: 'PutBucketAccelerate', method: 'PUT', target: 'bucket', subresource: 'accelerate' },
  { id: 'GetBucketAccelerate', method: 'GET', target: 'bucket', subresource: 'accelerate' },
  { id: 'PutBucketEncryption', method: 'PUT', target: 'bucket', subresource: 'encryption' },
  { id: 'GetBucketEncryption', method: 'GET', target: 'bucket', subresource: 'encryption' },
  { id: 'DeleteBucketEncryption', method: 'DELETE', target: 'bucket', subresource: 'encryption' },
  { id: 'PutBucketReplication', method: 'PUT', target: 'bucket', subresource: 'replication' },
  { id: 'GetBucketReplication', method: 'GET', target: 'bucket', subresource: 'replication' },
  { id: 'DeleteBucketReplication', method: 'DELETE', target: 'bucket', subresource: 'replication' },
  { id: 'PutBucketIntelligentTiering', method: 'PUT', target: 'bucket', subresource: 'intelligenttiering' },
  { id: 'GetBucketIntelligentTiering', method: 'GET', target: 'bucket', subresource: 'intelligenttiering' },
  // v2 (`intelligent-tiering`, S3's word): rules named by `id`; GET without one lists them.
  { id: 'PutBucketIntelligentTieringV2', method: 'PUT', target: 'bucket', subresource: 'intelligent-tiering' },
  { id: 'GetBucketIntelligentTieringV2', method: 'GET', target: 'bucket', subresource: 'intelligent-tiering', param: 'id' },
  { id: 'ListBucketIntelligentTiering', method: 'GET', target: 'bucket', subresource: 'intelligent-tiering' },
  { id: 'DeleteBucketIntelligentTiering', method: 'DELETE', target: 'bucket', subresource: 'intelligent-tiering' },
  { id: 'PutBucketObjectLock', method: 'PUT', target: 'bucket', subresource: 'object-lock' },
  { id: 'GetBucketObjectLock', method: 'GET', target: 'bucket', subresource: 'object-lock' },
  // Inventory: `id` tells one configuration (GET) from the list (no id).
  { id: 'PutBucketInventory', method: 'PUT', target: 'bucket', subresource: 'inventory' },
  { id: 'GetBucketInventory', method: 'GET', target: 'bucket', subresource: 'inventory', param: 'id' },
  { id: 'ListBucketInventory', method: 'GET', target: 'bucket', subresource: 'inventory' },
  { id: 'DeleteBucketInventory', method: 'DELETE', target: 'bucket', subresource: 'inventory' },
  { id: 'PostBucketInventory', method: 'POST', target: 'bucket', subresource: 'inventory' },
  // Preflights may name any resource of the bucket, the bucket itself included.
  { id: 'OptionsObject', method: 'OPTIONS', target: 'object', anySubresource: true },
  { id: 'OptionsObject', method: 'OPTIONS', target: 'bucket', anySubresource: true },
  { id: 'GetBucketVersioning', method: 'GET', target: 'bucket', subresource: 'versioning' },
  { id: 'PutBucketVersioning', method: 'PUT', target: 'bucket', subresource: 'versioning' },
  { id: 'GetBucketObjectVersions', method: 'GET', target: 'bucket', subresource: 'versions' },
  { id: 'GetObjectAcl', method: 'GET', target: 'object', subresource: 'acl' },
  { id: 'PutObjectAcl', method: 'PUT', target: 'object', subresource: 'acl' },
  { id: 'PutObjectTagging', method: 'PUT', target: 'object', subresource: 'tagging' },
  { id: 'GetObjectTagging', method: 'GET', target: 'object', subresource: 'tagging' },
  { id: 'DeleteObjectTagging', method: 'DELETE', target: 'object', subresource: 'tagging' },
  { id: 'PostObjectRestore', method: 'POST', target: 'object', subresource: 'restore' },
  { id: 'PutObjectRetention', method: 'PUT', target: 'object', subresource: 'retention' },
  { id: 'GetObjectRetention', method: 'GET', target: 'object', subresource: 'retention' },
  { id: 'DeleteMultipleObjects', method: 'POST', target: 'bucket', subresource: 'delete' },
  { id: 'ListMultipartUploads', method: 'GET', target: 'bucket', subresource: 'uploads' },
  { id: 'InitiateMultipartUpload', method: 'POST', target: 'object', subresource: 'uploads' },
  { id: 'UploadPartCopy', method: 'PUT', target: 'object', subresource: 'uploadId', alsoAccepts: ['partNumber'], header: 'x-cos-copy-source' },
  { id: 'UploadPart', method: 'PUT', target: 'object', subresource: 'uploadId', alsoAccepts: ['partNumber'] },
  { id: 'CompleteMultipartUpload', method: 'POST', target: 'object', subresource: 'uploadId' },
  { id: 'AbortMultipartUpload', method: 'DELETE', target: 'object', subresource: 'uploadId' },
  { id: 'ListParts', method: 'GET', target: 'object', subresource: 'uploadId' },
  { id: 'AppendObject', method: 'POST', target: 'object', subresource: 'append' },
  { id: 'SelectObjectContent', method: 'POST', target: 'object', subresource: 'select' },
  { id: 'PutSymlink', method: 'PUT', target: 'object', subresource: 'symlink' },
  { id: 'GetSymlink', method: 'GET', target: 'object', subresource: 'symlink' },
  { id: 'PostObject', method: 'POST', target: 'bucket' },
  // S3 ListObjectsV2 (`?list-type=2`), which COS also answers on its S3 endpoint.
  { id: 'ListObjectsV2', method: 'GET', target: 'bucket', subresource: 'list-type' },
  { id: 'GetBucket', method: 'GET', target: 'bucket' },
  { id: 'PutBucket', method: 'PUT', target: 'bucket' },
  { id: 'HeadBucket', method: 'HEAD', target: 'bucket' },
  { id: 'DeleteBucket', method: 'DELETE', target: 'bucket' },
  { id: 'PutObjectCopy', method: 'PUT', target: 'object', header: 'x-cos-copy-source' },
  { id: 'PutObject', method: 'PUT', target: 'object' },
  { id: 'GetObject', method: 'GET', target: 'object' },
  { id: 'HeadObject', method: 'HEAD', target: 'object' },
  { id: 'DeleteObject', method: 'DELETE', target: 'object' },
  // The static website endpoint serves pages; what a query names does not change that.
  { id: 'GetWebsiteObject', method: 'GET', target: 'website', anySubresource: true },
  { id: 'HeadWebsiteObject', method: 'HEAD', target: 'website', anySubresource: true },
] as const satisfies readonly OperationRow[];

export type OperationId = (typeof OPERATIONS)[number]['id'];

/**
 * Query words that name a subresource, COS's (spec/api-common.md §1.1 and the API list) and S3's (the
 * S3 API reference), whether or not coslocal implements it. The one list that decides: a request
 * carrying one that its operation's row does not name gets 501 NotImplemented and changes nothing,
 * instead of falling through to the plain operation (`DELETE /?ownershipControls` must not delete the
 * bucket, `GET /k?attributes` must not return the object). Parameters that only modify an operation
 * (`versionId`, `prefix`, `response-*`, `id`, `position`, signature fields) are not listed.
 */
export const SUBRESOURCES: ReadonlySet<string> = new Set([
  // COS
  'acl', 'uploads', 'uploadId', 'partNumber', 'policy', 'cors', 'delete', 'versions', 'location', 'referer',
  'lifecycle', 'versioning', 'notification', 'replication', 'website', 'logging', 'tagging', 'accelerate',
  'domain', 'domaincertificate', 'inventory', 'origin', 'object-lock', 'retention', 'live', 'encryption',
  'intelligenttiering', 'intelligent-tiering', 'symlink', 'append', 'restore', 'select', 'rename', 'ci-process', 'list-type',
  // S3 only
  'analytics', 'attributes', 'legal-hold', 'metrics', 'ownershipControls',
  'policyStatus', 'publicAccessBlock', 'requestPayment', 'torrent', 'session', 'renameObject',
  'metadataTable', 'metadataConfiguration', 'metadataInventoryTable', 'metadataJournalTable',
]);
