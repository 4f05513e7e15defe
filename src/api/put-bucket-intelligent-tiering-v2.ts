// PUT Bucket IntelligentTiering v2 (`?intelligent-tiering&id=`): sets the rule with that Id; 200. The rule
// `default` is v1's document (domain/configs/intelligent-tiering-rules.ts), the others are archive rules.
import { DEFAULT_RULE, TIERING_ROOT, TIERING_RULE_SCHEMA, checkTieringRule, checkV1Unchanged, tieringRuleId, v1OfDefaultRule, withTieringRule } from '../domain/configs/intelligent-tiering-rules.ts';
import { emptyReply } from '../http/respond.ts';
import { putBucketSetting, updateBucketSetting } from './common/bucket-settings.ts';
import { readConfigBody } from './common/config-document.ts';
import { defineOperation } from './operation.ts';

export const putBucketIntelligentTieringV2 = defineOperation({
  id: 'PutBucketIntelligentTieringV2',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const id = tieringRuleId(ctx.params);
    const rule = await readConfigBody(ctx, TIERING_ROOT, TIERING_RULE_SCHEMA);
    checkTieringRule(id, rule);
    if (id === DEFAULT_RULE) {
      const v1 = v1OfDefaultRule(rule);
      checkV1Unchanged(bucket.intelligentTiering, v1, 'The default rule cannot be modified');
      await putBucketSetting(ctx, bucket.name, 'intelligentTiering', v1);
    } else {
      await updateBucketSetting(ctx, bucket.name, 'intelligentTieringRules', (current) => withTieringRule(current ?? [], rule));
    }
    return emptyReply(200);
  },
});
