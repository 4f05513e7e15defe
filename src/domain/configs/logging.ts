// Access logging (PUT/GET Bucket logging): validated and stored; jobs/logging.ts delivers the logs.
// [doc: PUT Bucket logging, https://cloud.tencent.com/document/product/436/17054]
import { cosError } from '../../errors/cos-error.ts';
import { childOf, group, optional, required, text, textOfChild, type ConfigTree } from '../config-schema.ts';
import type { ConfigDocument } from './document.ts';

export const LOGGING: ConfigDocument = {
  kind: 'logging',
  root: 'BucketLoggingStatus',
  schema: group(optional('LoggingEnabled', group(required('TargetBucket', text()), optional('TargetPrefix', text())))),
  /** "The target bucket must exist, in the same region, owned by the same account" [doc]. */
  async check(tree, { bucket, findBucket }) {
    const target = textOfChild(childOf(tree, 'LoggingEnabled') ?? {}, 'TargetBucket');
    if (target === undefined) return;
    const found = await findBucket(target);
    if (!found || found.region !== bucket.region || found.ownerUin !== bucket.ownerUin) throw cosError('InvalidTargetBucketForLogging');
  },
  // GET answers an empty BucketLoggingStatus when logging is off, and PUT of one turns it off [doc].
  absent: 'empty',
  emptyDeletes: true,
};

/** Where a bucket's access logs go; undefined when logging is off. */
export interface LoggingTarget {
  bucket: string;
  /** Put before the log files' names as is ('' for none). */
  prefix: string;
}

export function readLogging(document: ConfigTree | undefined): LoggingTarget | undefined {
  const enabled = document && childOf(document, 'LoggingEnabled');
  const bucket = enabled && textOfChild(enabled, 'TargetBucket');
  return bucket ? { bucket, prefix: textOfChild(enabled, 'TargetPrefix') ?? '' } : undefined;
}
