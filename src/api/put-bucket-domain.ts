// PUT Bucket domain: replaces the bucket's custom domains (stored; coslocal does not answer on them); 200.
import { DOMAIN } from '../domain/configs/domain.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketDomain = putConfigOperation('PutBucketDomain', DOMAIN);
