// Composition root: the only place that opens the stores and wires the request pipeline.
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ACCOUNT, ensureDefaultAccount } from './admin/accounts.ts';
import type { ServerStatus } from './admin/http-endpoint.ts';
import { ServerMetrics } from './admin/metrics.ts';
import { applySeed, loadSeedFile, seedKey } from './admin/seed.ts';
import { PolicyCache } from './api/common/policy-cache.ts';
import { SingleUseLedger } from './auth/cosv4/single-use.ts';
import { storeKeyring } from './auth/store-keyring.ts';
import type { Config } from './config.ts';
import { EXPIRED_KEY_RETENTION_SECONDS, type Credential } from './domain/identity.ts';
import { createHandler } from './pipeline/handle.ts';
import { isOutOfDescriptors, throttled, type Logger } from './http/log.ts';
import { BlobKeeper } from './storage/blob-keeper.ts';
import { HashPool } from './storage/hash/hash-pool.ts';
import { openEngine, type StorageEngine } from './storage/open-engine.ts';
import { hostPort } from './util/host-port.ts';

export interface App {
  server: Server;
  /** `http://host:port` once listening. */
  endpoint: string;
  port: number;
  /** Where the server keeps what it stores (the data directory, or memory), for the banner. */
  storage: string;
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
  const hashers = new HashPool();
  const engine = await openEngine(config, hashers);
  try {
    return await startServing(config, options, engine, hashers);
  } catch (error) {
    await engine.close();
    await hashers.close();
    throw error;
  }
}

async function startServing(config: Config, options: AppOptions, engine: StorageEngine, hashers: HashPool): Promise<App> {
  const { meta } = engine;
  const clock = options.clock ?? Date.now;
  const blobs = new BlobKeeper(meta, engine.blobs, {
    holder: randomUUID(),
    clock,
    onCollectError: (ref, error) => options.log.error({ msg: 'could not free a blob; the collector tries again after the next start', ref, error: String(error) }),
  });
  const seed = config.seedFile ? await loadSeedFile(config.seedFile) : undefined;
  // The key the banner shows is the one configured: COSLOCAL_SECRET_ID/KEY, else the seed's for the default account.
  const env = options.env ?? {};
  const defaultCredential = await ensureDefaultAccount(meta, env.secretId && env.secretKey ? env : (seed && seedKey(seed, DEFAULT_ACCOUNT.uin)) ?? {});
  if (seed) await applySeed(meta, seed, config.region, clock());
  const expired = await meta.tx((tx) => tx.deleteExpiredCredentials(Math.floor(clock() / 1000) - EXPIRED_KEY_RETENTION_SECONDS));
  if (expired > 0) options.log.info({ msg: 'removed long-expired temporary keys', removed: expired });
  // This process owns its store alone (openEngine locks the data directory): writes reserved by earlier ones died with them.
  const { lapsed } = await blobs.start();
  if (lapsed > 0) options.log.info({ msg: 'collecting blobs of writes interrupted by an earlier stop', lapsed });

  if (config.allowUnboundSignatures) {
    options.log.warn({ msg: 'accepting signatures that do not name the bucket (--allow-unbound-signatures): one made for a bucket works on every other its signer may use' });
  }
  const descriptorAlarm = throttled(options.log.error);
  const outOfDescriptors = (error: unknown): boolean => {
    if (!isOutOfDescriptors(error)) return false;
    descriptorAlarm({ msg: 'out of file descriptors: requests fail until connections close; raise the limit (ulimit -n) or lower --max-connections', error: String(error) });
    return true;
  };
  const status: ServerStatus = { state: 'starting', engine: 'sqlite', startedAt: clock() };
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
    outOfDescriptors,
    status: () => status,
    metrics: new ServerMetrics(() => meta.usage()),
  });
  // Shutting down, a keep-alive connection must not wait out its idle timeout (5 s) once its request
  // is answered: replies not yet started say Connection: close, and each finished one closes what is idle.
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  // No limit on a whole request (a large upload at a normal pace may take hours), but one on its headers
  // (Node's default is none once requestTimeout is 0), checked often enough to hold to short limits.
  const timeouts = {
    requestTimeout: 0,
    headersTimeout: config.headersTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, config.headersTimeoutMs / 4)),
  };
  const server = createServer(timeouts, (req, res) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    if (closing) res.shouldKeepAlive = false;
    handler(req, res);
  });
  // Node answers an Expect other than 100-continue with 417 by itself; S3 ignores it (ceph s3-tests send
  // `Expect:` empty and `Expect: 200` and expect the PUT to succeed), and so does this server.
  server.on('checkExpectation', (req, res) => server.emit('request', req, res));
  // `Expect: 100-continue` is answered 100 only once authorization let the request through (http/request.ts goAhead).
  server.on('checkContinue', (req, res) => server.emit('request', req, res));
  // A stalled request (a client that stops sending mid-body, or stops reading a download) is cut, so nothing hangs.
  server.setTimeout(config.idleTimeoutMs, (socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  // Connections beyond the limit are refused at once, so that those admitted still find descriptors for
  // their files (past the descriptor limit, Node drops new connections without a word).
  if (config.maxConnections !== undefined) server.maxConnections = config.maxConnections;
  const connectionAlarm = throttled(options.log.error);
  server.on('drop', () =>
    connectionAlarm({ msg: `connection limit (${config.maxConnections ?? ''}) reached: new connections are refused until some close; see --max-connections` }),
  );
  const { port } = server.address() as AddressInfo;
  status.state = 'ready';
  return {
    server,
    endpoint: `http://${hostPort(config.host, port)}`,
    port,
    storage: engine.description,
    defaultCredential,
    settled: () => blobs.idle(),
    async close() {
      // Stop accepting, let in-flight requests finish, then close the store.
      closing = true;
      status.state = 'stopping';
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await blobs.close();
      await engine.close();
      await hashers.close();
    },
  };
}
