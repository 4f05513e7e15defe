// An @aws-sdk/client-s3 client for a test server, configured as the README tells S3 users to.
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { OWNER, type TestIdentity, type TestServer } from './server.ts';

/** Path style on the server's endpoint and region, signing as `identity`; `extra` overrides any of it. */
export function s3Client(server: Pick<TestServer, 'endpoint' | 'region'>, identity: TestIdentity = OWNER, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: identity.secretId, secretAccessKey: identity.secretKey },
    ...extra,
  });
}
