// DELETE Bucket replication: removes the bucket's replication rules; 204 whether or not there was one.
import { REPLICATION } from '../domain/configs/replication.ts';
import { deleteConfigOperation } from './common/config-document.ts';

export const deleteBucketReplication = deleteConfigOperation('DeleteBucketReplication', REPLICATION);
