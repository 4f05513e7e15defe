// COS action names (`name/cos:<Api>`, spec/policy.md §4.1) and the resources requests act on.
import type { Permission } from '../domain/acl.ts';
import type { OperationId } from '../routing/operations.ts';

export type CosAction = `name/cos:${string}`;

/** What an ACL must grant for an action, and on what (spec/acl.md §2); absent: no ACL permission grants it. */
export interface AclNeed {
  on: 'bucket' | 'object';
  permission: Permission;
}

const bucket = (permission: Permission): AclNeed => ({ on: 'bucket', permission });
const object = (permission: Permission): AclNeed => ({ on: 'object', permission });

export const ACL_NEED: Readonly<Partial<Record<CosAction, AclNeed>>> = {
  'name/cos:GetBucket': bucket('READ'),
  'name/cos:HeadBucket': bucket('READ'),
  'name/cos:GetBucketObjectVersions': bucket('READ'),
  'name/cos:ListMultipartUploads': bucket('READ'),
  // Bucket WRITE governs creating, overwriting and deleting keys whatever the object's own ACL says.
  'name/cos:PutObject': bucket('WRITE'),
  'name/cos:PostObject': bucket('WRITE'),
  'name/cos:InitiateMultipartUpload': bucket('WRITE'),
  'name/cos:UploadPart': bucket('WRITE'),
  'name/cos:UploadPartCopy': bucket('WRITE'),
  'name/cos:CompleteMultipartUpload': bucket('WRITE'),
  // AbortMultipartUpload and ListParts are in no ACL permission's list: only the owner or a policy grants them (spec/acl.md §2).
  'name/cos:DeleteObject': bucket('WRITE'),
  'name/cos:GetBucketACL': bucket('READ_ACP'),
  'name/cos:PutBucketACL': bucket('WRITE_ACP'),
  // The PUT Bucket acl header table says READ_ACP/WRITE_ACP also cover reading/writing the policy (spec/acl.md §2).
  'name/cos:GetBucketPolicy': bucket('READ_ACP'),
  'name/cos:PutBucketPolicy': bucket('WRITE_ACP'),
  'name/cos:GetObject': object('READ'),
  // A link is an object like another: writing one needs what PutObject needs, reading one what GetObject does.
  'name/cos:PutSymlink': bucket('WRITE'),
  'name/cos:GetSymlink': object('READ'),
  'name/cos:HeadObject': object('READ'),
  'name/cos:GetObjectACL': object('READ_ACP'),
  // Put/GetBucketVersioning are bucket configuration: no ACL permission grants them, only ownership or a
  // policy (spec/acl.md §2, operations not listed).
  'name/cos:PutObjectACL': object('WRITE_ACP'),
};

/**
 * The action a route is authorized as. Copies are PutObject on the destination (GetObject on the
 * source is checked separately) and a multi-delete is DeleteObject per key [doc, spec/policy.md §4.1].
 */
export const ACTION_OF: Readonly<Record<OperationId, CosAction>> = {
  GetService: 'name/cos:GetService',
  GetBucketLocation: 'name/cos:GetBucketLocation',
  DeleteMultipleObjects: 'name/cos:DeleteObject',
  GetBucket: 'name/cos:GetBucket',
  ListObjectsV2: 'name/cos:GetBucket',
  PutBucket: 'name/cos:PutBucket',
  HeadBucket: 'name/cos:HeadBucket',
  DeleteBucket: 'name/cos:DeleteBucket',
  PutObjectCopy: 'name/cos:PutObject',
  PutObject: 'name/cos:PutObject',
  GetObject: 'name/cos:GetObject',
  HeadObject: 'name/cos:HeadObject',
  // A static website page is a read of the object its path names.
  GetWebsiteObject: 'name/cos:GetObject',
  HeadWebsiteObject: 'name/cos:HeadObject',
  DeleteObject: 'name/cos:DeleteObject',
  GetBucketPolicy: 'name/cos:GetBucketPolicy',
  PutBucketPolicy: 'name/cos:PutBucketPolicy',
  DeleteBucketPolicy: 'name/cos:DeleteBucketPolicy',
  GetBucketAcl: 'name/cos:GetBucketACL',
  PutBucketAcl: 'name/cos:PutBucketACL',
  GetObjectAcl: 'name/cos:GetObjectACL',
  GetBucketVersioning: 'name/cos:GetBucketVersioning',
  PutBucketVersioning: 'name/cos:PutBucketVersioning',
  GetBucketObjectVersions: 'name/cos:GetBucketObjectVersions',
  PutObjectAcl: 'name/cos:PutObjectACL',
  PutObjectTagging: 'name/cos:PutObjectTagging',
  GetObjectTagging: 'name/cos:GetObjectTagging',
  DeleteObjectTagging: 'name/cos:DeleteObjectTagging',
  PostObjectRestore: 'name/cos:PostObjectRestore',
  // COS authorizes a select as a read of the object [doc: SELECT Object Content; the SDKs sign it as cos:GetObject].
  SelectObjectContent: 'name/cos:GetObject',
  PutObjectRetention: 'name/cos:PutObjectRetention',
  GetObjectRetention: 'name/cos:GetObjectRetention',
  GetBucketCors: 'name/cos:GetBucketCORS',
  PutBucketCors: 'name/cos:PutBucketCORS',
  DeleteBucketCors: 'name/cos:DeleteBucketCORS',
  GetBucketTagging: 'name/cos:GetBucketTagging',
  PutBucketTagging: 'name/cos:PutBucketTagging',
  DeleteBucketTagging: 'name/cos:DeleteBucketTagging',
  // Configurations: no ACL permission grants them, only ownership or a policy (spec/acl.md §2); COS's
  // object lock actions carry the API's full name [doc: PUT Bucket ObjectLockConfiguration].
  PutBucketLifecycle: 'name/cos:PutBucketLifecycle',
  GetBucketLifecycle: 'name/cos:GetBucketLifecycle',
  DeleteBucketLifecycle: 'name/cos:DeleteBucketLifecycle',
  PutBucketWebsite: 'name/cos:PutBucketWebsite',
  GetBucketWebsite: 'name/cos:GetBucketWebsite',
  DeleteBucketWebsite: 'name/cos:DeleteBucketWebsite',
  PutBucketReferer: 'name/cos:PutBucketReferer',
  GetBucketReferer: 'name/cos:GetBucketReferer',
  PutBucketDomain: 'name/cos:PutBucketDomain',
  GetBucketDomain: 'name/cos:GetBucketDomain',
  DeleteBucketDomain: 'name/cos:DeleteBucketDomain',
  PutBucketDomainCertificate: 'name/cos:PutBucketDomainCertificate',
  GetBucketDomainCertificate: 'name/cos:GetBucketDomainCertificate',
  DeleteBucketDomainCertificate: 'name/cos:DeleteBucketDomainCertificate',
  PutBucketOrigin: 'name/cos:PutBucketOrigin',
  GetBucketOrigin: 'name/cos:GetBucketOrigin',
  DeleteBucketOrigin: 'name/cos:DeleteBucketOrigin',
  PutBucketLogging: 'name/cos:PutBucketLogging',
  GetBucketLogging: 'name/cos:GetBucketLogging',
  PutBucketAccelerate: 'name/cos:PutBucketAccelerate',
  GetBucketAccelerate: 'name/cos:GetBucketAccelerate',
  PutBucketEncryption: 'name/cos:PutBucketEncryption',
  GetBucketEncryption: 'name/cos:GetBucketEncryption',
  DeleteBucketEncryption: 'name/cos:DeleteBucketEncryption',
  PutBucketReplication: 'name/cos:PutBucketReplication',
  GetBucketReplication: 'name/cos:GetBucketReplication',
  DeleteBucketReplication: 'name/cos:DeleteBucketReplication',
  PutBucketIntelligentTiering: 'name/cos:PutBucketIntelligentTiering',
  GetBucketIntelligentTiering: 'name/cos:GetBucketIntelligentTiering',
  // v2: COS names no actions of its own for PUT, GET and the list [doc: PUT Bucket IntelligentTiering].
  PutBucketIntelligentTieringV2: 'name/cos:PutBucketIntelligentTiering',
  GetBucketIntelligentTieringV2: 'name/cos:GetBucketIntelligentTiering',
  ListBucketIntelligentTiering: 'name/cos:GetBucketIntelligentTiering',
  DeleteBucketIntelligentTiering: 'name/cos:DeleteBucketIntelligentTiering',
  PutBucketObjectLock: 'name/cos:PutBucketObjectLockConfiguration',
  GetBucketObjectLock: 'name/cos:GetBucketObjectLockConfiguration',
  PutBucketInventory: 'name/cos:PutBucketInventory',
  GetBucketInventory: 'name/cos:GetBucketInventory',
  ListBucketInventory: 'name/cos:ListBucketInventory',
  DeleteBucketInventory: 'name/cos:DeleteBucketInventory',
  PostBucketInventory: 'name/cos:PostBucketInventory',
  // Never decided: preflights carry no credentials; the bucket's CORS rules answer them (api/options-object.ts).
  OptionsObject: 'name/cos:OptionsObject',
  PostObject: 'name/cos:PostObject',
  // No ACL permission grants it (spec/acl.md §2): the owner, or a policy naming AppendObject.
  AppendObject: 'name/cos:AppendObject',
  // A read through a link is also decided on its target (api/common/symlink.ts).
  PutSymlink: 'name/cos:PutSymlink',
  GetSymlink: 'name/cos:GetSymlink',
  // Multipart: each step is its own action (spec/policy.md §4.1); Upload Part - Copy also needs GetObject on the source.
  ListMultipartUploads: 'name/cos:ListMultipartUploads',
  InitiateMultipartUpload: 'name/cos:InitiateMultipartUpload',
  UploadPart: 'name/cos:UploadPart',
  UploadPartCopy: 'name/cos:UploadPartCopy',
  CompleteMultipartUpload: 'name/cos:CompleteMultipartUpload',
  AbortMultipartUpload: 'name/cos:AbortMultipartUpload',
  ListParts: 'name/cos:ListParts',
};
