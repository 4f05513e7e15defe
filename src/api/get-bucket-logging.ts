// GET Bucket logging: the bucket's access logging as stored, in COS's element order.
import { LOGGING } from '../domain/configs/logging.ts';
import { getConfigOperation } from './common/config-document.ts';

export const getBucketLogging = getConfigOperation('GetBucketLogging', LOGGING);
