// PUT Bucket logging: replaces the bucket's access logging (jobs/logging.ts delivers the logs); 200.
import { LOGGING } from '../domain/configs/logging.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketLogging = putConfigOperation('PutBucketLogging', LOGGING);
