// PUT Bucket origin: replaces the bucket's back-to-origin rules (stored; nothing is fetched from an origin); 200.
import { ORIGIN } from '../domain/configs/origin.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketOrigin = putConfigOperation('PutBucketOrigin', ORIGIN);
