// Symlinks [doc: 软链接概述, https://cloud.tencent.com/document/product/436/109082]: an object whose content is the key of
// another object of the same bucket, read through it by GET and HEAD Object.
import { extname } from 'node:path/posix';
import { cosError } from '../errors/cos-error.ts';
import { checkKey } from './object.ts';

/**
 * The target an `x-cos-symlink-target` header names. cos-go-sdk-v5 PutSymlink percent-encodes it,
 * cos-python-sdk-v5 put_symlink sends it as is: decoding serves both, as a plain key decodes to itself.
 * A target is a key of the link's bucket (COS links within one bucket only), under the same rules.
 */
export function parseSymlinkTarget(header: string | undefined): string {
  if (header === undefined || header === '') throw cosError('InvalidArgument', { message: 'x-cos-symlink-target is required.' });
  let target: string;
  try {
    target = decodeURIComponent(header);
  } catch {
    throw cosError('InvalidArgument', { message: 'x-cos-symlink-target is not valid percent-encoding.' });
  }
  checkKey(target);
  return target;
}

/**
 * The target as an `x-cos-symlink-target` response header: percent-encoded as the SDKs encode keys
 * (`/` kept), since a header cannot carry every character a key may hold; a plain key is unchanged.
 */
export const symlinkTargetHeader = (target: string): string => encodeURIComponent(target).replaceAll('%2F', '/');

/**
 * The key whose extension gives a link its default Content-Type: the target's, or the link's own when
 * the target has no extension [doc: 软链接概述, Content-Type].
 */
export const contentTypeKeyOfLink = (link: string, target: string): string => (extname(target) !== '' ? target : link);
