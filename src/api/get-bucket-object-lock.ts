// GET Bucket ObjectLockConfiguration: the bucket's object lock configuration as stored, in COS's element order.
import { OBJECT_LOCK } from '../domain/configs/object-lock.ts';
import { getConfigOperation } from './common/config-document.ts';

export const getBucketObjectLock = getConfigOperation('GetBucketObjectLock', OBJECT_LOCK);
