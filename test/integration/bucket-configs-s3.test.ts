// The configurations S3 shares with COS (website, encryption, lifecycle, object lock) through
// @aws-sdk/client-s3: what it puts it reads back, and none set is the 404 S3 clients know.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketWebsiteCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketWebsiteCommand,
  GetObjectLockConfigurationCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketWebsiteCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { s3Client } from '../helpers/s3.ts';

let server: TestServer;
let s3: S3Client;
before(async () => {
  server = await startTestServer();
  s3 = s3Client(server);
});
after(async () => {
  s3.destroy();
  await server.close();
});

const newBucket = (): Promise<string> => server.newBucket();

describe('bucket configurations through @aws-sdk/client-s3', () => {
  it('website: put, get as put, delete, then NoSuchWebsiteConfiguration', async () => {
    const Bucket = await newBucket();
    const WebsiteConfiguration = {
      IndexDocument: { Suffix: 'index.html' },
      ErrorDocument: { Key: 'error.html' },
      RoutingRules: [{ Condition: { KeyPrefixEquals: 'docs/' }, Redirect: { Protocol: 'https' as const, ReplaceKeyPrefixWith: 'documents/' } }],
    };
    await s3.send(new PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration }));
    const got = await s3.send(new GetBucketWebsiteCommand({ Bucket }));
    assert.deepEqual({ IndexDocument: got.IndexDocument, ErrorDocument: got.ErrorDocument, RoutingRules: got.RoutingRules }, WebsiteConfiguration);
    await s3.send(new DeleteBucketWebsiteCommand({ Bucket }));
    await assert.rejects(s3.send(new GetBucketWebsiteCommand({ Bucket })), { name: 'NoSuchWebsiteConfiguration' });
  });

  it('encryption: put, get as put, delete, then S3\'s ServerSideEncryptionConfigurationNotFoundError', async () => {
    const Bucket = await newBucket();
    const ServerSideEncryptionConfiguration = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' as const } }] };
    await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration }));
    assert.deepEqual((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration, ServerSideEncryptionConfiguration);
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket }));
    await assert.rejects(s3.send(new GetBucketEncryptionCommand({ Bucket })), { name: 'ServerSideEncryptionConfigurationNotFoundError' });
  });

  it('lifecycle: put, get as put, delete, then NoSuchLifecycleConfiguration', async () => {
    const Bucket = await newBucket();
    const Rules = [
      {
        ID: 'archive-logs',
        Filter: { Prefix: 'logs/' },
        Status: 'Enabled' as const,
        Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' as const }],
        Expiration: { Days: 365 },
        NoncurrentVersionExpiration: { NoncurrentDays: 7 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
      },
      { ID: 'tmp', Filter: { And: { Prefix: 'tmp/', Tags: [{ Key: 'kind', Value: 'scratch' }] } }, Status: 'Disabled' as const, Expiration: { Days: 1 } },
    ];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
    assert.deepEqual((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules, Rules);
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket }));
    await assert.rejects(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), { name: 'NoSuchLifecycleConfiguration' });
  });

  it('object lock: S3\'s ObjectLockConfigurationNotFoundError until put, then get as put', async () => {
    const Bucket = await newBucket();
    await assert.rejects(s3.send(new GetObjectLockConfigurationCommand({ Bucket })), { name: 'ObjectLockConfigurationNotFoundError' });
    const ObjectLockConfiguration = { ObjectLockEnabled: 'Enabled' as const, Rule: { DefaultRetention: { Mode: 'COMPLIANCE' as const, Days: 30 } } };
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration }));
    assert.deepEqual((await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration, ObjectLockConfiguration);
  });
});
