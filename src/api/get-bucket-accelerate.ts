// GET Bucket accelerate: the bucket's global acceleration status as stored, in COS's element order.
import { ACCELERATE } from '../domain/configs/accelerate.ts';
import { getConfigOperation } from './common/config-document.ts';

export const getBucketAccelerate = getConfigOperation('GetBucketAccelerate', ACCELERATE);
