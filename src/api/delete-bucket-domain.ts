// DELETE Bucket domain: removes the bucket's custom domains; 204 whether or not there was one.
import { DOMAIN } from '../domain/configs/domain.ts';
import { deleteConfigOperation } from './common/config-document.ts';

export const deleteBucketDomain = deleteConfigOperation('DeleteBucketDomain', DOMAIN);
