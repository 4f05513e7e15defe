// GET Bucket origin: the bucket's back-to-origin rules as stored, in COS's element order.
import { ORIGIN } from '../domain/configs/origin.ts';
import { getConfigOperation } from './common/config-document.ts';

export const getBucketOrigin = getConfigOperation('GetBucketOrigin', ORIGIN);
