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
import type { Operation } from './operation.ts';
import { putBucket } from './put-bucket.ts';
import { getBucketObjectVersions } from './get-bucket-object-versions.ts';
import { getBucketVersioning } from './get-bucket-versioning.ts';
import { putBucketVersioning } from './put-bucket-versioning.ts';
import { putObjectCopy } from './put-object-copy.ts';
import { putObject } from './put-object.ts';

export const OPERATION_HANDLERS: Readonly<Record<OperationId, Operation>> = {
  GetService: getService,
  GetBucketLocation: getBucketLocation,
  DeleteMultipleObjects: deleteMultipleObjects,
  GetBucket: getBucket,
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
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  GetBucketObjectVersions: getBucketObjectVersions,
};
