// GET Bucket IntelligentTiering: the bucket's INTELLIGENT_TIERING configuration as stored, in COS's element order.
import { INTELLIGENT_TIERING } from '../domain/configs/intelligent-tiering.ts';
import { getConfigOperation } from './common/config-document.ts';

export const getBucketIntelligentTiering = getConfigOperation('GetBucketIntelligentTiering', INTELLIGENT_TIERING);
