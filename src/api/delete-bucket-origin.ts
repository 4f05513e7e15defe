// DELETE Bucket origin: removes the bucket's back-to-origin rules; 204 whether or not there was one.
import { ORIGIN } from '../domain/configs/origin.ts';
import { deleteConfigOperation } from './common/config-document.ts';

export const deleteBucketOrigin = deleteConfigOperation('DeleteBucketOrigin', ORIGIN);
