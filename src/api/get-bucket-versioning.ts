// GET Bucket versioning: the Status, or an empty VersioningConfiguration for a bucket never versioned [doc].
import { xmlReply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { defineOperation } from './operation.ts';

export const getBucketVersioning = defineOperation({
  id: 'GetBucketVersioning',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(_ctx, { bucket }) {
    return xmlReply(renderXml('VersioningConfiguration', { Status: bucket.versioning }));
  },
});
