// GET Bucket DomainCertificate (`?domaincertificate&domainname=`): the certificate bound to that domain,
// by id and validity (Unix seconds).
import { certificateOf, DOMAIN_CERTIFICATE_ROOT, domainNameParam } from '../domain/configs/domain-certificate.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { defineOperation } from './operation.ts';

export const getBucketDomainCertificate = defineOperation({
  id: 'GetBucketDomainCertificate',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    return xmlReply(renderXml(DOMAIN_CERTIFICATE_ROOT, certificateOf(bucket.domainCertificate, domainNameParam(ctx.params))));
  },
});
