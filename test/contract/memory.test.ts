// The in-memory engine runs the MetadataStore and BlobStore contracts, each test on new, empty stores.
import { HashPool } from '../../src/storage/hash/hash-pool.ts';
import { MemoryBlobStore } from '../../src/storage/memory/memory-blob-store.ts';
import { MemoryMetadata } from '../../src/storage/memory/memory-metadata.ts';
import { describeBlobStore } from './blob-store.contract.ts';
import { describeMetadataStore } from './metadata-store.contract.ts';

describeMetadataStore('memory', async () => new MemoryMetadata());

describeBlobStore('memory', async () => {
  const hashers = new HashPool();
  const store = new MemoryBlobStore(hashers);
  return {
    store,
    async close() {
      await hashers.close();
    },
  };
});
