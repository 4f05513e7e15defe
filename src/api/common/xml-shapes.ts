// Small shared pieces of COS response documents.
import { cosEncode } from '../../auth/qsign/canonical.ts';
import type { ApiDialect } from '../../domain/api-dialect.ts';
import type { ListedObject } from '../../domain/object.ts';
import { storageClassName } from '../../domain/storage-class.ts';
import type { XmlNode } from '../../http/xml.ts';

/** ISO-8601 with milliseconds, as COS writes LastModified/CreationDate in bodies. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** RFC 1123, as in Last-Modified headers. */
export const httpTime = (ms: number): string => new Date(ms).toUTCString();

/** encoding-type=url: percent-encode names in listings, keeping '/' readable as COS does. */
export const urlEncodeName = (s: string): string => cosEncode(s).replace(/%2F/g, '/');

/** One <Contents> entry of a listing; listings name the owner by APPID, not by CAM id (spec/acl.md §1.1). */
export function listEntry(o: ListedObject, name: (s: string) => string, ownerAppid: string | undefined, dialect: ApiDialect): XmlNode {
  return {
    Key: name(o.key),
    LastModified: isoTime(o.lastModified),
    ETag: o.etag,
    Size: o.size,
    Owner: ownerAppid === undefined ? undefined : { ID: ownerAppid, DisplayName: ownerAppid },
    StorageClass: storageClassName(o.storageClass, dialect),
  };
}

/** The APPID suffix of a `<name>-<appid>` bucket name. */
export const appidOf = (bucket: string): string => bucket.slice(bucket.lastIndexOf('-') + 1);
