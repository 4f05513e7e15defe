// Typed server configuration from flags and their environment-variable twins, validated once at start.
import { resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  region: string;
  /** Host suffixes accepted for virtual-hosted style requests. */
  domains: string[];
  seedFile: string | undefined;
  /** Refuse what COS's S3 endpoint refuses (aws-chunked request bodies), so the incompatibility shows up locally. */
  strictCosS3: boolean;
  /**
   * Accept signatures that do not bind the bucket (a path-style request signed over `/<key>`, a
   * virtual-hosted one whose signature leaves out the host): such a signature works on every bucket
   * the signer may use. Off by default; on, it warns at start and on every request it lets through.
   */
  allowUnboundSignatures: boolean;
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
  { flag: 'region', env: 'COSLOCAL_REGION', help: 'region reported for buckets', default: 'ap-guangzhou' },
  { flag: 'domain', env: 'COSLOCAL_DOMAIN', help: 'comma-separated host suffixes for virtual-hosted style', default: 'myqcloud.com,tencentcos.cn,localhost' },
  { flag: 'seed', env: 'COSLOCAL_SEED', help: 'JSON seed file applied at every start (accounts, keys, buckets)' },
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
];

export class ConfigError extends Error {}

/** Flags win over environment variables, which win over defaults. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  const values = new Map<string, string>();
  for (const option of OPTIONS) {
    const fromEnv = env[option.env];
    if (fromEnv !== undefined && fromEnv !== '') values.set(option.flag, fromEnv);
    else if (option.default !== undefined) values.set(option.flag, option.default);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    const option = match && OPTIONS.find((o) => o.flag === match[1]);
    if (!match || !option) throw new ConfigError(`unknown argument ${arg}`);
    const value = match[2] ?? (option.boolean ? 'true' : argv[++i]);
    if (value === undefined) throw new ConfigError(`--${option.flag} needs a value`);
    values.set(option.flag, value);
  }
  const port = Number(values.get('port'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`bad --port ${values.get('port')}`);
  const region = values.get('region') ?? '';
  if (!/^[a-z0-9-]+$/.test(region)) throw new ConfigError(`bad --region ${region}`);
  const domains = (values.get('domain') ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
  if (domains.length === 0) throw new ConfigError('--domain needs at least one suffix');
  return {
    host: values.get('host') ?? '127.0.0.1',
    port,
    dataDir: resolve(values.get('data-dir') ?? './data'),
    region,
    domains,
    seedFile: values.get('seed'),
    strictCosS3: switchValue(values, 'strict-cos-s3'),
    allowUnboundSignatures: switchValue(values, 'allow-unbound-signatures'),
  };
}

function switchValue(values: ReadonlyMap<string, string>, flag: string): boolean {
  const value = values.get(flag) ?? 'false';
  if (!/^(true|false|1|0)$/.test(value)) throw new ConfigError(`bad --${flag} ${value}: true or false`);
  return value === 'true' || value === '1';
}

export function configHelp(): string {
  const width = Math.max(...OPTIONS.map((o) => o.flag.length));
  return OPTIONS.map((o) => `  --${o.flag.padEnd(width)} ${o.help}${o.default ? ` (default ${o.default})` : ''}; env ${o.env}`).join('\n');
}
