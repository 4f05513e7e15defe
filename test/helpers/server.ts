// Starts coslocal in-process on a random loopback port with a fresh data directory and a seed of test identities.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import { startApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { silentLogger, type Logger } from '../../src/http/log.ts';
import { blobFiles } from './blob-files.ts';
import { freshDatabase } from './postgres.ts';

export interface TestIdentity {
  uin: string;
  appid: string;
  secretId: string;
  secretKey: string;
}

/** The seeded identities: the default root account, a second root account and a sub-account of the first. */
export const OWNER: TestIdentity = { uin: '100000000001', appid: '1250000000', secretId: 'AKIDtestOwner00000000000000000000001', secretKey: 'testOwnerSecretKey00000000000000' };
export const OTHER: TestIdentity = { uin: '100000000002', appid: '1250000002', secretId: 'AKIDtestOther00000000000000000000002', secretKey: 'testOtherSecretKey00000000000000' };
export const SUB: TestIdentity = { uin: '100000000011', appid: '1250000000', secretId: 'AKIDtestSub0000000000000000000000011', secretKey: 'testSubSecretKey0000000000000000' };
/** A sub-account of OTHER, and a third root account nobody grants anything to. */
export const OTHER_SUB: TestIdentity = { uin: '100000000022', appid: '1250000002', secretId: 'AKIDtestOtherSub00000000000000000022', secretKey: 'testOtherSubSecretKey00000000000' };
export const THIRD: TestIdentity = { uin: '100000000003', appid: '1250000003', secretId: 'AKIDtestThird00000000000000000000003', secretKey: 'testThirdSecretKey00000000000000' };

/**
 * The storage engine the integration tests run on: `COSLOCAL_TEST_ENGINE=memory` runs them on --in-memory,
 * `postgres` on a fresh database of COSLOCAL_TEST_POSTGRES_URL's server per test server (--metadata).
 */
export const TEST_ENGINE: 'sqlite' | 'postgres' | 'memory' = (() => {
  const engine = process.env['COSLOCAL_TEST_ENGINE'] ?? 'sqlite';
  if (engine !== 'sqlite' && engine !== 'postgres' && engine !== 'memory') throw new Error(`COSLOCAL_TEST_ENGINE=${engine}: sqlite, postgres or memory`);
  return engine;
})();

/** The engine flags of a new test server: a database of its own on PostgreSQL. */
export async function engineFlags(): Promise<string[]> {
  if (TEST_ENGINE === 'memory') return ['--in-memory'];
  if (TEST_ENGINE === 'postgres') return ['--metadata', await freshDatabase()];
  return [];
}

/**
 * For a test's `{ skip }`: one about what a server keeps on disk (blob files, the data directory and its
 * lock, restarts after kill -9, the CLI on a data directory) has nothing to test on the memory engine.
 */
export const onDiskOnly = (what: string): string | false => (TEST_ENGINE === 'memory' ? `about ${what}; the memory engine keeps nothing on disk` : false);

/** For a test's `{ skip }`: one about SQLite's own files or failures has nothing to test on another engine. */
export const sqliteOnly = (what: string): string | false => (TEST_ENGINE === 'sqlite' ? false : `about ${what}; the ${TEST_ENGINE} engine keeps no SQLite database`);

export interface TestServer {
  app: App;
  endpoint: string;
  hostPort: string;
  dataDir: string;
  /** The admin commands' flags (src/cli.ts) that open the server's store. */
  storeArgs: string[];
  region: string;
  /** A cos-nodejs-sdk-v5 client configured exactly as the start-up banner prints it. */
  sdk(identity?: TestIdentity): COS;
  /** A new bucket of OWNER's (uniqueBucket), created through the COS SDK in the server's region. */
  newBucket(): Promise<string>;
  /** The blob files (`<shard>/<name>`), once the deletes the server left to the background are done. */
  blobFiles(): Promise<string[]>;
  close(): Promise<void>;
}

let bucketCounter = 0;
/** A bucket name unique to this process, under the given appid, of production length (45+ characters, as real users name theirs). */
export const uniqueBucket = (appid = OWNER.appid): string => `coslocal-integration-test-p${process.pid}-b${++bucketCounter}-${appid}`;

export interface TestServerOptions {
  clock?: () => number;
  strictCosS3?: boolean;
  allowUnboundSignatures?: boolean;
  /** Where the server logs; silent by default. */
  log?: Logger;
  /** More server flags. */
  args?: string[];
  /** The seed's fault rules (admin/faults.ts; the server needs --test-controls). */
  faults?: object[];
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-test-'));
  const seedFile = join(dataDir, 'seed.json');
  await writeFile(
    seedFile,
    JSON.stringify({
      accounts: [
        {
          uin: OWNER.uin,
          appid: OWNER.appid,
          name: 'owner',
          keys: [{ secretId: OWNER.secretId, secretKey: OWNER.secretKey }],
          subAccounts: [{ uin: SUB.uin, name: 'dev', keys: [{ secretId: SUB.secretId, secretKey: SUB.secretKey }] }],
        },
        {
          uin: OTHER.uin,
          appid: OTHER.appid,
          name: 'other',
          keys: [{ secretId: OTHER.secretId, secretKey: OTHER.secretKey }],
          subAccounts: [{ uin: OTHER_SUB.uin, name: 'other-dev', keys: [{ secretId: OTHER_SUB.secretId, secretKey: OTHER_SUB.secretKey }] }],
        },
        { uin: THIRD.uin, appid: THIRD.appid, name: 'third', keys: [{ secretId: THIRD.secretId, secretKey: THIRD.secretKey }] },
      ],
      buckets: [
        { name: `seeded-${OWNER.appid}`, owner: OWNER.uin },
        { name: `seededpublic-${OWNER.appid}`, owner: OWNER.uin, acl: 'public-read' },
        {
          name: `seededgrants-${OWNER.appid}`,
          owner: OWNER.uin,
          acl: { canned: 'private', grants: [{ id: `qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`, permission: 'READ' }] },
        },
      ],
      ...(options.faults && { faults: options.faults }),
    }),
  );
  // A test about --in-memory itself asks for it, whatever the engine under test.
  const engine = options.args?.includes('--in-memory') ? [] : await engineFlags();
  // The admin commands open the server's store with all of these but --in-memory (they take no such flag).
  const storeArgs = ['--data-dir', join(dataDir, 'data'), ...engine.filter((flag) => flag !== '--in-memory')];
  const flags = [
    ...(options.strictCosS3 ? ['--strict-cos-s3'] : []),
    ...(options.allowUnboundSignatures ? ['--allow-unbound-signatures'] : []),
    ...(TEST_ENGINE === 'memory' ? ['--in-memory'] : []),
  ];
  const config = parseConfig(['--port', '0', '--seed', seedFile, ...storeArgs, ...flags, ...(options.args ?? [])], {});
  const app = await startApp(config, { log: options.log ?? silentLogger, ...(options.clock && { clock: options.clock }) });
  const hostPort = `127.0.0.1:${app.port}`;
  const sdk = (identity = OWNER): COS => new COS({ SecretId: identity.secretId, SecretKey: identity.secretKey, Protocol: 'http:', Ip: hostPort });
  return {
    app,
    endpoint: app.endpoint,
    hostPort,
    dataDir,
    storeArgs,
    region: config.region,
    sdk,
    async newBucket() {
      const Bucket = uniqueBucket();
      await sdk().putBucket({ Bucket, Region: config.region });
      return Bucket;
    },
    async blobFiles() {
      await app.settled();
      return blobFiles(join(dataDir, 'data'));
    },
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A test server with one bucket of OWNER's on it, for test files that drive that bucket with raw requests. */
export async function startTestServerWithBucket(): Promise<{ server: TestServer; bucket: string }> {
  const server = await startTestServer();
  return { server, bucket: await server.newBucket() };
}

/** The COS error code an SDK call failed with, undefined when it succeeded. */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}
