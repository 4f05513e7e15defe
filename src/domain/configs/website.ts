// Static website configuration (PUT/GET/DELETE Bucket website): validated and stored; served by the
// website endpoint (api/website-object.ts, domain/website.ts). [doc: PUT Bucket website, https://cloud.tencent.com/document/product/436/31930]
import { childOf, type ConfigTree, group, invalidArgument, itemsOf, oneOf, optional, repeated, required, text } from '../config-schema.ts';
import type { ConfigDocument } from './document.ts';

const enabled = oneOf('Enabled', 'Disabled');
const https = text({ values: ['https'], error: 'InvalidArgument' });

const routingRule = group(
  required(
    'Condition',
    // "Only 4XX codes" [doc]
    group(optional('HttpErrorCodeReturnedEquals', text({ pattern: /^4\d\d$/, error: 'InvalidArgument' })), optional('KeyPrefixEquals', text())),
  ),
  required(
    'Redirect',
    group(
      optional('Protocol', https),
      optional('ReplaceKeyWith', text()),
      optional('ReplaceKeyPrefixWith', text()),
      // COS answers a Redirect put without URLRedirect with `Enabled` (cos-python-sdk-v5's website test
      // expects it back; cos-nodejs-sdk-v5's sends it and compares), and nothing else of the document.
      optional('URLRedirect', enabled, { default: 'Enabled' }),
    ),
  ),
);

/** "One of HttpErrorCodeReturnedEquals and KeyPrefixEquals", "one of ReplaceKeyWith and ReplaceKeyPrefixWith, the latter only with KeyPrefixEquals" [doc]. */
function checkRoutingRule(item: ConfigTree): void {
  const condition = childOf(item, 'Condition') ?? {};
  const redirect = childOf(item, 'Redirect') ?? {};
  const byCode = condition['HttpErrorCodeReturnedEquals'] !== undefined;
  const byPrefix = condition['KeyPrefixEquals'] !== undefined;
  if (byCode === byPrefix) throw invalidArgument('A Condition needs exactly one of HttpErrorCodeReturnedEquals and KeyPrefixEquals');
  const whole = redirect['ReplaceKeyWith'] !== undefined;
  const prefix = redirect['ReplaceKeyPrefixWith'] !== undefined;
  if (whole === prefix) throw invalidArgument('A Redirect needs exactly one of ReplaceKeyWith and ReplaceKeyPrefixWith');
  if (prefix && !byPrefix) throw invalidArgument('ReplaceKeyPrefixWith needs a KeyPrefixEquals condition');
}

export const WEBSITE: ConfigDocument = {
  kind: 'website',
  root: 'WebsiteConfiguration',
  schema: group(
    required('IndexDocument', group(required('Suffix', text({ pattern: /^.+$/su, error: 'InvalidArgument' })))),
    optional('RedirectAllRequestsTo', group(required('Protocol', https))),
    optional('AutoAddressing', group(required('Status', enabled))),
    optional('ErrorDocument', group(required('Key', text({ pattern: /^.+$/su, error: 'InvalidArgument' })), optional('OriginalHttpStatus', enabled))),
    // "Up to 100 RoutingRule" [doc]
    optional('RoutingRules', group(repeated('RoutingRule', routingRule, 100, { atLeastOne: true }))),
  ),
  check(tree) {
    for (const item of itemsOf(childOf(tree, 'RoutingRules') ?? {}, 'RoutingRule')) checkRoutingRule(item);
  },
  absent: 'NoSuchWebsiteConfiguration',
};
