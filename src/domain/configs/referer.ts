// Hotlink protection (PUT/GET Bucket referer): the document, and the rule it makes (authz/referer.ts checks requests).
// [doc: PUT Bucket referer, https://cloud.tencent.com/document/product/436/32492]
import { childOf, type ConfigTree, group, invalidArgument, oneOf, optional, repeated, required, text, textOfChild } from '../config-schema.ts';
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
  emptyBodyClears: true,
};

/** An enabled hotlink protection, as the request path checks it. */
export interface RefererRule {
  readonly list: 'White-List' | 'Black-List';
  readonly domains: readonly string[];
  /** A request without a Referer header, or with an empty one: `Deny` unless set [doc]. */
  readonly emptyReferer: 'Allow' | 'Deny';
  /** Whether presigned URLs are checked too; signed requests are not checked otherwise [doc: 设置防盗链]. */
  readonly checkSignedUrls: boolean;
}

/** The rule a stored document makes; undefined when it is Disabled. */
export function refererRuleOf(tree: ConfigTree): RefererRule | undefined {
  if (textOfChild(tree, 'Status') !== 'Enabled') return undefined;
  const domains = childOf(tree, 'DomainList')?.['Domain'];
  return {
    list: textOfChild(tree, 'RefererType') === 'White-List' ? 'White-List' : 'Black-List',
    domains: (Array.isArray(domains) ? domains : [domains]).filter((d): d is string => typeof d === 'string'),
    emptyReferer: textOfChild(tree, 'EmptyReferConfiguration') === 'Allow' ? 'Allow' : 'Deny',
    checkSignedUrls: textOfChild(tree, 'VerifySignatureURL') === 'Allow',
  };
}
