// PUT Bucket encryption: replaces the bucket's default encryption (stored; objects are not encrypted by it); 200.
import { ENCRYPTION } from '../domain/configs/encryption.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketEncryption = putConfigOperation('PutBucketEncryption', ENCRYPTION);
