// GET Bucket referer: the bucket's hotlink protection as stored, in COS's element order.
import { REFERER } from '../domain/configs/referer.ts';
import { getConfigOperation } from './common/config-document.ts';

export const getBucketReferer = getConfigOperation('GetBucketReferer', REFERER);
