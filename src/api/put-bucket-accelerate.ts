// PUT Bucket accelerate: replaces the bucket's global acceleration status (stored); 200.
import { ACCELERATE } from '../domain/configs/accelerate.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketAccelerate = putConfigOperation('PutBucketAccelerate', ACCELERATE);
