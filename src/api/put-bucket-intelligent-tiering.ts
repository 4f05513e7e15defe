// PUT Bucket IntelligentTiering: replaces the bucket's INTELLIGENT_TIERING configuration (stored; objects do not move between tiers); 200.
import { INTELLIGENT_TIERING } from '../domain/configs/intelligent-tiering.ts';
import { putConfigOperation } from './common/config-document.ts';

export const putBucketIntelligentTiering = putConfigOperation('PutBucketIntelligentTiering', INTELLIGENT_TIERING);
