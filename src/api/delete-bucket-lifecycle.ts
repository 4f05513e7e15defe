// DELETE Bucket lifecycle: removes the bucket's lifecycle rules; 204 whether or not there was one.
import { LIFECYCLE } from '../domain/configs/lifecycle.ts';
import { deleteConfigOperation } from './common/config-document.ts';

export const deleteBucketLifecycle = deleteConfigOperation('DeleteBucketLifecycle', LIFECYCLE);
