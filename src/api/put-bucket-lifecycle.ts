// PUT Bucket lifecycle: replaces the bucket's lifecycle rules (run by jobs/lifecycle.ts); 200.
import { LIFECYCLE } from '../domain/configs/lifecycle.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketLifecycle = putConfigOperation('PutBucketLifecycle', LIFECYCLE);
