// Composition root: the only place that opens the stores and wires the request pipeline.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureDefaultAccount } from './admin/accounts.ts';
import { applySeed, loadSeedFile } from './admin/seed.ts';
import { PolicyCache } from './api/common/policy-cache.ts';
import { SingleUseLedger } from './auth/cosv4/single-use.ts';
import { storeKeyring } from './auth/store-keyring.ts';
import type { Config } from './config.ts';
import { EXPIRED_KEY_RETENTION_SECONDS, type Credential } from './domain/identity.ts';
import { createHandler } from './http/handler.ts';
import type { Logger } from './http/log.ts';
import { lockDataDir } from './storage/fs/data-dir-lock.ts';
import { FsBlobStore } from './storage/fs/fs-blob-store.ts';
import { HashPool } from './storage/hash/hash-pool.ts';
import { SyncBatcher } from './storage/fs/sync-batcher.ts';
import { openMetadata } from './storage/sqlite/open.ts';

export interface App {
  server: Server;
  /** `http://host:port` once listening. */
  endpoint: string;
  port: number;
  defaultCredential: Credential;
  /** Resolves once the work answered requests left to the background (freeing replaced bytes) is done. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  log: Logger;
  env?: { secretId?: string | undefined; secretKey?: string | undefined };
  clock?: () => number;
}

export async function startApp(config: Config, options: AppOptions): Promise<App> {
  // Before anything touches the directory: the start-up sweep must never run beside another server.
  const lock = await lockDataDir(config.dataDir);
  try {
    const app = await startServing(config, options);
    return {
      ...app,
      async close() {
        await app.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function startServing(config: Config, options: AppOptions): Promise<App> {
  const batcher = new SyncBatcher();
  const meta = await openMetadata(config.dataDir, batcher);
  const hashers = new HashPool();
  const blobs = await FsBlobStore.open(config.dataDir, batcher, hashers, (ref, error) =>
    options.log.error({ msg: 'could not free a blob; the sweep at the next start will', ref, error: String(error) }),
  );
  const clock = options.clock ?? Date.now;
  const defaultCredential = await ensureDefaultAccount(meta, options.env ?? {});
  if (config.seedFile) await applySeed(meta, await loadSeedFile(config.seedFile), config.region, clock());
  const expired = await meta.tx((tx) => tx.deleteExpiredCredentials(Math.floor(clock() / 1000) - EXPIRED_KEY_RETENTION_SECONDS));
  if (expired > 0) options.log.info({ msg: 'removed long-expired temporary keys', removed: expired });
  const swept = await blobs.sweep((ref) => meta.blobInUse(ref));
  if (swept.removed > 0) options.log.info({ msg: 'swept leftovers of interrupted writes', removed: swept.removed });

  if (config.allowUnboundSignatures) {
    options.log.warn({ msg: 'accepting signatures that do not name the bucket (--allow-unbound-signatures): one made for a bucket works on every other its signer may use' });
  }
  const handler = createHandler({
    meta,
    blobs,
    keyring: storeKeyring(meta),
    region: config.region,
    domains: config.domains,
    log: options.log,
    clock,
    policies: new PolicyCache(),
    strictCosS3: config.strictCosS3,
    allowUnboundSignatures: config.allowUnboundSignatures,
    singleUse: new SingleUseLedger(),
  });
  // Shutting down, a keep-alive connection must not wait out its idle timeout (5 s) once its request
  // is answered: replies not yet started say Connection: close, and each finished one closes what is idle.
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    if (closing) res.shouldKeepAlive = false;
    handler(req, res);
  });
  // Idle sockets (a client that stops sending mid-body) are cut after two minutes, so nothing hangs.
  server.setTimeout(120_000, (socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    endpoint: `http://${config.host}:${port}`,
    port,
    defaultCredential,
    settled: () => blobs.idle(),
    async close() {
      // Stop accepting, let in-flight requests finish, then close the store.
      closing = true;
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await blobs.close();
      await hashers.close();
      await meta.close();
      await batcher.close();
    },
  };
}
