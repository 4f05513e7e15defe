// Parses `x-cos-copy-source`: `<bucket-appid>.cos.<region>.myqcloud.com/<url-encoded key>[?versionId=...]`.
import { cosError } from '../../errors/cos-error.ts';

export interface CopySource {
  bucket: string;
  key: string;
  versionId: string | undefined;
}

// The host form every COS SDK sends (cos-nodejs-sdk-v5 util.getSourceParams accepts only this shape).
const HOST_FORM = /^([a-z0-9-]+-\d+)\.cos(?:v6|-cdc|-internal)?\.[a-z0-9-]+\.[^/]+\/(.+)$/;
// `/<bucket-appid>/<key>` or `<bucket-appid>/<key>`, the S3 shape, also handy with path-style endpoints.
const PATH_FORM = /^\/?([a-z0-9-]+-\d+)\/(.+)$/;

export function parseCopySource(header: string): CopySource {
  const [location = '', query = ''] = header.split('?', 2);
  const match = HOST_FORM.exec(location) ?? PATH_FORM.exec(location);
  if (!match) throw cosError('InvalidArgument', { message: 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey' });
  let key: string;
  try {
    key = decodeURIComponent(match[2] ?? '');
  } catch {
    throw cosError('InvalidArgument', { message: 'Copy Source key is not valid percent-encoding' });
  }
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return { bucket: match[1] ?? '', key, versionId };
}
