// PUT Bucket versioning: Enabled or Suspended; once versioned a bucket never returns to "never enabled" (spec/api-common.md §5).
import { parseVersioningStatus } from '../domain/versioning.ts';
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { parseXml, textOf } from '../http/xml.ts';
import { readCheckedBody } from './common/params.ts';
import { putBucketSetting } from './common/bucket-settings.ts';
import { defineOperation } from './operation.ts';

/** `<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>` is ~80 bytes; 4 KiB leaves room for whitespace. */
const BODY_LIMIT = 4 * 1024;

export const putBucketVersioning = defineOperation({
  id: 'PutBucketVersioning',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const body = await readCheckedBody(ctx.body, ctx.headers, BODY_LIMIT);
    const doc = parseXml(body.toString('utf8'))['VersioningConfiguration'];
    const status = parseVersioningStatus(doc && typeof doc === 'object' ? textOf((doc as Record<string, unknown>)['Status']) : undefined);
    if (!status) throw cosError('MalformedXML', { detail: 'VersioningConfiguration Status must be Enabled or Suspended' });
    await putBucketSetting(ctx, bucket.name, 'versioning', status);
    return emptyReply(200);
  },
});
