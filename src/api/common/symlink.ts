// The hop GET and HEAD Object make through a symlink to the object it points to.
import type { CosAction } from '../../authz/actions.ts';
import type { Bucket } from '../../domain/bucket.ts';
import { isSymlink, type ObjectRecord } from '../../domain/object.ts';
import { cosError } from '../../errors/cos-error.ts';
import type { RequestContext } from '../operation.ts';
import { objectFacts } from './facts.ts';

/**
 * What a read of `addressed` serves: the object itself, or for a symlink the current version of its
 * target, whose bytes and metadata GET and HEAD return [doc: 软链接概述]. The link's permission is not
 * the target's: the caller must also be allowed `action` on the target (as a copy's source is checked),
 * so a link one may read does not open a key one may not, and a denied caller learns nothing of the
 * target. A target that is missing, deleted or itself a link (links take one hop; nothing checks the
 * target at PUT) is 404 NoSuchKey.
 */
export async function followSymlink(ctx: RequestContext, bucket: Bucket, addressed: ObjectRecord, action: CosAction): Promise<ObjectRecord> {
  if (!isSymlink(addressed)) return addressed;
  const key = addressed.symlinkTarget;
  const target = await ctx.meta.getVersion(bucket.name, key, undefined);
  ctx.authorize({ action, bucket: ctx.bucketFacts(bucket.name, bucket), key, ...objectFacts(target) });
  if (target === undefined || target.deleteMarker) throw cosError('NoSuchKey', { detail: `the symlink's target ${JSON.stringify(key)} does not exist` });
  if (isSymlink(target)) throw cosError('NoSuchKey', { detail: `the symlink's target ${JSON.stringify(key)} is a symlink` });
  return target;
}
