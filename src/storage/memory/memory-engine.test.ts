// Blob lifetime on the in-memory engine (the keeper over MemoryMetadata and MemoryBlobStore): what a
// removal hands over, a write given up and a rejected body are freed; what is referred to stays.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, it } from 'node:test';
import type { ObjectRecord } from '../../domain/object.ts';
import { BlobKeeper } from '../blob-keeper.ts';
import { HashPool } from '../hash/hash-pool.ts';
import { MemoryBlobStore } from './memory-blob-store.ts';
import { MemoryMetadata } from './memory-metadata.ts';

const BUCKET = 'memory-1250000000';
const hashers = new HashPool();
after(() => hashers.close());

const objectOf = (key: string, blob: string, size: number): ObjectRecord => ({
  bucket: BUCKET,
  key,
  versionId: 'null',
  size,
  etag: '"e"',
  crc64: '0',
  lastModified: 1,
  content: { blob },
  headers: {},
  storageClass: 'STANDARD',
  acl: undefined,
});

const text = async (stream: Readable): Promise<string> => {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
};

const isGone = (keeper: BlobKeeper, ref: string): Promise<boolean> =>
  text(keeper.read(ref)).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
  );

it('frees what a removal handed over and a write given up; keeps what versions and a composed blob hold', async () => {
  const meta = new MemoryMetadata();
  await meta.tx(async (tx) => {
    await tx.putAccount({ uin: '100000000001', appid: '1250000000', name: 'owner' });
    await tx.insertBucket({ name: BUCKET, ownerUin: '100000000001', region: 'ap-guangzhou', createdAt: 1 });
  });
  const keeper = new BlobKeeper(meta, new MemoryBlobStore(hashers), { holder: 'me', clock: Date.now, onCollectError: (ref) => assert.fail(ref) });
  const write = (body: string) => keeper.write(Readable.from([Buffer.from(body)]), {});
  const replaced = await write('old');
  await meta.tx((tx) => tx.putObject(objectOf('a', replaced.ref, replaced.size)));
  const replacement = await write('new');
  await meta.tx((tx) => tx.putObject(objectOf('a', replacement.ref, replacement.size)));
  const givenUp = await write('never committed');
  await keeper.discard(givenUp.ref);
  const parts = [await write('one '), await write('two')];
  const composed = await keeper.compose(parts.map(({ ref, size }) => ({ ref, size })));
  await meta.tx((tx) => tx.putObject(objectOf('b', composed, 7)));
  for (const part of parts) await keeper.discard(part.ref);
  keeper.collectSoon();
  await keeper.idle();
  await keeper.close();

  for (const ref of [replaced.ref, givenUp.ref, ...parts.map((p) => p.ref)]) assert.ok(await isGone(keeper, ref), ref);
  assert.equal(await text(keeper.read(replacement.ref)), 'new');
  assert.equal(await text(keeper.read(composed)), 'one two', 'the parts are freed, their bytes stay with the composed blob');
  assert.deepEqual(await meta.tx((tx) => tx.claimGarbage('me', Date.now(), 100)), [], 'nothing left to collect');
});
