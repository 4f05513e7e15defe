// Who may read and write bucket configurations: the owner; a sub-account only through a bucket policy
// naming the action; nobody learns whether a bucket exists from a denial. Also the round trips of the
// configurations cos-nodejs-sdk-v5 has no method for (intelligent tiering, object lock), signed raw.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { errorOf, send } from '../helpers/raw.ts';
import { OTHER, OWNER, SUB, startTestServer, uniqueBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const request = (signAs: TestIdentity, method: string, bucket: string, query: string, body?: string) =>
  send(server.hostPort, { method, url: `/${bucket}/?${query}`, signAs, ...(body !== undefined && { body }) });

const newBucket = (): Promise<string> => server.newBucket();

interface Kind {
  /** The action noun: name/cos:Put<noun>, Get<noun>, Delete<noun>. */
  noun: string;
  query: string;
  body: (bucket: string) => string;
  deletable: boolean;
}

const kinds: Kind[] = [
  { noun: 'BucketLifecycle', query: 'lifecycle', deletable: true, body: () => '<LifecycleConfiguration><Rule><Filter></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>' },
  { noun: 'BucketWebsite', query: 'website', deletable: true, body: () => '<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>' },
  { noun: 'BucketReferer', query: 'referer', deletable: false, body: () => '<RefererConfiguration><Status>Enabled</Status><RefererType>Black-List</RefererType><DomainList><Domain>*.example.com</Domain></DomainList></RefererConfiguration>' },
  { noun: 'BucketDomain', query: 'domain', deletable: true, body: () => '<DomainConfiguration><DomainRule><Status>ENABLED</Status><Name>www.example.com</Name><Type>REST</Type></DomainRule></DomainConfiguration>' },
  {
    noun: 'BucketOrigin',
    query: 'origin',
    deletable: true,
    body: () =>
      '<OriginConfiguration><OriginRule><RulePriority>1</RulePriority><OriginType>Proxy</OriginType><OriginCondition><HTTPStatusCode>404</HTTPStatusCode></OriginCondition><OriginParameter><Protocol>HTTPS</Protocol></OriginParameter><OriginInfo><HostInfo><HostName>origin.example.com</HostName></HostInfo></OriginInfo></OriginRule></OriginConfiguration>',
  },
  { noun: 'BucketLogging', query: 'logging', deletable: false, body: (bucket) => `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${bucket}</TargetBucket></LoggingEnabled></BucketLoggingStatus>` },
  { noun: 'BucketAccelerate', query: 'accelerate', deletable: false, body: () => '<AccelerateConfiguration><Status>Enabled</Status></AccelerateConfiguration>' },
  { noun: 'BucketEncryption', query: 'encryption', deletable: true, body: () => '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>' },
  { noun: 'BucketIntelligentTiering', query: 'intelligenttiering', deletable: false, body: () => '<IntelligentTieringConfiguration><Status>Enabled</Status><Transition><Days>60</Days><RequestFrequent>1</RequestFrequent></Transition></IntelligentTieringConfiguration>' },
  // v2's archive rules: PUT and GET under v1's actions.
  { noun: 'BucketIntelligentTiering', query: 'intelligent-tiering&id=archive', deletable: true, body: () => '<IntelligentTieringConfiguration><Id>archive</Id><Status>Enabled</Status><Tiering><AccessTier>ARCHIVE_ACCESS</AccessTier><Days>91</Days></Tiering></IntelligentTieringConfiguration>' },
  { noun: 'BucketObjectLockConfiguration', query: 'object-lock', deletable: false, body: () => '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>30</Days></DefaultRetention></Rule></ObjectLockConfiguration>' },
  {
    noun: 'BucketInventory',
    query: 'inventory&id=daily',
    deletable: true,
    body: (bucket) =>
      `<InventoryConfiguration><Id>daily</Id><IsEnabled>true</IsEnabled><Destination><COSBucketDestination><Format>CSV</Format><Bucket>qcs::cos:ap-guangzhou::${bucket}</Bucket></COSBucketDestination></Destination><Schedule><Frequency>Weekly</Frequency></Schedule><IncludedObjectVersions>Current</IncludedObjectVersions></InventoryConfiguration>`,
  },
];

const policyFor = (bucket: string, actions: string[]) =>
  ({
    version: '2.0',
    statement: [
      {
        principal: { qcs: [`qcs::cam::uin/${OWNER.uin}:uin/${SUB.uin}`] },
        effect: 'allow',
        action: actions,
        resource: [`qcs::cos:${server.region}:uid/${OWNER.appid}:${bucket}/*`],
      },
    ],
  }) as COS.PutBucketPolicyParams['Policy'];

describe('who may configure a bucket', () => {
  for (const kind of kinds) {
    it(`${kind.noun}: a sub-account is denied until a bucket policy names Put/Get${kind.noun}; another account cannot tell a missing bucket`, async () => {
      const bucket = await newBucket();
      const body = kind.body(bucket);
      assert.equal((await request(SUB, 'PUT', bucket, kind.query, body)).status, 403);
      assert.equal((await request(SUB, 'GET', bucket, kind.query)).status, 403);
      await server.sdk(OWNER).putBucketPolicy({ Bucket: bucket, Region: server.region, Policy: policyFor(bucket, [`name/cos:Put${kind.noun}`, `name/cos:Get${kind.noun}`]) });
      assert.equal((await request(SUB, 'PUT', bucket, kind.query, body)).status, 200);
      const read = await request(SUB, 'GET', bucket, kind.query);
      assert.equal(read.status, 200);
      assert.equal(read.text.replace(/^<\?xml[^>]*>\n/, ''), body, 'returned as put');
      if (kind.deletable) assert.equal((await request(SUB, 'DELETE', bucket, kind.query)).status, 403, `Delete${kind.noun} was not granted`);
      const missing = uniqueBucket();
      assert.equal(errorOf(await request(OTHER, 'PUT', missing, kind.query, body)).Code, 'AccessDenied');
      assert.equal(errorOf(await request(OWNER, 'GET', missing, kind.query)).Code, 'NoSuchBucket');
    });
  }

  it('ListBucketInventory is its own action', async () => {
    const bucket = await newBucket();
    await server.sdk(OWNER).putBucketPolicy({ Bucket: bucket, Region: server.region, Policy: policyFor(bucket, ['name/cos:GetBucketInventory']) });
    assert.equal((await request(SUB, 'GET', bucket, 'inventory')).status, 403);
    await server.sdk(OWNER).putBucketPolicy({ Bucket: bucket, Region: server.region, Policy: policyFor(bucket, ['name/cos:ListBucketInventory']) });
    const list = await request(SUB, 'GET', bucket, 'inventory');
    assert.equal(list.status, 200);
    assert.match(list.text, /<ListInventoryConfigurationResult><IsTruncated>false<\/IsTruncated><\/ListInventoryConfigurationResult>$/);
  });
});

describe('configurations without a cos-nodejs-sdk-v5 method', () => {
  it('intelligent tiering: an empty document until enabled; the same document again is fine; no DELETE', async () => {
    const bucket = await newBucket();
    const none = await request(OWNER, 'GET', bucket, 'intelligenttiering');
    assert.equal(none.status, 200);
    assert.match(none.text, /<IntelligentTieringConfiguration><\/IntelligentTieringConfiguration>$/);
    const body = '<IntelligentTieringConfiguration><Status>Enabled</Status><Transition><Days>30</Days></Transition></IntelligentTieringConfiguration>';
    assert.equal((await request(OWNER, 'PUT', bucket, 'intelligenttiering', body)).status, 200);
    assert.equal((await request(OWNER, 'PUT', bucket, 'intelligenttiering', body)).status, 200);
    assert.match((await request(OWNER, 'GET', bucket, 'intelligenttiering')).text, /<Days>30<\/Days>/);
    assert.equal(errorOf(await request(OWNER, 'DELETE', bucket, 'intelligenttiering')).Code, 'NotImplemented');
  });

  it('object lock: 404 NoSuchObjectLockConfiguration until enabled; the rule may change; no DELETE', async () => {
    const bucket = await newBucket();
    assert.equal(errorOf(await request(OWNER, 'GET', bucket, 'object-lock')).Code, 'NoSuchObjectLockConfiguration');
    const body = (days: number) => `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Days>${days}</Days></DefaultRetention></Rule></ObjectLockConfiguration>`;
    assert.equal((await request(OWNER, 'PUT', bucket, 'object-lock', body(1))).status, 200);
    assert.equal((await request(OWNER, 'PUT', bucket, 'object-lock', body(36500))).status, 200);
    assert.match((await request(OWNER, 'GET', bucket, 'object-lock')).text, /<Days>36500<\/Days>/);
    assert.equal(errorOf(await request(OWNER, 'DELETE', bucket, 'object-lock')).Code, 'NotImplemented');
  });
});
