// An object a background job writes into a bucket (a log file, an inventory report), as COS's services
// write theirs: with the bucket owner's default ACL, STANDARD, under the bucket's versioning rules. Not
// encrypted by a bucket default encryption: the server's key is not handed to jobs.
import { commitObject, type ObjectWriter } from '../api/common/store-object.ts';
import type { ObjectRecord } from '../domain/object.ts';
import { writeContent } from '../storage/object-content.ts';
import type { MetadataTx } from '../storage/metadata.ts';

/** The stores a job writes objects with. */
export type ServiceWriter = Pick<ObjectWriter, 'meta' | 'blobs'>;

export interface ServiceObject {
  bucket: string;
  key: string;
  body: Buffer;
  contentType: string;
  /** The server's clock: the object's Last-Modified. */
  now: number;
}

/** Writes the object; `alongside` runs in its commit's transaction (commitObject). Throws NoSuchBucket when the bucket is gone. */
export async function writeServiceObject(deps: ServiceWriter, object: ServiceObject, alongside?: (tx: MetadataTx) => Promise<readonly string[]>): Promise<ObjectRecord> {
  const written = await writeContent(deps.blobs, object.body, { size: object.body.length });
  // The commit checks object lock at the object's time; a refusal is worded for a COS caller.
  const writer: ObjectWriter = { meta: deps.meta, blobs: deps.blobs, now: object.now, dialect: 'cos' };
  return commitObject(
    writer,
    {
      bucket: object.bucket,
      key: object.key,
      size: written.size,
      etag: written.etag,
      crc64: written.crc64,
      lastModified: object.now,
      content: written.content,
      headers: { 'content-type': object.contentType },
      storageClass: 'STANDARD',
      acl: undefined,
    },
    alongside,
  );
}
