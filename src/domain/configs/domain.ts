// Custom domains (PUT/GET/DELETE Bucket domain): validated and stored; coslocal does not answer on them.
// [doc: PUT Bucket domain, https://cloud.tencent.com/document/product/436/35868]
import { checkDistinct, group, itemsOf, oneOf, optional, repeated, required, text } from '../config-schema.ts';
import type { ConfigDocument } from './document.ts';

export const HOST_NAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/;

export const DOMAIN: ConfigDocument = {
  kind: 'domain',
  root: 'DomainConfiguration',
  schema: group(
    // "Up to 20 custom domains" [doc]
    repeated(
      'DomainRule',
      group(
        required('Status', oneOf('ENABLED', 'DISABLED')),
        required('Name', text({ pattern: HOST_NAME, error: 'InvalidArgument' })),
        required('Type', oneOf('REST', 'WEBSITE', 'ACCELERATE')),
        optional('ForcedReplacement', oneOf('CNAME', 'TXT')),
      ),
      20,
      { atLeastOne: true, tooMany: 'InvalidArgument' },
    ),
  ),
  check(tree) {
    checkDistinct(itemsOf(tree, 'DomainRule'), 'Name', 'A domain is named twice', (name) => name.toLowerCase());
  },
  absent: 'NoSuchDomainConfiguration',
};
