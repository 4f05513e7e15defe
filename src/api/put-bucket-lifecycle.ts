// PUT Bucket lifecycle: replaces the bucket's lifecycle rules (stored; not executed until issue #20); 200.
import { LIFECYCLE } from '../domain/configs/lifecycle.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketLifecycle = putConfigOperation('PutBucketLifecycle', LIFECYCLE);
