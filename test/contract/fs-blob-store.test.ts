// The file blob store runs the BlobStore contract, each test in a new directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from '../../src/storage/fs/fs-blob-store.ts';
import { SyncBatcher } from '../../src/storage/fs/sync-batcher.ts';
import { HashPool } from '../../src/storage/hash/hash-pool.ts';
import { describeBlobStore } from './blob-store.contract.ts';

describeBlobStore('fs', async () => {
  const root = await mkdtemp(join(tmpdir(), 'coslocal-blob-contract-'));
  const hashers = new HashPool();
  const store = await FsBlobStore.open(root, new SyncBatcher(), hashers);
  return {
    store,
    async close() {
      await hashers.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});
