// PUT Bucket website: replaces the bucket's static website configuration (stored; coslocal serves no websites); 200.
import { WEBSITE } from '../domain/configs/website.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketWebsite = putConfigOperation('PutBucketWebsite', WEBSITE);
