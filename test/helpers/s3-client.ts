// An @aws-sdk/client-s3 client for a test server: path style, the server's endpoint, an identity's keys.
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { OWNER, type TestIdentity, type TestServer } from './server.ts';
import { REGION } from './sigv4.ts';

export const s3ClientFor = (server: TestServer, identity: TestIdentity = OWNER, extra: S3ClientConfig = {}): S3Client =>
  new S3Client({
    region: REGION,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: identity.secretId, secretAccessKey: identity.secretKey },
    ...extra,
  });
