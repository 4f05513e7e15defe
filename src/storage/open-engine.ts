// The storage engine a server runs on, chosen by its configuration: SQLite metadata with blob files under
// the data directory (the default), PostgreSQL metadata with the blob files there (--metadata), or both in
// memory (--in-memory). Another engine is another branch here.
import { mkdir } from 'node:fs/promises';
import type { BlobStore } from './blobs.ts';
import { lockDataDir } from './fs/data-dir-lock.ts';
import { FsBlobStore } from './fs/fs-blob-store.ts';
import { SyncBatcher } from './fs/sync-batcher.ts';
import type { HashPool } from './hash/hash-pool.ts';
import { MemoryBlobStore } from './memory/memory-blob-store.ts';
import { MemoryMetadata } from './memory/memory-metadata.ts';
import type { MetadataStore } from './metadata.ts';
import { describePostgresUrl } from './postgres/describe-url.ts';
import { PostgresMetadata } from './postgres/postgres-metadata.ts';
import { openMetadata } from './sqlite/open.ts';
import { ephemeralServerKey, loadServerKey } from './crypto/server-key.ts';

export interface StorageEngine {
  /** Which engine: health answers name it. */
  kind: 'sqlite' | 'postgres' | 'memory';
  /** What the banner calls it. */
  description: string;
  meta: MetadataStore;
  blobs: BlobStore;
  /** The SSE-COS key (storage/crypto/server-key.ts). */
  serverKey: Buffer;
  /** Closes the stores (once the server no longer uses them) and lets go of the data directory. */
  close(): Promise<void>;
}

/** The configuration's say (config.ts): where the data directory is, and whether to keep everything in memory instead. */
export interface EngineChoice {
  dataDir: string;
  inMemory: boolean;
  /** Metadata in this PostgreSQL database instead of SQLite in dataDir (blobs stay in dataDir). */
  metadataUrl: string | undefined;
  metadataPoolSize: number;
}

/**
 * How a process shares its store: `alone` (the exclusive data-dir lock: nothing else uses it), `node` (one of
 * a deployment's nodes: the node lock), or `worker` (a --workers process: its primary holds the lock for it).
 */
export type StoreRole = 'alone' | 'node' | 'worker';

export async function openEngine(config: EngineChoice, hashers: HashPool, role: StoreRole = 'alone'): Promise<StorageEngine> {
  if (config.inMemory) {
    // Nothing on disk: no directory to create or lock, nothing another process could share.
    const meta = new MemoryMetadata();
    return { kind: 'memory', description: 'in memory, gone at exit', meta, blobs: new MemoryBlobStore(hashers), serverKey: ephemeralServerKey(), close: () => meta.close() };
  }
  const url = config.metadataUrl;
  const metadata =
    url === undefined
      ? { kind: 'sqlite' as const, description: config.dataDir, open: (batcher: SyncBatcher) => openMetadata(config.dataDir, batcher) }
      : { kind: 'postgres' as const, description: `metadata ${describePostgresUrl(url)}, objects ${config.dataDir}`, open: () => PostgresMetadata.open(url, { poolSize: config.metadataPoolSize }) };
  // Before anything touches the directory: lapsing the reservations of earlier processes (blob-keeper.ts) is
  // right only for a process that owns it alone. A node's lock names the store's deployment, so it is taken
  // once the store is open (opening it changes nothing another node relies on).
  await mkdir(config.dataDir, { recursive: true });
  const exclusive = role === 'alone' ? await lockDataDir(config.dataDir) : undefined;
  let lock = exclusive;
  const batcher = new SyncBatcher();
  try {
    const serverKey = await loadServerKey(config.dataDir);
    const meta: MetadataStore = await metadata.open(batcher);
    const blobs = await (async () => {
      if (role === 'node') lock = await lockDataDir(config.dataDir, { mode: 'node', deployment: await meta.deploymentId() });
      return FsBlobStore.open(config.dataDir, batcher, hashers);
    })().catch(async (error: unknown) => {
      await meta.close();
      throw error;
    });
    return {
      kind: metadata.kind,
      description: metadata.description,
      meta,
      blobs,
      serverKey,
      async close() {
        await meta.close();
        await batcher.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await batcher.close();
    await lock?.release();
    throw error;
  }
}
