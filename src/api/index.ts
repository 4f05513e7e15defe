// Every operation by id: the one place the router's OperationId meets its implementation.
import type { OperationId } from '../routing/operations.ts';
import { deleteBucket } from './delete-bucket.ts';
import { deleteMultipleObjects } from './delete-multiple-objects.ts';
import { deleteObject } from './delete-object.ts';
import { getBucketAcl } from './get-bucket-acl.ts';
import { deleteBucketPolicy } from './delete-bucket-policy.ts';
import { getBucketPolicy } from './get-bucket-policy.ts';
import { putBucketPolicy } from './put-bucket-policy.ts';
import { getObjectAcl } from './get-object-acl.ts';
import { putBucketAcl } from './put-bucket-acl.ts';
import { putObjectAcl } from './put-object-acl.ts';
import { putObjectTagging } from './put-object-tagging.ts';
import { getObjectTagging } from './get-object-tagging.ts';
import { deleteObjectTagging } from './delete-object-tagging.ts';
import { postObjectRestore } from './post-object-restore.ts';
import { selectObjectContent } from './select-object-content.ts';
import { putObjectRetention } from './put-object-retention.ts';
import { getObjectRetention } from './get-object-retention.ts';
import { getBucketLocation } from './get-bucket-location.ts';
import { getBucket } from './get-bucket.ts';
import { getObject } from './get-object.ts';
import { getService } from './get-service.ts';
import { headBucket } from './head-bucket.ts';
import { headObject } from './head-object.ts';
import { listObjectsV2 } from './list-objects-v2.ts';
import type { Operation } from './operation.ts';
import { abortMultipartUpload } from './abort-multipart-upload.ts';
import { completeMultipartUpload } from './complete-multipart-upload.ts';
import { initiateMultipartUpload } from './initiate-multipart-upload.ts';
import { listMultipartUploads } from './list-multipart-uploads.ts';
import { listParts } from './list-parts.ts';
import { uploadPartCopy } from './upload-part-copy.ts';
import { uploadPart } from './upload-part.ts';
import { putBucket } from './put-bucket.ts';
import { getBucketObjectVersions } from './get-bucket-object-versions.ts';
import { getBucketVersioning } from './get-bucket-versioning.ts';
import { putBucketVersioning } from './put-bucket-versioning.ts';
import { putObjectCopy } from './put-object-copy.ts';
import { putObject } from './put-object.ts';
import { deleteBucketCors } from './delete-bucket-cors.ts';
import { deleteBucketTagging } from './delete-bucket-tagging.ts';
import { getBucketTagging } from './get-bucket-tagging.ts';
import { putBucketTagging } from './put-bucket-tagging.ts';
import { putBucketLifecycle } from './put-bucket-lifecycle.ts';
import { getBucketLifecycle } from './get-bucket-lifecycle.ts';
import { deleteBucketLifecycle } from './delete-bucket-lifecycle.ts';
import { putBucketWebsite } from './put-bucket-website.ts';
import { getBucketWebsite } from './get-bucket-website.ts';
import { deleteBucketWebsite } from './delete-bucket-website.ts';
import { putBucketReferer } from './put-bucket-referer.ts';
import { getWebsiteObject, headWebsiteObject } from './website-object.ts';
import { getBucketReferer } from './get-bucket-referer.ts';
import { putBucketDomain } from './put-bucket-domain.ts';
import { getBucketDomain } from './get-bucket-domain.ts';
import { deleteBucketDomain } from './delete-bucket-domain.ts';
import { putBucketDomainCertificate } from './put-bucket-domain-certificate.ts';
import { getBucketDomainCertificate } from './get-bucket-domain-certificate.ts';
import { deleteBucketDomainCertificate } from './delete-bucket-domain-certificate.ts';
import { putBucketOrigin } from './put-bucket-origin.ts';
import { getBucketOrigin } from './get-bucket-origin.ts';
import { deleteBucketOrigin } from './delete-bucket-origin.ts';
import { putBucketLogging } from './put-bucket-logging.ts';
import { getBucketLogging } from './get-bucket-logging.ts';
import { putBucketAccelerate } from './put-bucket-accelerate.ts';
import { getBucketAccelerate } from './get-bucket-accelerate.ts';
import { putBucketEncryption } from './put-bucket-encryption.ts';
import { getBucketEncryption } from './get-bucket-encryption.ts';
import { deleteBucketEncryption } from './delete-bucket-encryption.ts';
import { putBucketReplication } from './put-bucket-replication.ts';
import { getBucketReplication } from './get-bucket-replication.ts';
import { deleteBucketReplication } from './delete-bucket-replication.ts';
import { putBucketIntelligentTiering } from './put-bucket-intelligent-tiering.ts';
import { getBucketIntelligentTiering } from './get-bucket-intelligent-tiering.ts';
import { putBucketIntelligentTieringV2 } from './put-bucket-intelligent-tiering-v2.ts';
import { getBucketIntelligentTieringV2 } from './get-bucket-intelligent-tiering-v2.ts';
import { listBucketIntelligentTiering } from './list-bucket-intelligent-tiering.ts';
import { deleteBucketIntelligentTiering } from './delete-bucket-intelligent-tiering.ts';
import { putBucketObjectLock } from './put-bucket-object-lock.ts';
import { getBucketObjectLock } from './get-bucket-object-lock.ts';
import { putBucketInventory } from './put-bucket-inventory.ts';
import { getBucketInventory } from './get-bucket-inventory.ts';
import { listBucketInventory } from './list-bucket-inventory.ts';
import { deleteBucketInventory } from './delete-bucket-inventory.ts';
import { getBucketCors } from './get-bucket-cors.ts';
import { optionsObject } from './options-object.ts';
import { postObject } from './post-object.ts';
import { appendObject } from './append-object.ts';
import { postBucketInventory } from './post-bucket-inventory.ts';
import { getSymlink } from './get-symlink.ts';
import { putSymlink } from './put-symlink.ts';
import { putBucketCors } from './put-bucket-cors.ts';

export const OPERATION_HANDLERS: Readonly<Record<OperationId, Operation>> = {
  GetService: getService,
  GetBucketLocation: getBucketLocation,
  DeleteMultipleObjects: deleteMultipleObjects,
  GetBucket: getBucket,
  ListObjectsV2: listObjectsV2,
  PutBucket: putBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  PutObjectCopy: putObjectCopy,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  GetWebsiteObject: getWebsiteObject,
  HeadWebsiteObject: headWebsiteObject,
  DeleteObject: deleteObject,
  GetBucketPolicy: getBucketPolicy,
  PutBucketPolicy: putBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  PutObjectTagging: putObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  PostObjectRestore: postObjectRestore,
  SelectObjectContent: selectObjectContent,
  PutObjectRetention: putObjectRetention,
  GetObjectRetention: getObjectRetention,
  GetBucketCors: getBucketCors,
  PutBucketCors: putBucketCors,
  DeleteBucketCors: deleteBucketCors,
  GetBucketTagging: getBucketTagging,
  PutBucketTagging: putBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  PutBucketLifecycle: putBucketLifecycle,
  GetBucketLifecycle: getBucketLifecycle,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  PutBucketWebsite: putBucketWebsite,
  GetBucketWebsite: getBucketWebsite,
  DeleteBucketWebsite: deleteBucketWebsite,
  PutBucketReferer: putBucketReferer,
  GetBucketReferer: getBucketReferer,
  PutBucketDomain: putBucketDomain,
  GetBucketDomain: getBucketDomain,
  DeleteBucketDomain: deleteBucketDomain,
  PutBucketDomainCertificate: putBucketDomainCertificate,
  GetBucketDomainCertificate: getBucketDomainCertificate,
  DeleteBucketDomainCertificate: deleteBucketDomainCertificate,
  PutBucketOrigin: putBucketOrigin,
  GetBucketOrigin: getBucketOrigin,
  DeleteBucketOrigin: deleteBucketOrigin,
  PutBucketLogging: putBucketLogging,
  GetBucketLogging: getBucketLogging,
  PutBucketAccelerate: putBucketAccelerate,
  GetBucketAccelerate: getBucketAccelerate,
  PutBucketEncryption: putBucketEncryption,
  GetBucketEncryption: getBucketEncryption,
  DeleteBucketEncryption: deleteBucketEncryption,
  PutBucketReplication: putBucketReplication,
  GetBucketReplication: getBucketReplication,
  DeleteBucketReplication: deleteBucketReplication,
  PutBucketIntelligentTiering: putBucketIntelligentTiering,
  GetBucketIntelligentTiering: getBucketIntelligentTiering,
  PutBucketIntelligentTieringV2: putBucketIntelligentTieringV2,
  GetBucketIntelligentTieringV2: getBucketIntelligentTieringV2,
  ListBucketIntelligentTiering: listBucketIntelligentTiering,
  DeleteBucketIntelligentTiering: deleteBucketIntelligentTiering,
  PutBucketObjectLock: putBucketObjectLock,
  GetBucketObjectLock: getBucketObjectLock,
  PutBucketInventory: putBucketInventory,
  GetBucketInventory: getBucketInventory,
  ListBucketInventory: listBucketInventory,
  DeleteBucketInventory: deleteBucketInventory,
  PostBucketInventory: postBucketInventory,
  OptionsObject: optionsObject,
  PostObject: postObject,
  AppendObject: appendObject,
  PutSymlink: putSymlink,
  GetSymlink: getSymlink,
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  GetBucketObjectVersions: getBucketObjectVersions,
  ListMultipartUploads: listMultipartUploads,
  InitiateMultipartUpload: initiateMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
};
