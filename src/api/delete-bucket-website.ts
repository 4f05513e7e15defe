// DELETE Bucket website: removes the bucket's static website configuration; 204 whether or not there was one.
import { WEBSITE } from '../domain/configs/website.ts';
import { deleteConfigOperation } from './common/config-document.ts';

export const deleteBucketWebsite = deleteConfigOperation('DeleteBucketWebsite', WEBSITE);
