// startServer: coslocal in-process for a test suite (node:test, Jest, Vitest), with what a test needs
// ready-made: the endpoint, the default account's keys, cos-nodejs-sdk-v5 and S3 client options, reset,
// the test clock and fault rules.
import { DEFAULT_ACCOUNT } from './admin/accounts.ts';
import { parseFaultRule, type FaultRuleView } from './admin/faults.ts';
import { parseSeed } from './admin/seed.ts';
import type { TestClock } from './admin/test-clock.ts';
import { startApp } from './app.ts';
import { parseConfig } from './config.ts';
import { silentLogger, type Logger } from './http/log.ts';

export interface StartServerOptions {
  /** 0 (the default): any free port; `server.port` says which. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Keep everything in memory (the default unless dataDir is given). */
  inMemory?: boolean;
  /** Keep metadata and bytes in this directory (SQLite and files), as `coslocal --data-dir`. */
  dataDir?: string;
  /** Default ap-guangzhou. */
  region?: string;
  /** A seed document (what a seed file holds: accounts, buckets, faults), or a seed file's path. */
  seed?: object | string;
  /** The default account's key pair; default: the seed's, else a generated one. */
  secretId?: string;
  secretKey?: string;
  /** Default silent. */
  log?: Logger;
  /** More server flags, as on the command line (`['--strict-cos-s3']`). */
  args?: readonly string[];
}

/** What `new COS(server.cos)` takes (cos-nodejs-sdk-v5): the banner's configuration. */
export interface CosSdkOptions {
  SecretId: string;
  SecretKey: string;
  Protocol: 'http:';
  Ip: string;
}

/** What `new S3Client(server.s3)` takes (@aws-sdk/client-s3). */
export interface S3ClientOptions {
  endpoint: string;
  region: string;
  forcePathStyle: true;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface CoslocalServer {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  port: number;
  region: string;
  /** The default root account: bucket names end with `-<appid>`. */
  account: { uin: string; appid: string; secretId: string; secretKey: string };
  cos: CosSdkOptions;
  s3: S3ClientOptions;
  /** `<name>-<appid>`: a bucket name of the default account. */
  bucket(name: string): string;
  /** Every bucket, object and upload gone; identities and fault rules as seeded. The clock keeps its time. */
  reset(): Promise<void>;
  /** The server's clock: `advance(ms)`, `set(epochMs)`, `freeze(true)`, `restore()`, `now()`. */
  clock: TestClock;
  faults: {
    /** Adds a rule, written as in the seed file or for `POST /_coslocal/v1/faults`. */
    add(rule: object): FaultRuleView;
    list(): FaultRuleView[];
    clear(): void;
  };
  close(): Promise<void>;
}

/** Starts coslocal in this process with the test controls on (reset, clock, faults) and nothing on disk unless dataDir says where. */
export async function startServer(options: StartServerOptions = {}): Promise<CoslocalServer> {
  const inMemory = options.inMemory ?? options.dataDir === undefined;
  const argv = [
    '--port', String(options.port ?? 0),
    '--host', options.host ?? '127.0.0.1',
    ...(inMemory ? ['--in-memory'] : []),
    ...(options.dataDir !== undefined ? ['--data-dir', options.dataDir] : []),
    ...(options.region !== undefined ? ['--region', options.region] : []),
    ...(typeof options.seed === 'string' ? ['--seed', options.seed] : []),
    '--test-controls',
    '--allow-reset',
    ...(options.args ?? []),
  ];
  // No environment: a test's server is configured by its options alone, whatever COSLOCAL_* the shell has.
  const config = parseConfig(argv, {});
  const app = await startApp(config, {
    log: options.log ?? silentLogger,
    env: { secretId: options.secretId, secretKey: options.secretKey },
    ...(typeof options.seed === 'object' && { seed: parseSeed(options.seed) }),
  });
  const controls = app.testControls;
  if (!controls) throw new Error('coslocal started without its test controls');
  const { secretId, secretKey } = app.defaultCredential;
  const hostPort = app.endpoint.slice('http://'.length);
  return {
    endpoint: app.endpoint,
    port: app.port,
    region: config.region,
    account: { uin: DEFAULT_ACCOUNT.uin, appid: DEFAULT_ACCOUNT.appid, secretId, secretKey },
    cos: { SecretId: secretId, SecretKey: secretKey, Protocol: 'http:', Ip: hostPort },
    s3: { endpoint: app.endpoint, region: config.region, forcePathStyle: true, credentials: { accessKeyId: secretId, secretAccessKey: secretKey } },
    bucket: (name) => `${name}-${DEFAULT_ACCOUNT.appid}`,
    reset: () => app.reset(),
    clock: controls.clock,
    faults: {
      add: (rule) => controls.faults.addRule(parseFaultRule(rule)),
      list: () => controls.faults.list(),
      clear: () => void controls.faults.clear(),
    },
    close: () => app.close(),
  };
}
