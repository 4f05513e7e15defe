// Hotlink protection (PUT/GET Bucket referer): validated and stored; requests are not checked against it.
// [doc: PUT Bucket referer, https://cloud.tencent.com/document/product/436/32492]
import { childOf, group, invalidArgument, oneOf, optional, repeated, required, text, textOfChild } from '../config-schema.ts';
import type { ConfigDocument } from './document.ts';

const allow = oneOf('Allow', 'Deny');

export const REFERER: ConfigDocument = {
  kind: 'referer',
  root: 'RefererConfiguration',
  schema: group(
    required('Status', oneOf('Enabled', 'Disabled')),
    required('RefererType', oneOf('Black-List', 'White-List')),
    optional('DomainList', group(repeated('Domain', text({ pattern: /^\S+$/, error: 'InvalidArgument' }), 1000))),
    optional('EmptyReferConfiguration', allow),
    optional('VerifySignatureURL', allow),
  ),
  check(tree) {
    // An enabled list must name someone: an empty white list would refuse every referer.
    const domains = childOf(tree, 'DomainList')?.['Domain'];
    if (textOfChild(tree, 'Status') === 'Enabled' && !(Array.isArray(domains) && domains.length > 0)) {
      throw invalidArgument('An enabled referer rule needs at least one Domain');
    }
  },
  // The code cos-nodejs-sdk-v5 getBucketReferer reads as "none set".
  absent: 'NoSuchRefererConfiguration',
};
