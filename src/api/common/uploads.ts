// Shared steps of the multipart operations: finding the addressed upload and storing one part.
import type { Readable } from 'node:stream';
import { MAX_PART_NUMBER, MIN_PART_NUMBER, type Part, type Upload } from '../../domain/upload.ts';
import { cosError } from '../../errors/cos-error.ts';
import type { BlobExpectation } from '../../storage/blobs.ts';
import { writeBlob, type Seal } from '../../storage/object-content.ts';
import type { RequestContext } from '../operation.ts';

/** COS's limit for one part, as for one PUT: 5 GB [doc]. */
export const MAX_PART_SIZE = 5 * 1024 ** 3;

/** The upload `?uploadId=` names on this bucket and key; NoSuchUpload when there is none (any longer). */
export async function requireUpload(ctx: RequestContext, bucket: string): Promise<Upload> {
  const uploadId = ctx.params.get('uploadId') ?? '';
  const upload = uploadId === '' ? undefined : await ctx.meta.getUpload(bucket, ctx.route.key ?? '', uploadId);
  if (!upload) throw cosError('NoSuchUpload', { detail: `upload ${uploadId}` });
  return upload;
}

/** `partNumber`, an integer 1..10000 [doc]. */
export function partNumberParam(params: ReadonlyMap<string, string>): number {
  const raw = params.get('partNumber') ?? '';
  const value = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= MIN_PART_NUMBER && value <= MAX_PART_NUMBER)) {
    throw cosError('InvalidArgument', { message: `Part number must be an integer between ${MIN_PART_NUMBER} and ${MAX_PART_NUMBER}, inclusive` });
  }
  return value;
}

/**
 * Streams a part to a durable blob, then records it, replacing an earlier part with the same number
 * (whose bytes are freed once the commit is durable). An upload completed or aborted meanwhile gets
 * NoSuchUpload and the new bytes are dropped.
 */
export async function storePart(
  ctx: RequestContext,
  upload: Upload,
  partNumber: number,
  body: Readable,
  expect: BlobExpectation,
  seal: Seal | undefined,
): Promise<Part> {
  const written = await writeBlob(ctx.blobs, body, expect, seal);
  const part: Part = {
    uploadId: upload.uploadId,
    partNumber,
    size: written.size,
    etag: written.etag,
    crc64: written.crc64,
    lastModified: ctx.now,
    blob: written.content.blob,
    ...(written.encryption && { encryption: written.encryption }),
  };
  let replaced: string | undefined;
  try {
    replaced = await ctx.meta.tx(async (tx) => {
      if (!(await tx.getUpload(upload.bucket, upload.key, upload.uploadId))) throw cosError('NoSuchUpload');
      return tx.putPart(part);
    });
  } catch (error) {
    await ctx.blobs.discard(written.content.blob);
    throw error;
  }
  if (replaced !== undefined) ctx.blobs.collectSoon();
  return part;
}

/** The CAM-style owner/initiator element of multipart listings. */
export const camElement = (id: string): { ID: string; DisplayName: string } => ({ ID: id, DisplayName: id });
