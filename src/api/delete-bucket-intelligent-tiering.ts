// DELETE Bucket IntelligentTiering (`?intelligent-tiering&id=`): removes an archive rule; 204. The default rule stays.
import { tieringRuleId, withoutTieringRule } from '../domain/configs/intelligent-tiering-rules.ts';
import { emptyReply } from '../http/respond.ts';
import { updateBucketSetting } from './common/bucket-settings.ts';
import { defineOperation } from './operation.ts';

export const deleteBucketIntelligentTiering = defineOperation({
  id: 'DeleteBucketIntelligentTiering',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const id = tieringRuleId(ctx.params);
    await updateBucketSetting(ctx, bucket.name, 'intelligentTieringRules', (current) => withoutTieringRule(current, id));
    return emptyReply(204);
  },
});
