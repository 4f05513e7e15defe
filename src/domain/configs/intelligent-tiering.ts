// INTELLIGENT_TIERING (PUT/GET Bucket IntelligentTiering): validated and stored; objects do not move
// between tiers. [doc: PUT Bucket IntelligentTiering, https://cloud.tencent.com/document/product/436/38314]
import { cosError } from '../../errors/cos-error.ts';
import { CONFIG_CODEC, group, oneOf, optional, required } from '../config-schema.ts';
import type { ConfigDocument } from './document.ts';

export const INTELLIGENT_TIERING: ConfigDocument = {
  kind: 'intelligentTiering',
  root: 'IntelligentTieringConfiguration',
  schema: group(
    required('Status', oneOf('Enabled')),
    required('Transition', group(required('Days', oneOf('30', '60', '90')), optional('RequestFrequent', oneOf('1')))),
  ),
  /** "Once enabled, INTELLIGENT TIERING cannot be disabled or modified" [doc]: the same document again is fine. */
  check(tree, { bucket }) {
    const current = bucket.intelligentTiering;
    if (current && CONFIG_CODEC.encode(current) !== CONFIG_CODEC.encode(tree)) {
      throw cosError('InvalidRequest', { message: 'INTELLIGENT_TIERING cannot be modified once enabled' });
    }
  },
  // "If you have never enabled INTELLIGENT TIERING ... <IntelligentTieringConfiguration/>" [doc: GET Bucket IntelligentTiering].
  absent: 'empty',
};
