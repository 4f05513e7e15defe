// What `coslocal` prints at start: endpoint, default credentials and a cos-nodejs-sdk-v5 config that works as pasted.
import type { Config } from './config.ts';
import type { Credential } from './domain/identity.ts';
import { DEFAULT_ACCOUNT } from './admin/accounts.ts';

/**
 * cos-nodejs-sdk-v5 rejects ForcePathStyle, but its Domain template may put the bucket in the path:
 * it then requests /<bucket>/<key> on 127.0.0.1 (no DNS needed) and signs /<key>, which coslocal
 * accepts. getService ignores Domain, hence ServiceDomain.
 */
export function sdkConfig(credential: Credential, hostPort: string): string {
  return [
    "const COS = require('cos-nodejs-sdk-v5');",
    'const cos = new COS({',
    `  SecretId: '${credential.secretId}',`,
    `  SecretKey: '${credential.secretKey}',`,
    "  Protocol: 'http:',",
    `  Domain: '${hostPort}/{Bucket}',`,
    `  ServiceDomain: '${hostPort}',`,
    '});',
  ].join('\n');
}

export function banner(config: Config, port: number, credential: Credential): string {
  const hostPort = `${config.host}:${port}`;
  return [
    `coslocal listening on http://${hostPort}  (data: ${config.dataDir}, region: ${config.region})`,
    '',
    `Default account   uin ${DEFAULT_ACCOUNT.uin}  appid ${DEFAULT_ACCOUNT.appid}`,
    `  SecretId        ${credential.secretId}`,
    `  SecretKey       ${credential.secretKey}`,
    `Bucket names end with -${DEFAULT_ACCOUNT.appid}, e.g. examplebucket-${DEFAULT_ACCOUNT.appid}; Region '${config.region}'.`,
    '',
    'cos-nodejs-sdk-v5:',
    sdkConfig(credential, hostPort),
    '',
  ].join('\n');
}
