// FileReader: ranges of several files as one stream; buffers given back are read into again, others never.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { seededBytes } from '../../../test/helpers/seeded-bytes.ts';
import { FileReader, type FileSegment } from './file-reader.ts';

let dir: string;
const a = seededBytes(1_000_003, 1);
const b = seededBytes(700_000, 2);
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coslocal-reader-'));
  await writeFile(join(dir, 'a'), a);
  await writeFile(join(dir, 'b'), b);
});
after(() => rm(dir, { recursive: true, force: true }));

const segments = (...list: FileSegment[]) => async () => list;

/** Reads the stream, checking each chunk as it comes, giving it back when `recycle`. */
async function drain(reader: FileReader, recycle: boolean): Promise<{ bytes: Buffer; buffers: number }> {
  const parts: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  for await (const chunk of reader as AsyncIterable<Buffer>) {
    parts.push(Buffer.from(chunk)); // a copy: a recycled chunk is overwritten by a later read
    buffers.add(chunk.buffer);
    if (recycle) reader.recycle(chunk);
  }
  return { bytes: Buffer.concat(parts), buffers: buffers.size };
}

it('reads ranges of several files in order, to the end of a file where the end is open', async () => {
  const reader = new FileReader(
    segments(
      { path: join(dir, 'a'), start: 10, end: 300_000 },
      { path: join(dir, 'b'), start: 0, end: Infinity },
      { path: join(dir, 'a'), start: 5, end: 4 },
      { path: join(dir, 'a'), start: 999_000, end: Infinity },
    ),
  );
  const { bytes } = await drain(reader, false);
  assert.ok(bytes.equals(Buffer.concat([a.subarray(10, 300_001), b, a.subarray(999_000)])));
});

it('a consumer that gives chunks back gets the same few buffers again; one that keeps them gets new ones', async () => {
  const whole = () => segments({ path: join(dir, 'a'), start: 0, end: Infinity }, { path: join(dir, 'b'), start: 0, end: Infinity }, { path: join(dir, 'a'), start: 0, end: Infinity });
  const expected = Buffer.concat([a, b, a]);
  const recycled = await drain(new FileReader(whole()), true);
  assert.ok(recycled.bytes.equals(expected));
  assert.ok(recycled.buffers <= 3, `${recycled.buffers} buffers for ${expected.length} bytes`);
  const kept = await drain(new FileReader(whole()), false);
  assert.ok(kept.bytes.equals(expected));
  assert.ok(kept.buffers >= expected.length / (256 * 1024), `${kept.buffers} buffers: every chunk its own`);
});

it('fails with ENOENT for a missing file, and with the segments error when they cannot be listed', async () => {
  await assert.rejects(drain(new FileReader(segments({ path: join(dir, 'missing'), start: 0, end: Infinity })), false), /ENOENT/);
  await assert.rejects(drain(new FileReader(() => Promise.reject(new Error('no manifest'))), false), /no manifest/);
});
