// PUT Bucket referer: replaces the bucket's hotlink protection (stored; requests are not checked against it); 200.
import { REFERER } from '../domain/configs/referer.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketReferer = putConfigOperation('PutBucketReferer', REFERER);
