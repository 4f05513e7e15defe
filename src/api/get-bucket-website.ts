// GET Bucket website: the bucket's static website configuration as stored, in COS's element order.
import { WEBSITE } from '../domain/configs/website.ts';
import { getConfigOperation } from './common/config-document.ts';

export const getBucketWebsite = getConfigOperation('GetBucketWebsite', WEBSITE);
