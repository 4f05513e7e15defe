// PUT Bucket ObjectLockConfiguration: replaces the bucket's object lock configuration (new versions get its DefaultRetention: domain/object-lock.ts); 200.
import { OBJECT_LOCK } from '../domain/configs/object-lock.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketObjectLock = putConfigOperation('PutBucketObjectLock', OBJECT_LOCK);
