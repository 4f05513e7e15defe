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
import { getBucketCors } from './get-bucket-cors.ts';
import { optionsObject } from './options-object.ts';
import { postObject } from './post-object.ts';
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
  DeleteObject: deleteObject,
  GetBucketPolicy: getBucketPolicy,
  PutBucketPolicy: putBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  GetBucketCors: getBucketCors,
  PutBucketCors: putBucketCors,
  DeleteBucketCors: deleteBucketCors,
  GetBucketTagging: getBucketTagging,
  PutBucketTagging: putBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  OptionsObject: optionsObject,
  PostObject: postObject,
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
