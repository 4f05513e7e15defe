// Object lock (PUT/GET Bucket ObjectLockConfiguration): the document; what it does to the versions written
// under it is domain/object-lock.ts. [doc: PUT Bucket ObjectLockConfiguration, https://cloud.tencent.com/document/product/436/40133]
import { cosError } from '../../errors/cos-error.ts';
import { childOf, group, invalidArgument, oneOf, optional, required, text, textOfChild } from '../config-schema.ts';
import type { ConfigDocument } from './document.ts';

export const OBJECT_LOCK: ConfigDocument = {
  kind: 'objectLock',
  root: 'ObjectLockConfiguration',
  schema: group(
    // "Only Enabled; once enabled it cannot be disabled" [doc]: there is no DELETE.
    required('ObjectLockEnabled', oneOf('Enabled')),
    optional(
      'Rule',
      group(
        required(
          'DefaultRetention',
          // "Only COMPLIANCE", "Days: 1-36500" [doc]
          group(optional('Mode', text({ values: ['COMPLIANCE'], error: 'InvalidArgument' })), required('Days', text({ pattern: /^[1-9]\d{0,4}$/, error: 'InvalidArgument' }))),
        ),
      ),
    ),
  ),
  check(tree, { bucket }) {
    const retention = childOf(childOf(tree, 'Rule') ?? {}, 'DefaultRetention') ?? {};
    const days = Number(textOfChild(retention, 'Days') ?? '1');
    if (days > 36500) throw invalidArgument('Days must be between 1 and 36500');
    // "If a bucket has versioning enabled, object lock cannot be enabled" [doc: Object Lock Overview].
    if (bucket.versioning === 'Enabled') throw cosError('InvalidRequest', { message: 'Object lock cannot be enabled on a bucket with versioning enabled' });
  },
  absent: 'NoSuchObjectLockConfiguration',
  absentForS3: 'ObjectLockConfigurationNotFoundError',
};
