// LIST Bucket IntelligentTiering Configurations (`GET /?intelligent-tiering`): every rule, `default` first
// under COS's root (singular `Configuration`) [doc: https://cloud.tencent.com/document/product/436/60836].
// No paging: 1000 rules fit one answer.
import { TIERING_ROOT, tieringRulesOf } from '../domain/configs/intelligent-tiering-rules.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { defineOperation } from './operation.ts';

export const listBucketIntelligentTiering = defineOperation({
  id: 'ListBucketIntelligentTiering',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(_ctx, { bucket }) {
    return xmlReply(renderXml('ListBucketIntelligentTieringConfigurationOutput', { [TIERING_ROOT]: tieringRulesOf(bucket) }));
  },
});
