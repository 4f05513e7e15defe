// PUT Bucket replication: replaces the bucket's replication rules once domain/configs/replication.ts has checked both ends and the Role's write to the destination; 200.
import { REPLICATION } from '../domain/configs/replication.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketReplication = putConfigOperation('PutBucketReplication', REPLICATION);
