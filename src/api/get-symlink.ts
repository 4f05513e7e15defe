// GET Object symlink (`GET /<key>?symlink[&versionId=]`): the key a link (version) points to, in x-cos-symlink-target.
import { isSymlink } from '../domain/object.ts';
import { symlinkTargetHeader } from '../domain/symlink.ts';
import { cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { httpTime } from './common/xml-shapes.ts';
import { deniedRead, requireObject, versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';

export const getSymlink = defineOperation({
  id: 'GetSymlink',
  authorize: 'route',
  needs: { bucket: 'required', object: true },
  whenDenied: deniedRead,
  async run(ctx, { bucket, object: loaded }) {
    const link = requireObject(ctx.params.get('versionId'), loaded, bucket);
    if (!isSymlink(link)) throw cosError('InvalidArgument', { message: 'The object is not a symlink.' });
    return emptyReply(200, {
      'x-cos-symlink-target': symlinkTargetHeader(link.symlinkTarget),
      etag: link.etag,
      'last-modified': httpTime(link.lastModified),
      ...versionHeaders(bucket, link),
    });
  },
});
