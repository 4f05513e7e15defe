// Typed server configuration from flags and their environment-variable twins, validated once at start.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseTime } from './admin/test-clock.ts';
import { parseCidr, type Cidr } from './authz/policy/ip.ts';
import { LOG_LEVELS, type LogLevel } from './http/log.ts';

const isLogLevel = (value: string): value is LogLevel => (LOG_LEVELS as readonly string[]).includes(value);
import { parseFlags, parseSwitch, UsageError, type FlagSpec } from './cli/flags.ts';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  region: string;
  /** Host suffixes accepted for virtual-hosted style requests. */
  domains: string[];
  seedFile: string | undefined;
  /** How long a client may take to send a request's headers, in ms (slow-header clients hold connections). */
  headersTimeoutMs: number;
  /** How long a connection may stall mid-request, no byte moving either way, before it is cut, in ms. */
  idleTimeoutMs: number;
  /** Connections served at once (Node refuses more); undefined: no limit. */
  maxConnections: number | undefined;
  /** Refuse what COS's S3 endpoint refuses (aws-chunked request bodies), so the incompatibility shows up locally. */
  strictCosS3: boolean;
  /**
   * Accept signatures that do not bind the bucket (a path-style request signed over `/<key>`, a
   * virtual-hosted one whose signature leaves out the host): such a signature works on every bucket
   * the signer may use. Off by default; on, it warns at start and on every request it lets through.
   */
  allowUnboundSignatures: boolean;
  /** The least severe log lines written; `info` includes one line per request. */
  logLevel: LogLevel;
  /** Keep metadata and object bytes in this process's memory only: nothing under dataDir, nothing kept after exit. */
  inMemory: boolean;
  /** Metadata in this PostgreSQL database (a postgres:// URL) instead of SQLite under dataDir; object bytes stay under dataDir. */
  metadataUrl: string | undefined;
  /** With metadataUrl: the connections this process keeps to PostgreSQL at most. */
  metadataPoolSize: number;
  /** Let a root key empty the store back to the seed (`POST /_coslocal/v1/reset`, `coslocal reset`). */
  allowReset: boolean;
  /** Serve the test controls: fault injection and the test clock (admin endpoints, seed `faults`). */
  testControls: boolean;
  /** Where the test clock starts (epoch ms); undefined: the real time. Needs testControls. */
  clockStart: number | undefined;
  /** HTTPS: PEM files of the certificate (chain) and its key; undefined: plain HTTP only. */
  tls: { certFile: string; keyFile: string } | undefined;
  /** With tls: HTTPS on this port and HTTP on `port`; undefined: HTTPS alone, on `port`. */
  httpsPort: number | undefined;
  /** The addresses (or CIDR blocks) of proxies whose X-Forwarded-For/-Proto are believed. */
  trustProxy: Cidr[];
  /** Serve from this many worker processes sharing the port and the store (node:cluster); 0: this process serves. */
  workers: number;
  /** One node of a deployment sharing the store with other nodes: no start-up work that assumes it is alone. */
  node: boolean;
  /** How long a process's blob reservations and collector claims stand unrenewed (blob-keeper.ts), in ms. */
  blobLeaseMs: number;
}

interface Option {
  flag: string;
  env: string;
  help: string;
  default?: string;
  /** A switch: `--flag` alone means true; `--flag=false` or env `0`/`false` turn it off. */
  boolean?: true;
}

export const OPTIONS: readonly Option[] = [
  { flag: 'host', env: 'COSLOCAL_HOST', help: 'address to listen on', default: '127.0.0.1' },
  { flag: 'port', env: 'COSLOCAL_PORT', help: 'port to listen on (0 = any free port)', default: '9000' },
  { flag: 'data-dir', env: 'COSLOCAL_DATA_DIR', help: 'where metadata and object files live', default: './data' },
  {
    flag: 'in-memory',
    env: 'COSLOCAL_IN_MEMORY',
    help: 'keep metadata and object bytes in memory only: nothing is written to --data-dir, everything is gone at exit',
    default: 'false',
    boolean: true,
  },
  {
    flag: 'metadata',
    env: 'COSLOCAL_METADATA_URL',
    help: 'keep metadata in this PostgreSQL database (postgres://user:password@host:port/db) instead of SQLite in --data-dir; object bytes stay in --data-dir',
  },
  { flag: 'metadata-pool-size', env: 'COSLOCAL_METADATA_POOL_SIZE', help: 'with --metadata: connections kept to PostgreSQL at most', default: '10' },
  { flag: 'region', env: 'COSLOCAL_REGION', help: 'region reported for buckets', default: 'ap-guangzhou' },
  { flag: 'domain', env: 'COSLOCAL_DOMAIN', help: 'comma-separated host suffixes for virtual-hosted style', default: 'myqcloud.com,tencentcos.cn,localhost' },
  { flag: 'seed', env: 'COSLOCAL_SEED', help: 'JSON seed file applied at every start (accounts, keys, buckets)' },
  { flag: 'headers-timeout', env: 'COSLOCAL_HEADERS_TIMEOUT', help: 'seconds a client may take to send a request\'s headers', default: '60' },
  { flag: 'idle-timeout', env: 'COSLOCAL_IDLE_TIMEOUT', help: 'seconds a request may stall (no byte in or out) before its connection is cut', default: '120' },
  {
    flag: 'max-connections',
    env: 'COSLOCAL_MAX_CONNECTIONS',
    help: 'connections served at once, more are refused (default: half the open-file limit, leaving descriptors for files)',
  },
  {
    flag: 'strict-cos-s3',
    env: 'COSLOCAL_STRICT_COS_S3',
    help: 'refuse S3 requests real COS refuses (aws-chunked bodies, the AWS SDK default for streamed uploads)',
    default: 'false',
    boolean: true,
  },
  {
    flag: 'allow-unbound-signatures',
    env: 'COSLOCAL_ALLOW_UNBOUND_SIGNATURES',
    help: 'accept signatures that do not name the bucket (older cos-nodejs-sdk-v5 Domain configurations); replayable on other buckets',
    default: 'false',
    boolean: true,
  },
  {
    flag: 'allow-reset',
    env: 'COSLOCAL_ALLOW_RESET',
    help: 'let a root key remove every bucket, object and upload and return identities to the seed (POST /_coslocal/v1/reset, coslocal reset)',
    default: 'false',
    boolean: true,
  },
  {
    flag: 'test-controls',
    env: 'COSLOCAL_TEST_CONTROLS',
    help: 'serve the test controls: fault injection and a settable clock (never on a server others rely on)',
    default: 'false',
    boolean: true,
  },
  { flag: 'clock', env: 'COSLOCAL_CLOCK', help: 'start the server\'s clock at this time (ISO 8601 or epoch ms); needs --test-controls' },
  { flag: 'cert', env: 'COSLOCAL_CERT', help: 'serve HTTPS with this certificate (PEM, chain included); with --key' },
  { flag: 'key', env: 'COSLOCAL_KEY', help: 'the private key (PEM) of --cert' },
  { flag: 'https-port', env: 'COSLOCAL_HTTPS_PORT', help: 'with --cert: HTTPS on this port and HTTP on --port (default: HTTPS alone, on --port)' },
  {
    flag: 'trust-proxy',
    env: 'COSLOCAL_TRUST_PROXY',
    help: 'comma-separated addresses or CIDR blocks of proxies whose X-Forwarded-For/-Proto count (client ip, cos:secure-transport)',
  },
  {
    flag: 'workers',
    env: 'COSLOCAL_WORKERS',
    help: 'serve from this many worker processes sharing the port and the store; a worker that dies is replaced (0 = this process serves)',
    default: '0',
  },
  {
    flag: 'node',
    env: 'COSLOCAL_NODE',
    help: 'run as one node of a deployment: other nodes (other processes or hosts) share the metadata store and the data directory',
    default: 'false',
    boolean: true,
  },
  {
    flag: 'blob-lease',
    env: 'COSLOCAL_BLOB_LEASE',
    help: 'seconds a write\'s blob reservation stands without its heartbeat: a killed process\'s unfinished writes are freed this long after',
    default: '60',
  },
  { flag: 'log-level', env: 'COSLOCAL_LOG_LEVEL', help: `${LOG_LEVELS.join(', ')}; info logs one line per request`, default: 'info' },
];

/** A flag's or environment variable's value is wrong. */
export class ConfigError extends UsageError {}

/** The server's options as command-line flags. */
export const SERVER_FLAGS: readonly FlagSpec[] = OPTIONS.map((o) => ({ name: o.flag, help: o.help, ...(o.boolean ? { switch: true } : { value: 'VALUE' }) }));

/** Flags win over environment variables, which win over defaults. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  const flags = parseFlags(argv, SERVER_FLAGS);
  const values = new Map<string, string>();
  for (const option of OPTIONS) {
    const fromEnv = env[option.env];
    const value = flags.get(option.flag) ?? (fromEnv === '' ? undefined : fromEnv) ?? option.default;
    if (value !== undefined) values.set(option.flag, value);
  }
  const port = portOf(values, 'port');
  const region = values.get('region') ?? '';
  if (!/^[a-z0-9-]+$/.test(region)) throw new ConfigError(`bad --region ${region}`);
  const domains = (values.get('domain') ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
  if (domains.length === 0) throw new ConfigError('--domain needs at least one suffix');
  const logLevel = values.get('log-level') ?? 'info';
  if (!isLogLevel(logLevel)) throw new ConfigError(`bad --log-level ${logLevel}: one of ${LOG_LEVELS.join(', ')}`);
  const certFile = values.get('cert');
  const keyFile = values.get('key');
  if ((certFile === undefined) !== (keyFile === undefined)) throw new ConfigError('--cert and --key go together');
  const httpsPort = values.has('https-port') ? portOf(values, 'https-port') : undefined;
  if (httpsPort !== undefined && certFile === undefined) throw new ConfigError('--https-port needs --cert and --key');
  const inMemory = switchValue(values, 'in-memory');
  const metadata = values.get('metadata');
  if (metadata !== undefined && inMemory) throw new ConfigError('--metadata and --in-memory exclude each other');
  const testControls = switchValue(values, 'test-controls');
  const clockStart = clockStartOf(values.get('clock'), testControls);
  const workers = workersOf(values.get('workers'), { inMemory, testControls });
  const node = switchValue(values, 'node');
  if (node && inMemory) throw new ConfigError('--node needs a store other processes can share: drop --in-memory');
  return {
    headersTimeoutMs: seconds(values, 'headers-timeout') * 1000,
    idleTimeoutMs: seconds(values, 'idle-timeout') * 1000,
    maxConnections: maxConnections(values),
    host: values.get('host') ?? '127.0.0.1',
    port,
    dataDir: resolve(values.get('data-dir') ?? './data'),
    region,
    domains,
    seedFile: values.get('seed'),
    strictCosS3: switchValue(values, 'strict-cos-s3'),
    allowUnboundSignatures: switchValue(values, 'allow-unbound-signatures'),
    logLevel,
    inMemory,
    metadataUrl: metadata === undefined ? undefined : checkMetadataUrl(metadata),
    metadataPoolSize: positiveInteger(values, 'metadata-pool-size'),
    allowReset: switchValue(values, 'allow-reset'),
    testControls,
    clockStart,
    tls: certFile !== undefined && keyFile !== undefined ? { certFile: resolve(certFile), keyFile: resolve(keyFile) } : undefined,
    httpsPort,
    trustProxy: trustedProxies(values.get('trust-proxy')),
    workers,
    node,
    blobLeaseMs: seconds(values, 'blob-lease') * 1000,
  };
}

function workersOf(value: string | undefined, other: { inMemory: boolean; testControls: boolean }): number {
  const n = Number(value ?? '0');
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`bad --workers ${value}: a number of processes, 0 for none`);
  if (n === 0) return 0;
  if (other.inMemory) throw new ConfigError('--workers needs a store the workers can share: --in-memory keeps it in one process');
  // The test clock and fault rules live in each process: workers would disagree on the time and on which faults fire.
  if (other.testControls) throw new ConfigError('--workers and --test-controls do not go together: each worker would keep its own clock and fault rules');
  return n;
}

function portOf(values: ReadonlyMap<string, string>, flag: string): number {
  const port = Number(values.get(flag));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`bad --${flag} ${values.get(flag)}`);
  return port;
}

function trustedProxies(value: string | undefined): Cidr[] {
  const entries = (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  return entries.map((entry) => {
    const cidr = parseCidr(entry);
    if (!cidr) throw new ConfigError(`bad --trust-proxy ${entry}: an IP address or CIDR block`);
    return cidr;
  });
}

function clockStartOf(value: string | undefined, testControls: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (!testControls) throw new ConfigError('--clock needs --test-controls');
  const time = parseTime(value);
  if (time === undefined) throw new ConfigError(`bad --clock ${value}: an ISO 8601 time or epoch milliseconds`);
  return time;
}

function switchValue(values: ReadonlyMap<string, string>, flag: string): boolean {
  const value = values.get(flag) ?? 'false';
  const on = parseSwitch(value);
  if (on === undefined) throw new ConfigError(`bad --${flag} ${value}: true or false`);
  return on;
}

/** A positive number of seconds; fractions allowed (tests use short limits). */
function seconds(values: ReadonlyMap<string, string>, flag: string): number {
  const value = Number(values.get(flag));
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`bad --${flag} ${values.get(flag)}: a positive number of seconds`);
  return value;
}

/** The --metadata URL, when it names a PostgreSQL database (the only engine it can name). */
export function checkMetadataUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`bad --metadata (not a URL): a PostgreSQL URL such as postgres://user:password@127.0.0.1:5432/coslocal`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`bad --metadata ${url.protocol}//...: only PostgreSQL is supported (postgres:// or postgresql://)`);
  }
  return value;
}

function positiveInteger(values: ReadonlyMap<string, string>, flag: string): number {
  const n = Number(values.get(flag));
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`bad --${flag} ${values.get(flag)}: a positive integer`);
  return n;
}

function maxConnections(values: ReadonlyMap<string, string>): number | undefined {
  if (!values.has('max-connections')) {
    const limit = openFileLimit();
    return limit === undefined ? undefined : Math.max(1, Math.floor(limit / 2));
  }
  return positiveInteger(values, 'max-connections');
}

/** Linux: the soft limit on open files (`ulimit -n`), from /proc; undefined elsewhere or when unlimited. */
function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isInteger(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined;
  }
}

export function configHelp(): string {
  const width = Math.max(...OPTIONS.map((o) => o.flag.length));
  return OPTIONS.map((o) => `  --${o.flag.padEnd(width)} ${o.help}${o.default ? ` (default ${o.default})` : ''}; env ${o.env}`).join('\n');
}
