// GET Object Retention (?retention[&versionId=]): the version's object lock mode and retain-until date [doc: GET Object Retention].
import { LOCK_MODE } from '../domain/object-lock.ts';
import { cosError } from '../errors/cos-error.ts';
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { requireObject, versionHeaders } from './common/version.ts';
import { isoTime } from './common/xml-shapes.ts';
import { defineOperation } from './operation.ts';

export const getObjectRetention = defineOperation({
  id: 'GetObjectRetention',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  async run(ctx, { bucket, object: loaded }) {
    const object = requireObject(ctx.params.get('versionId'), loaded, bucket);
    // S3's answer for a version without a retention; COS documents none.
    if (object.retainUntil === undefined) throw cosError('NoSuchObjectLockConfiguration', { message: 'The specified object does not have a ObjectLock configuration.' });
    const xml = renderXml('Retention', { Mode: LOCK_MODE, RetainUntilDate: isoTime(object.retainUntil) });
    return xmlReply(xml, 200, versionHeaders(bucket, object));
  },
});
