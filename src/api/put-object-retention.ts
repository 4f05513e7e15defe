// PUT Object Retention (?retention[&versionId=]): sets or extends one version's retain-until date, in a bucket with object lock; 200.
import { group, required, text, textOfChild } from '../domain/config-schema.ts';
import { checkRetentionChange, ISO_TIME, LOCK_MODE, parseRetainUntil } from '../domain/object-lock.ts';
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { readConfigBody } from './common/config-document.ts';
import { requireObject, vanishedVersion, versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';

/** <Retention><Mode>COMPLIANCE</Mode><RetainUntilDate/></Retention>, both required [doc: PUT Object Retention]. */
const RETENTION = group(
  required('Mode', text({ values: [LOCK_MODE], error: 'InvalidArgument' })),
  required('RetainUntilDate', text({ pattern: ISO_TIME, error: 'InvalidArgument' })),
);

export const putObjectRetention = defineOperation({
  id: 'PutObjectRetention',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  async run(ctx, { bucket, object: loaded }) {
    const object = requireObject(ctx.params.get('versionId'), loaded, bucket);
    // S3's answer; COS documents only that the bucket must have object lock enabled.
    if (bucket.objectLock === undefined) throw cosError('InvalidRequest', { message: 'Bucket is missing Object Lock Configuration' });
    const tree = await readConfigBody(ctx, 'Retention', RETENTION);
    const requested = parseRetainUntil(textOfChild(tree, 'RetainUntilDate') ?? '');
    // Checked against the version as it is in the commit, so two requests cannot shorten it between them.
    const found = await ctx.meta.tx(async (tx) => {
      const current = await tx.getVersion(bucket.name, object.key, object.versionId);
      if (!current || current.deleteMarker) return false;
      checkRetentionChange(current.retainUntil, requested, ctx.now, ctx.dialect);
      return tx.setObjectRetention(bucket.name, object.key, object.versionId, requested);
    });
    if (!found) throw vanishedVersion(ctx);
    return emptyReply(200, versionHeaders(bucket, object));
  },
});
