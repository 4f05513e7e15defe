// PUT Bucket referer: replaces the bucket's hotlink protection, checked on every unsigned request from then on (authz/referer.ts); 200.
import { REFERER } from '../domain/configs/referer.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketReferer = putConfigOperation('PutBucketReferer', REFERER);
