// PUT Bucket website: replaces the bucket's static website configuration, served at its cos-website endpoint (api/website-object.ts); 200.
import { WEBSITE } from '../domain/configs/website.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketWebsite = putConfigOperation('PutBucketWebsite', WEBSITE);
