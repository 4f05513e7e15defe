// COS action names (`name/cos:<Api>`, spec/policy.md §4.1) and the resources requests act on.
import type { OperationId } from '../routing/operations.ts';

export type CosAction = `name/cos:${string}`;

/**
 * The action a route is authorized as. Copies are PutObject on the destination (GetObject on the
 * source is checked separately) and a multi-delete is DeleteObject per key [doc, spec/policy.md §4.1].
 */
export const ACTION_OF: Readonly<Record<OperationId, CosAction>> = {
  GetService: 'name/cos:GetService',
  GetBucketLocation: 'name/cos:GetBucketLocation',
  DeleteMultipleObjects: 'name/cos:DeleteObject',
  GetBucket: 'name/cos:GetBucket',
  PutBucket: 'name/cos:PutBucket',
  HeadBucket: 'name/cos:HeadBucket',
  DeleteBucket: 'name/cos:DeleteBucket',
  PutObjectCopy: 'name/cos:PutObject',
  PutObject: 'name/cos:PutObject',
  GetObject: 'name/cos:GetObject',
  HeadObject: 'name/cos:HeadObject',
  DeleteObject: 'name/cos:DeleteObject',
};
