// DELETE Bucket DomainCertificate (`?domaincertificate&domainname=`): unbinds that domain's certificate;
// 204 whether or not it had one.
import { domainNameParam } from '../domain/configs/domain-certificate.ts';
import { emptyReply } from '../http/respond.ts';
import { updateBucketSetting } from './common/bucket-settings.ts';
import { defineOperation } from './operation.ts';

export const deleteBucketDomainCertificate = defineOperation({
  id: 'DeleteBucketDomainCertificate',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const name = domainNameParam(ctx.params);
    await updateBucketSetting(ctx, bucket.name, 'domainCertificate', (current) => {
      const rest = (current ?? []).filter((record) => record['DomainName'] !== name);
      return rest.length > 0 ? rest : undefined;
    });
    return emptyReply(204);
  },
});
