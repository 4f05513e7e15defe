// GET Bucket encryption: the bucket's default encryption as stored, in COS's element order.
import { ENCRYPTION } from '../domain/configs/encryption.ts';
import { getConfigOperation } from './common/config-document.ts';

export const getBucketEncryption = getConfigOperation('GetBucketEncryption', ENCRYPTION);
