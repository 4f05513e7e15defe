// Back-to-origin rules (PUT/GET/DELETE Bucket origin): validated and stored; missing keys are not fetched
// from the origin. [doc: PUT Bucket origin, https://cloud.tencent.com/document/product/436/56415]
import { checkDistinct, group, itemsOf, oneOf, optional, repeated, required, text } from '../config-schema.ts';
import type { ConfigDocument } from './document.ts';

const bool = oneOf('true', 'false');
const header = group(required('Key', text()), optional('Value', text()));

const originRule = group(
  required('RulePriority', text({ pattern: /^[1-9]\d{0,2}$/, error: 'InvalidArgument' })),
  required('OriginType', oneOf('Mirror', 'Proxy')),
  required('OriginCondition', group(required('HTTPStatusCode', text({ values: ['404'], error: 'InvalidArgument' })), optional('Prefix', text()))),
  required(
    'OriginParameter',
    group(
      required('Protocol', oneOf('HTTP', 'HTTPS', 'FOLLOW')),
      optional('FollowQueryString', bool),
      optional(
        'HttpHeader',
        group(
          optional('FollowAllHeaders', bool),
          optional('FollowHttpHeader', bool),
          optional('NewHttpHeader', group(repeated('Header', header, 100))),
          optional('FollowHttpHeaders', group(repeated('Header', header, 100))),
        ),
      ),
      optional('FollowRedirection', bool),
      repeated('HttpRedirectCode', oneOf('301', '302', '307'), 3),
      optional('CopyOriginData', bool),
    ),
  ),
  required(
    'OriginInfo',
    group(
      required('HostInfo', group(required('HostName', text({ pattern: /^\S+$/, error: 'InvalidArgument' })), repeated('StandbyHostName', text(), 5))),
      optional(
        'FileInfo',
        group(
          optional('PrefixConfiguration', group(required('Prefix', text()))),
          optional('SuffixConfiguration', group(required('Suffix', text()))),
          optional('FixedFileConfiguration', group(required('FixedFilePath', text()))),
        ),
      ),
    ),
  ),
);

export const ORIGIN: ConfigDocument = {
  kind: 'origin',
  root: 'OriginConfiguration',
  schema: group(repeated('OriginRule', originRule, 100, { atLeastOne: true })),
  check(tree) {
    checkDistinct(itemsOf(tree, 'OriginRule'), 'RulePriority', 'Two origin rules have the same RulePriority');
  },
  absent: 'OriginConfigurationNotFoundError',
};
