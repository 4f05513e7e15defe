// What `coslocal` prints at start: endpoint, default credentials and a cos-nodejs-sdk-v5 config that works as pasted.
import type { Config } from './config.ts';
import type { Credential } from './domain/identity.ts';
import { DEFAULT_ACCOUNT } from './admin/accounts.ts';
import { hostPort as formatHostPort } from './util/host-port.ts';

/**
 * The SDK keeps addressing buckets by their real COS host name, `<bucket>.cos.<region>.myqcloud.com`,
 * which it signs; `Ip` only sends the connection to coslocal (the SDK sets that name as the Host
 * header). A signature then names its bucket, as on COS. The older `Domain: '<host:port>/{Bucket}'`
 * form signs `/<key>` and the host 127.0.0.1, valid on every bucket, so coslocal refuses it unless
 * --allow-unbound-signatures is set (issue #15.7). getService goes to service.cos.myqcloud.com, which
 * names no bucket, through the same Ip.
 */
export function sdkConfig(credential: Credential, hostPort: string, protocol: 'http:' | 'https:' = 'http:'): string {
  return [
    "import COS from 'cos-nodejs-sdk-v5';",
    'const cos = new COS({',
    `  SecretId: '${credential.secretId}',`,
    `  SecretKey: '${credential.secretKey}',`,
    `  Protocol: '${protocol}',`,
    `  Ip: '${hostPort}',`,
    '});',
  ].join('\n');
}

/**
 * `storage`: where the server keeps what it stores (App.storage: the data directory, or memory).
 * `httpsPort`: with --cert, where HTTPS is served: `port` itself when it is all that is served.
 */
export function banner(config: Config, port: number, credential: Credential, storage: string, httpsPort?: number): string {
  const hostPort = formatHostPort(config.host, port);
  const httpsOnly = httpsPort === port;
  const scheme = httpsOnly ? 'https' : 'http';
  return [
    `coslocal listening on ${scheme}://${hostPort}  (data: ${storage}, region: ${config.region})`,
    ...(httpsPort !== undefined && !httpsOnly ? [`HTTPS on https://${formatHostPort(config.host, httpsPort)} (the SDK's Protocol 'https:', Ip '${formatHostPort(config.host, httpsPort)}')`] : []),
    '',
    `Default account   uin ${DEFAULT_ACCOUNT.uin}  appid ${DEFAULT_ACCOUNT.appid}`,
    `  SecretId        ${credential.secretId}`,
    `  SecretKey       ${credential.secretKey}`,
    `Bucket names end with -${DEFAULT_ACCOUNT.appid}, e.g. examplebucket-${DEFAULT_ACCOUNT.appid}; pass Region '${config.region}' to every call.`,
    '',
    'cos-nodejs-sdk-v5:',
    sdkConfig(credential, hostPort, httpsOnly ? 'https:' : 'http:'),
    '',
  ].join('\n');
}
