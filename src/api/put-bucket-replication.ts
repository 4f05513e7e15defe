// PUT Bucket replication: replaces the bucket's replication rules (stored; nothing is replicated until issue #20); 200.
import { REPLICATION } from '../domain/configs/replication.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketReplication = putConfigOperation('PutBucketReplication', REPLICATION);
