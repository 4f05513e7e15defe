// PUT Object symlink (`PUT /<key>?symlink` with x-cos-symlink-target): makes the key a link to another key of the bucket.
import { createHash } from 'node:crypto';
import { checkKey, storedHeadersFrom } from '../domain/object.ts';
import { contentTypeKeyOfLink, parseSymlinkTarget } from '../domain/symlink.ts';
import { emptyReply } from '../http/respond.ts';
import { crc64 } from '../util/crc64.ts';
import { commitObject, uploadAcl } from './common/store-object.ts';
import { versionHeaders } from './common/version.ts';
import { defineOperation } from './operation.ts';

export const putSymlink = defineOperation({
  id: 'PutSymlink',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const key = ctx.route.key ?? '';
    checkKey(key);
    const target = parseSymlinkTarget(ctx.headers['x-cos-symlink-target']);
    // The target need not exist (it is looked up on each read). A link is a STANDARD object whose content
    // is the target's path and whose ETag is that path's MD5 [doc: 软链接概述]; it takes part in
    // versioning like any write. The path is at most a key's 850 bytes: inline, never a blob.
    const content = Buffer.from(target);
    const record = await commitObject(ctx, {
      bucket: bucket.name,
      key,
      size: content.length,
      etag: `"${createHash('md5').update(content).digest('hex')}"`,
      crc64: crc64(content),
      lastModified: ctx.now,
      content: { inline: content },
      headers: storedHeadersFrom(ctx.headers, contentTypeKeyOfLink(key, target)),
      storageClass: 'STANDARD',
      acl: uploadAcl(ctx, bucket.ownerUin),
      objectType: 'symlink',
      symlinkTarget: target,
    });
    return emptyReply(200, { etag: record.etag, ...versionHeaders(bucket, record) });
  },
});
