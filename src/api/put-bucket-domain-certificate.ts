// PUT Bucket DomainCertificate: binds a certificate to some of the bucket's custom domains (checked and
// recorded; HTTPS is not served on them); 200.
import { certificateRecords, DOMAIN_CERTIFICATE_ROOT, DOMAIN_CERTIFICATE_SCHEMA, boundDomains, withCertificates } from '../domain/configs/domain-certificate.ts';
import { emptyReply } from '../http/respond.ts';
import { updateBucketSetting } from './common/bucket-settings.ts';
import { readConfigBody } from './common/config-document.ts';
import { defineOperation } from './operation.ts';

export const putBucketDomainCertificate = defineOperation({
  id: 'PutBucketDomainCertificate',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const tree = await readConfigBody(ctx, DOMAIN_CERTIFICATE_ROOT, DOMAIN_CERTIFICATE_SCHEMA);
    const records = certificateRecords(tree, boundDomains(bucket.domain));
    await updateBucketSetting(ctx, bucket.name, 'domainCertificate', (current) => withCertificates(current ?? [], records));
    return emptyReply(200);
  },
});
