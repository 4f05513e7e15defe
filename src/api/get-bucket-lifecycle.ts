// GET Bucket lifecycle: the bucket's lifecycle rules as stored, in COS's element order.
import { LIFECYCLE } from '../domain/configs/lifecycle.ts';
import { getConfigOperation } from './common/config-document.ts';

export const getBucketLifecycle = getConfigOperation('GetBucketLifecycle', LIFECYCLE);
