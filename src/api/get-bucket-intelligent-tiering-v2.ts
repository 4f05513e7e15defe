// GET Bucket IntelligentTiering v2 (`?intelligent-tiering&id=`): the rule with that Id; 404 NoSuchConfiguration when none.
import { TIERING_ROOT, tieringRuleId, tieringRulesOf } from '../domain/configs/intelligent-tiering-rules.ts';
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { defineOperation } from './operation.ts';

export const getBucketIntelligentTieringV2 = defineOperation({
  id: 'GetBucketIntelligentTieringV2',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const id = tieringRuleId(ctx.params);
    const rule = tieringRulesOf(bucket).find((item) => item['Id'] === id);
    if (!rule) throw cosError('NoSuchConfiguration');
    return xmlReply(renderXml(TIERING_ROOT, rule));
  },
});
