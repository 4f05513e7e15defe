// GET Bucket replication: the bucket's replication rules as stored, in COS's element order.
import { REPLICATION } from '../domain/configs/replication.ts';
import { getConfigOperation } from './common/config-document.ts';

export const getBucketReplication = getConfigOperation('GetBucketReplication', REPLICATION);
