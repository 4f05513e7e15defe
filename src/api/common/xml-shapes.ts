// Small shared pieces of COS response documents.
import { cosEncode } from '../../auth/qsign/canonical.ts';

/** ISO-8601 with milliseconds, as COS writes LastModified/CreationDate in bodies. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** ISO-8601 in whole seconds, as GET Service writes CreationDate (cos-python-sdk-v5's test parses `%Y-%m-%dT%H:%M:%SZ`). */
export const isoSeconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** RFC 1123, as in Last-Modified headers. */
export const httpTime = (ms: number): string => new Date(ms).toUTCString();

/** encoding-type=url: percent-encode names in listings, keeping '/' readable as COS does. */
export const urlEncodeName = (s: string): string => cosEncode(s).replace(/%2F/g, '/');

/** The APPID suffix of a `<name>-<appid>` bucket name. */
export const appidOf = (bucket: string): string => bucket.slice(bucket.lastIndexOf('-') + 1);
