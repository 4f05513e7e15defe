// GET Bucket domain: the bucket's custom domains as stored, in COS's element order.
import { DOMAIN } from '../domain/configs/domain.ts';
import { getConfigOperation } from './common/config-document.ts';

export const getBucketDomain = getConfigOperation('GetBucketDomain', DOMAIN);
