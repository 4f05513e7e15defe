// INTELLIGENT_TIERING (PUT/GET Bucket IntelligentTiering): validated and stored; objects do not move
// between tiers. [doc: PUT Bucket IntelligentTiering, https://cloud.tencent.com/document/product/436/38314]
import { group, oneOf, optional, required } from '../config-schema.ts';
import type { ConfigDocument } from './document.ts';
import { checkV1Unchanged } from './intelligent-tiering-rules.ts';

export const INTELLIGENT_TIERING: ConfigDocument = {
  kind: 'intelligentTiering',
  root: 'IntelligentTieringConfiguration',
  schema: group(
    required('Status', oneOf('Enabled')),
    required('Transition', group(required('Days', oneOf('30', '60', '90')), optional('RequestFrequent', oneOf('1')))),
  ),
  /** "Once enabled, INTELLIGENT TIERING cannot be disabled or modified" [doc]; v2's `default` rule is this document. */
  check(tree, { bucket }) {
    checkV1Unchanged(bucket.intelligentTiering, tree, 'Not support modify intelligent tiering configuration');
  },
  // "If you have never enabled INTELLIGENT TIERING ... <IntelligentTieringConfiguration/>" [doc: GET Bucket IntelligentTiering].
  absent: 'empty',
};
