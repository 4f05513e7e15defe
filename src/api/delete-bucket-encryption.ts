// DELETE Bucket encryption: removes the bucket's default encryption; 204 whether or not there was one.
import { ENCRYPTION } from '../domain/configs/encryption.ts';
import { deleteConfigOperation } from './common/config-document.ts';

export const deleteBucketEncryption = deleteConfigOperation('DeleteBucketEncryption', ENCRYPTION);
