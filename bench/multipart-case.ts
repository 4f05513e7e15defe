// The 1 GiB multipart case: coslocal receives 8 parts of 128 MiB in parallel (Initiate, 8 x Upload Part,
// Complete); the bare server receives the same bytes as 8 parallel 128 MiB PUTs. Throughput is the 1 GiB
// over the wall time of the whole sequence.
import { createHash } from 'node:crypto';
import { call, runLoad, type LoadResult, type Target } from './load.ts';

export const MULTIPART_PARTS = 8;
const PART_CHUNKS = 128;

/** One half: the whole upload against one server. `chunk` (1 MiB) is repeated to make each 128 MiB part. */
export async function uploadMultipart(target: Target, bucket: string, chunk: Buffer, asPlainPuts: boolean): Promise<LoadResult> {
  const body = { chunk, repeat: PART_CHUNKS };
  const partBytes = chunk.length * PART_CHUNKS;
  const start = performance.now();
  if (asPlainPuts) {
    const result = await runLoad(target, {
      concurrency: MULTIPART_PARTS,
      maxOps: MULTIPART_PARTS,
      maxMs: 600_000,
      next: (i) => ({ method: 'PUT', path: `/${bucket}/mp/plain-${i}`, body }),
    });
    return { ...result, elapsedMs: performance.now() - start };
  }
  const path = `/${bucket}/mp/1gib`;
  const init = await call(target, { method: 'POST', path, query: [['uploads', '']] }, true);
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body?.toString() ?? '')?.[1];
  if (init.status !== 200 || uploadId === undefined) return failed(start, `Initiate returned ${init.status}: ${init.body?.toString()}`);
  const parts = await runLoad(target, {
    concurrency: MULTIPART_PARTS,
    maxOps: MULTIPART_PARTS,
    maxMs: 600_000,
    next: (i) => ({ method: 'PUT', path, query: [['partNumber', String(i + 1)], ['uploadId', uploadId]], body }),
  });
  const etag = partEtag(chunk);
  const xml = `<CompleteMultipartUpload>${Array.from({ length: MULTIPART_PARTS }, (_, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
  const complete = await call(target, { method: 'POST', path, query: [['uploadId', uploadId]], body: Buffer.from(xml) }, true);
  const elapsedMs = performance.now() - start;
  const errors = parts.errors + (complete.status === 200 ? 0 : 1);
  const firstError = parts.firstError ?? (complete.status === 200 ? undefined : `Complete returned ${complete.status}: ${complete.body?.toString()}`);
  return {
    ops: 1,
    errors,
    latencies: [elapsedMs],
    elapsedMs,
    bytes: parts.ops * partBytes,
    ...(firstError !== undefined && { firstError }),
  };
}

const etags = new WeakMap<Buffer, string>();
/** Every part is the same 128 MiB, so its ETag (quoted MD5) is computed once, outside any timed half. */
export function partEtag(chunk: Buffer): string {
  let etag = etags.get(chunk);
  if (etag === undefined) {
    const md5 = createHash('md5');
    for (let i = 0; i < PART_CHUNKS; i++) md5.update(chunk);
    etag = `"${md5.digest('hex')}"`;
    etags.set(chunk, etag);
  }
  return etag;
}

const failed = (start: number, firstError: string): LoadResult => ({ ops: 0, errors: 1, latencies: [], elapsedMs: performance.now() - start, bytes: 0, firstError });
