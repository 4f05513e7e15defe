// POST Object restore (?restore[&versionId=]): starts making an ARCHIVE / DEEP_ARCHIVE version readable for some days.
import { childOf, group, oneOf, optional, required, text, textOfChild } from '../domain/config-schema.ts';
import { newRestoreJob, restoreState } from '../domain/restore.ts';
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { readConfigBody } from './common/config-document.ts';
import { requireObject, vanishedVersion, versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';

/**
 * <RestoreRequest><Days/><CASJobParameters><Tier/></CASJobParameters></RestoreRequest> [doc: POST Object
 * restore]; S3 clients name the tier's container GlacierJobParameters. Without one the tier is Standard.
 */
const RESTORE_REQUEST = group(
  required('Days', text({ pattern: /^\d{1,9}$/, error: 'InvalidArgument' })),
  optional('CASJobParameters', group(required('Tier', oneOf('Expedited', 'Standard', 'Bulk'))), { aliases: ['GlacierJobParameters'] }),
);

export const postObjectRestore = defineOperation({
  id: 'PostObjectRestore',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  async run(ctx, { bucket, object: loaded }) {
    const object = requireObject(ctx.params.get('versionId'), loaded, bucket);
    const tree = await readConfigBody(ctx, 'RestoreRequest', RESTORE_REQUEST);
    const days = Number(textOfChild(tree, 'Days'));
    const tier = textOfChild(childOf(tree, 'CASJobParameters') ?? {}, 'Tier') ?? 'Standard';
    const state = restoreState(object.restore, ctx.now);
    if (state.phase === 'ongoing') throw cosError('RestoreAlreadyInProgress');
    // A restored copy gets its new days from now, at once (S3: 200 instead of 202 [recommended]).
    const job = newRestoreJob(object.storageClass, days, tier, ctx.now);
    const restored = state.phase === 'restored';
    const found = await ctx.meta.tx((tx) =>
      tx.setObjectRestore(bucket.name, object.key, object.versionId, restored ? { ...job, readyAt: ctx.now } : job),
    );
    if (!found) throw vanishedVersion(ctx);
    return emptyReply(restored ? 200 : 202, versionHeaders(bucket, object));
  },
});
