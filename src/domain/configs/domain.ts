// Custom domains (PUT/GET/DELETE Bucket domain): validated and stored; coslocal does not answer on them.
// [doc: PUT Bucket domain, https://cloud.tencent.com/document/product/436/35868]
import { cosError } from '../../errors/cos-error.ts';
import { group, itemsOf, oneOf, optional, repeated, required, text, textOfChild } from '../config-schema.ts';
import type { ConfigDocument } from './document.ts';

const HOST_NAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/;

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
    const names = new Set<string>();
    for (const rule of itemsOf(tree, 'DomainRule')) {
      const name = (textOfChild(rule, 'Name') ?? '').toLowerCase();
      if (names.has(name)) throw cosError('InvalidArgument', { message: `The domain ${name} is named twice` });
      names.add(name);
    }
  },
  absent: 'NoSuchDomainConfiguration',
};
