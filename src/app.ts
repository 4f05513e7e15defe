// Composition root: the only place that opens the stores and wires the request pipeline.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DEFAULT_ACCOUNT, ensureDefaultAccount } from './admin/accounts.ts';
import type { ServerStatus } from './admin/http-endpoint.ts';
import { ServerMetrics, type ClusterMetrics } from './admin/metrics.ts';
import { FaultRules } from './admin/faults.ts';
import { resetStore } from './admin/reset.ts';
import { applySeed, loadSeedFile, SeedError, seedKey, type Seed } from './admin/seed.ts';
import type { TestControls } from './admin/test-control-endpoints.ts';
import { TestClock } from './admin/test-clock.ts';
import { PolicyCache } from './api/common/policy-cache.ts';
import { SingleUseLedger } from './auth/cosv4/single-use.ts';
import { storeKeyring } from './auth/store-keyring.ts';
import { ConfigError, type Config } from './config.ts';
import { EXPIRED_KEY_RETENTION_SECONDS, type Credential } from './domain/identity.ts';
import { inventoryJob } from './jobs/inventory.ts';
import { lifecycleJob } from './jobs/lifecycle.ts';
import { loggingJob } from './jobs/logging.ts';
import { replicationJob } from './jobs/replication.ts';
import { lapseLeases } from './jobs/lease.ts';
import { JobRunner } from './jobs/runner.ts';
import { createHandler } from './pipeline/handle.ts';
import { Listeners } from './http/listeners.ts';
import { isOutOfDescriptors, throttled, type Logger } from './http/log.ts';
import { BlobKeeper } from './storage/blob-keeper.ts';
import { HashPool } from './storage/hash/hash-pool.ts';
import type { MetadataStore } from './storage/metadata.ts';
import { openEngine, type StorageEngine, type StoreRole } from './storage/open-engine.ts';
import { hostPort } from './util/host-port.ts';

export interface App {
  /** `http://host:port` once listening (`https://` when HTTPS is all it serves). */
  endpoint: string;
  port: number;
  /** With --cert and --key. */
  httpsEndpoint: string | undefined;
  httpsPort: number | undefined;
  /** Where the server keeps what it stores (the data directory, or memory), for the banner. */
  storage: string;
  defaultCredential: Credential;
  /**
   * Removes every bucket, object and upload, returns identities and fault rules to the seed (the test
   * clock keeps its time). The HTTP twin, `POST /_coslocal/v1/reset`, needs --allow-reset; in-process the
   * embedder is the operator.
   */
  reset(): Promise<void>;
  /** The fault rules and the clock, with --test-controls. */
  testControls: TestControls | undefined;
  /** Resolves once the work answered requests left to the background (freeing replaced bytes) is done. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  log: Logger;
  env?: { secretId?: string | undefined; secretKey?: string | undefined };
  clock?: () => number;
  /** A seed given in-process (startServer); it takes the place of config.seedFile. */
  seed?: Seed;
  /** How this process shares the store; default `node` with --node, else `alone`. */
  role?: StoreRole;
  /** A --workers worker's: the metrics of all workers, which a scrape answers with (workers.ts). */
  clusterMetrics?: ClusterMetrics;
}

export async function startApp(config: Config, options: AppOptions): Promise<App> {
  const role = options.role ?? (config.node ? 'node' : 'alone');
  // The workers are forked by `coslocal serve` (workers.ts); in-process, the server is this one process.
  if (config.workers > 0 && role !== 'worker') throw new ConfigError('--workers forks worker processes: start the server with `coslocal serve --workers N`, not in-process');
  const hashers = new HashPool();
  const engine = await openEngine(config, hashers, role);
  try {
    return await startServing(config, options, engine, hashers, role);
  } catch (error) {
    await engine.close();
    await hashers.close();
    throw error;
  }
}

/** The primary of --workers: the store, its lock and its start-up work, held for the workers. */
export interface Primary {
  defaultCredential: Credential;
  storage: string;
  /** Lets go of the store and the data directory (once the workers are gone). */
  close(): Promise<void>;
}

/**
 * For the primary of --workers: takes the data-dir lock (exclusive, or a node's with --node) and does the
 * start-up work once (the default account, the seed, and, owning the store alone, lapsing what earlier
 * processes left: blob reservations, job leases), so that the workers, started after it as `worker`, do none.
 */
export async function preparePrimary(config: Config, options: AppOptions): Promise<Primary> {
  const role = config.node ? 'node' : 'alone';
  const hashers = new HashPool();
  const engine = await openEngine(config, hashers, role);
  const close = async (): Promise<void> => {
    await engine.close();
    await hashers.close();
  };
  try {
    const realClock = options.clock ?? Date.now;
    const { defaultCredential } = await prepareStore(engine.meta, config, options, realClock(), role);
    if (role === 'alone') {
      const me = randomUUID();
      const lapsed = await engine.meta.tx((tx) => tx.lapseReservations(me));
      const leases = await lapseLeases(engine.meta, me);
      if (lapsed + leases > 0) options.log.info({ msg: 'collecting blobs and resuming jobs of an earlier stop', lapsed, leases });
    }
    return { defaultCredential, storage: engine.description, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The start-up work on the store: the default account, the seed (not by a worker: its primary applied it,
 * and a replaced worker must not undo what clients changed since), long-expired temporary keys.
 */
async function prepareStore(meta: MetadataStore, config: Config, options: AppOptions, now: number, role: StoreRole): Promise<{ defaultCredential: Credential; seed: Seed | undefined }> {
  const seed = options.seed ?? (config.seedFile ? await loadSeedFile(config.seedFile) : undefined);
  if (seed && seed.faults.length > 0 && !config.testControls) throw new SeedError('the seed has fault rules: start the server with --test-controls (or COSLOCAL_TEST_CONTROLS=1)');
  // The key the banner shows is the one configured: COSLOCAL_SECRET_ID/KEY, else the seed's for the default account.
  const env = options.env ?? {};
  const defaultCredential = await ensureDefaultAccount(meta, env.secretId && env.secretKey ? env : (seed && seedKey(seed, DEFAULT_ACCOUNT.uin)) ?? {});
  if (seed && role !== 'worker') await applySeed(meta, seed, config.region, now);
  const expired = await meta.tx((tx) => tx.deleteExpiredCredentials(Math.floor(now / 1000) - EXPIRED_KEY_RETENTION_SECONDS));
  if (expired > 0) options.log.info({ msg: 'removed long-expired temporary keys', removed: expired });
  return { defaultCredential, seed };
}

async function startServing(config: Config, options: AppOptions, engine: StorageEngine, hashers: HashPool, role: StoreRole): Promise<App> {
  const { meta } = engine;
  const realClock = options.clock ?? Date.now;
  const testControls = config.testControls ? { clock: new TestClock(realClock), faults: new FaultRules() } : undefined;
  if (config.clockStart !== undefined) testControls?.clock.set(config.clockStart);
  const { defaultCredential, seed } = await prepareStore(meta, config, options, (testControls?.clock.now ?? realClock)(), role);
  if (seed) testControls?.faults.add(seed.faults);
  // Requests see the test clock; blob reservations keep real time, so a clock moved a day ahead does not
  // lapse the reservation of an upload in flight.
  const clock = testControls?.clock.now ?? realClock;
  const blobs = new BlobKeeper(meta, engine.blobs, {
    holder: randomUUID(),
    clock: realClock,
    leaseMs: config.blobLeaseMs,
    onCollectError: (ref, error) => options.log.error({ msg: 'could not free a blob; a collector tries again once its claim lapses', ref, error: String(error) }),
    onRenewError: (error) => options.log.error({ msg: 'could not renew the reservations of writes in flight; trying again', error: String(error) }),
  });
  // Owning its store alone (the exclusive data-dir lock), this process knows the writes reserved by earlier ones died with them.
  const ownsStoreAlone = role === 'alone';
  const { lapsed } = await blobs.start(ownsStoreAlone);
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
  const keyring = storeKeyring(meta);
  const reset = async (): Promise<void> => {
    await resetStore(meta, { defaultCredential, seed, region: config.region }, clock());
    keyring.recheck();
    blobs.collectSoon();
    testControls?.faults.clear();
    if (seed) testControls?.faults.add(seed.faults);
    options.log.info({ msg: 'reset: every bucket, object and upload removed, identities and fault rules as seeded' });
  };
  if (config.testControls) options.log.warn({ msg: 'test controls on (--test-controls): admin keys can inject faults and set the clock' });
  const status: ServerStatus = { state: 'starting', engine: engine.kind, startedAt: clock() };
  const metrics = new ServerMetrics(() => meta.usage(), options.clusterMetrics);
  const policies = new PolicyCache();
  const jobList = [lifecycleJob({ meta, collectSoon: () => blobs.collectSoon() }), loggingJob({ meta, blobs }), inventoryJob({ meta, blobs }), replicationJob({ meta, policies, log: options.log })];
  const jobs = new JobRunner(meta, jobList, {
    holder: randomUUID(),
    clock,
    realClock,
    log: options.log,
    observer: metrics,
  });
  testControls?.clock.onChange(() => jobs.clockMoved());
  const handler = createHandler({
    meta,
    blobs,
    serverKey: engine.serverKey,
    keyring,
    region: config.region,
    domains: config.domains,
    log: options.log,
    clock,
    policies,
    strictCosS3: config.strictCosS3,
    allowUnboundSignatures: config.allowUnboundSignatures,
    singleUse: new SingleUseLedger(meta),
    outOfDescriptors,
    status: () => status,
    metrics,
    jobs,
    reset: config.allowReset ? reset : undefined,
    testControls,
    trustProxy: config.trustProxy,
  });
  const connectionAlarm = throttled(options.log.error);
  const listeners = new Listeners(handler, {
    headersTimeoutMs: config.headersTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    maxConnections: config.maxConnections,
    onDrop: () =>
      connectionAlarm({ msg: `connection limit (${config.maxConnections ?? ''}) reached: new connections are refused until some close; see --max-connections` }),
  });
  // As for blob reservations above: alone, earlier processes' leases are void; sharing, they stand until they lapse.
  await jobs.start(ownsStoreAlone);
  // A second listener that cannot listen (its port taken) must not leave the first one open.
  const endpoints = await listen(config, listeners).catch(async (error: unknown) => {
    await listeners.close();
    await jobs.close();
    throw error;
  });
  status.state = 'ready';
  return {
    ...endpoints,
    storage: engine.description,
    defaultCredential,
    reset,
    testControls,
    settled: () => blobs.idle(),
    async close() {
      // Stop accepting, let in-flight requests finish, then close the store.
      status.state = 'stopping';
      await listeners.close();
      await jobs.close();
      await blobs.close();
      await engine.close();
      await hashers.close();
    },
  };
}

type Endpoints = Pick<App, 'endpoint' | 'port' | 'httpsEndpoint' | 'httpsPort'>;

/** HTTP on --port; with --cert/--key, HTTPS too, on --https-port beside it or alone on --port. */
async function listen(config: Config, listeners: Listeners): Promise<Endpoints> {
  const url = (scheme: string, port: number): string => `${scheme}://${hostPort(config.host, port)}`;
  const tls = config.tls && { cert: await readFile(config.tls.certFile), key: await readFile(config.tls.keyFile) };
  if (tls && config.httpsPort === undefined) {
    const port = await listeners.listen(config.host, config.port, tls);
    return { endpoint: url('https', port), port, httpsEndpoint: url('https', port), httpsPort: port };
  }
  const port = await listeners.listen(config.host, config.port);
  const httpsPort = tls && (await listeners.listen(config.host, config.httpsPort ?? 0, tls));
  return { endpoint: url('http', port), port, httpsEndpoint: httpsPort === undefined ? undefined : url('https', httpsPort), httpsPort };
}
