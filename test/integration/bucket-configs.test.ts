// Bucket configurations through cos-nodejs-sdk-v5: the cases of the SDK's own test groups (BucketLifecycle,
// BucketWebsite, BucketDomain, BucketLogging, BucketInventory, getBucketAccelerate, putBucketEncryption
// getBucketEncryption, BucketReplication, BucketOrigin, BucketReferer), each on a bucket of its own.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { errorOf, send } from '../helpers/raw.ts';
import { OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cos: COS;
const Region = (): string => server.region;

before(async () => {
  server = await startTestServer();
  cos = server.sdk(OWNER);
});
after(() => server.close());

const newBucket = (): Promise<string> => server.newBucket();

/** A name no bucket has, as the SDK tests build theirs (`Date.now().toString(36) + Bucket`). */
const missingBucket = (): string => uniqueBucket().replace('coslocal', 'missing');

/** The SDK methods are typed per call; these tests drive them by name with the SDK's own parameters. */
type Call = (params: Record<string, unknown>) => Promise<Record<string, unknown>>;
const call = (name: string, params: Record<string, unknown>): Promise<Record<string, unknown>> =>
  ((cos as unknown as Record<string, Call>)[name] as Call).call(cos, { Region: Region(), ...params });

describe('BucketLifecycle', () => {
  const rules = (prefix: string) => [
    { ID: '1', Filter: { Prefix: `test1_${prefix}` }, Status: 'Enabled', Transition: { Date: '2018-07-29T16:00:00.000Z', StorageClass: 'STANDARD_IA' } },
    { ID: '2', Filter: { Prefix: `test2_${prefix}` }, Status: 'Enabled', Transition: { Date: '2018-07-29T16:00:00.000Z', StorageClass: 'STANDARD_IA' } },
  ];

  it('puts one rule and reads it back as put; several rules too; delete leaves none', async () => {
    const Bucket = await newBucket();
    const one = rules('a').slice(0, 1);
    await call('putBucketLifecycle', { Bucket, LifecycleConfiguration: { Rules: one } });
    assert.deepEqual((await call('getBucketLifecycle', { Bucket }))['Rules'], one);
    const two = rules('b');
    await call('putBucketLifecycle', { Bucket, LifecycleConfiguration: { Rules: two } });
    assert.deepEqual((await call('getBucketLifecycle', { Bucket }))['Rules'], two);
    assert.equal((await call('deleteBucketLifecycle', { Bucket }))['statusCode'], 204);
    const none = await call('getBucketLifecycle', { Bucket });
    assert.deepEqual(none['Rules'], []);
    assert.equal(none['statusCode'], 404, 'NoSuchLifecycleConfiguration, which the SDK reads as no rules');
  });

  it('a bucket that does not exist is NoSuchBucket for put and delete', async () => {
    const Bucket = missingBucket();
    await assert.rejects(call('putBucketLifecycle', { Bucket, LifecycleConfiguration: { Rules: rules('c') } }), { code: 'NoSuchBucket' });
    await assert.rejects(call('deleteBucketLifecycle', { Bucket }), { code: 'NoSuchBucket' });
  });
});

describe('BucketWebsite', () => {
  const website = {
    IndexDocument: { Suffix: 'index.html' },
    RedirectAllRequestsTo: { Protocol: 'https' },
    ErrorDocument: { Key: 'error.html' },
  };
  const RoutingRules = [
    { Condition: { HttpErrorCodeReturnedEquals: '404' }, Redirect: { Protocol: 'https', ReplaceKeyWith: '404.html', URLRedirect: 'Enabled' } },
    { Condition: { KeyPrefixEquals: 'docs/' }, Redirect: { Protocol: 'https', ReplaceKeyPrefixWith: 'documents/', URLRedirect: 'Enabled' } },
    { Condition: { KeyPrefixEquals: 'img/' }, Redirect: { Protocol: 'https', ReplaceKeyWith: 'picture.jpg', URLRedirect: 'Enabled' } },
  ];

  it('puts, reads back, with routing rules too, deletes (then reads as none)', async () => {
    const Bucket = await newBucket();
    await assert.rejects(call('putBucketWebsite', { Bucket }), { message: 'missing param WebsiteConfiguration' });
    await call('putBucketWebsite', { Bucket, WebsiteConfiguration: website });
    assert.deepEqual((await call('getBucketWebsite', { Bucket }))['WebsiteConfiguration'], website);
    const withRules = { ...website, RoutingRules };
    await call('putBucketWebsite', { Bucket, WebsiteConfiguration: withRules });
    assert.deepEqual((await call('getBucketWebsite', { Bucket }))['WebsiteConfiguration'], withRules);
    assert.equal((await call('deleteBucketWebsite', { Bucket }))['statusCode'], 204);
    const none = await call('getBucketWebsite', { Bucket });
    assert.deepEqual(none['WebsiteConfiguration'], {});
    assert.equal(none['statusCode'], 404);
  });

  it('a bucket that does not exist is NoSuchBucket', async () => {
    const Bucket = missingBucket();
    await assert.rejects(call('putBucketWebsite', { Bucket, WebsiteConfiguration: website }), { code: 'NoSuchBucket' });
    await assert.rejects(call('deleteBucketWebsite', { Bucket }), { code: 'NoSuchBucket' });
  });
});

describe('BucketDomain', () => {
  const DomainRule = [
    { Status: 'DISABLED', Name: 'www.testDomain1.com', Type: 'REST' },
    { Status: 'DISABLED', Name: 'www.testDomain2.com', Type: 'WEBSITE' },
  ];

  it('puts, reads back, deletes (then 404)', async () => {
    const Bucket = await newBucket();
    await call('putBucketDomain', { Bucket, DomainRule });
    assert.deepEqual((await call('getBucketDomain', { Bucket }))['DomainRule'], DomainRule);
    assert.equal((await call('deleteBucketDomain', { Bucket }))['statusCode'], 204);
    await assert.rejects(call('getBucketDomain', { Bucket }), { statusCode: 404, code: 'NoSuchDomainConfiguration' });
  });

  it('a bucket that does not exist is NoSuchBucket', async () => {
    const Bucket = missingBucket();
    await assert.rejects(call('putBucketDomain', { Bucket, DomainRule }), { code: 'NoSuchBucket' });
    await assert.rejects(call('deleteBucketDomain', { Bucket }), { code: 'NoSuchBucket' });
  });
});

describe('BucketOrigin', () => {
  const originRule = (prefix: string) => ({
    OriginType: 'Mirror',
    OriginCondition: { HTTPStatusCode: 404, Prefix: '' },
    OriginParameter: {
      Protocol: 'HTTP',
      FollowQueryString: 'true',
      HttpHeader: { NewHttpHeader: { Header: [{ Key: 'a', Value: 'a' }] } },
      FollowRedirection: 'true',
      HttpRedirectCode: ['301', '302'],
    },
    OriginInfo: { HostInfo: { HostName: 'qq.com' }, FileInfo: { PrefixConfiguration: { Prefix: prefix }, SuffixConfiguration: { Suffix: '.jpg' } } },
    RulePriority: 1,
  });

  it('puts, reads back, deletes (then 404)', async () => {
    const Bucket = await newBucket();
    const prefix = `${Date.now().toString(36)}/`;
    await call('putBucketOrigin', { Bucket, OriginRule: [originRule(prefix)] });
    const [rule] = (await call('getBucketOrigin', { Bucket }))['OriginRule'] as ReturnType<typeof originRule>[];
    assert.equal(rule?.OriginInfo.FileInfo.PrefixConfiguration.Prefix, prefix);
    assert.deepEqual(rule?.OriginParameter.HttpRedirectCode, ['301', '302']);
    assert.equal((await call('deleteBucketOrigin', { Bucket }))['statusCode'], 204);
    await assert.rejects(call('getBucketOrigin', { Bucket }), { statusCode: 404, code: 'OriginConfigurationNotFoundError' });
  });

  it('a bucket that does not exist is NoSuchBucket', async () => {
    const Bucket = missingBucket();
    await assert.rejects(call('putBucketOrigin', { Bucket, OriginRule: [originRule('p/')] }), { code: 'NoSuchBucket' });
    await assert.rejects(call('deleteBucketOrigin', { Bucket }), { code: 'NoSuchBucket' });
  });
});

describe('BucketLogging', () => {
  it('puts, reads back; an empty BucketLoggingStatus turns it off', async () => {
    const Bucket = await newBucket();
    const BucketLoggingStatus = { LoggingEnabled: { TargetBucket: Bucket, TargetPrefix: `bucket-logging-prefix${Date.now().toString(36)}/` } };
    assert.equal((await call('getBucketLogging', { Bucket }))['BucketLoggingStatus'], '', 'off until set');
    await call('putBucketLogging', { Bucket, BucketLoggingStatus });
    assert.deepEqual((await call('getBucketLogging', { Bucket }))['BucketLoggingStatus'], BucketLoggingStatus);
    await call('putBucketLogging', { Bucket, BucketLoggingStatus: '' });
    assert.equal((await call('getBucketLogging', { Bucket }))['BucketLoggingStatus'], '');
  });

  it('a bucket that does not exist is NoSuchBucket for put and get', async () => {
    const Bucket = missingBucket();
    await assert.rejects(call('putBucketLogging', { Bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: Bucket, TargetPrefix: 'p/' } } }), { code: 'NoSuchBucket' });
    await assert.rejects(call('getBucketLogging', { Bucket }), { code: 'NoSuchBucket' });
  });
});

describe('BucketInventory', () => {
  const inventory = (target: string, encrypted: boolean) => ({
    Id: 'inventory_test',
    IsEnabled: 'true',
    Destination: {
      COSBucketDestination: {
        Format: 'CSV',
        AccountId: OWNER.uin,
        Bucket: `qcs::cos:${Region()}::${target}`,
        Prefix: 'inventory_prefix_1',
        ...(encrypted && { Encryption: { SSECOS: '' } }),
      },
    },
    Schedule: { Frequency: 'Daily' },
    Filter: { Prefix: 'myPrefix' },
    IncludedObjectVersions: 'All',
    OptionalFields: ['Size'],
  });

  it('puts, gets, lists, replaces without SSE-COS, deletes (then 404)', async () => {
    const Bucket = await newBucket();
    const target = await newBucket();
    const InventoryConfiguration = inventory(target, true);
    await call('putBucketInventory', { Bucket, Id: 'inventory_test', InventoryConfiguration });
    assert.deepEqual((await call('getBucketInventory', { Bucket, Id: 'inventory_test' }))['InventoryConfiguration'], InventoryConfiguration);
    const listed = await call('listBucketInventory', { Bucket });
    assert.deepEqual(listed['InventoryConfigurations'], [InventoryConfiguration]);
    assert.equal(listed['IsTruncated'], 'false');
    const plain = inventory(target, false);
    await call('putBucketInventory', { Bucket, Id: 'inventory_test', InventoryConfiguration: plain });
    assert.deepEqual((await call('getBucketInventory', { Bucket, Id: 'inventory_test' }))['InventoryConfiguration'], plain);
    assert.equal((await call('deleteBucketInventory', { Bucket, Id: 'inventory_test' }))['statusCode'], 204);
    await assert.rejects(call('getBucketInventory', { Bucket, Id: 'inventory_test' }), { statusCode: 404, code: 'InventoryConfigurationNotFoundError' });
  });

  it('a bucket that does not exist is NoSuchBucket for put, get and delete', async () => {
    const Bucket = missingBucket();
    const InventoryConfiguration = inventory(Bucket, false);
    await assert.rejects(call('putBucketInventory', { Bucket, Id: 'inventory_test', InventoryConfiguration }), { code: 'NoSuchBucket' });
    await assert.rejects(call('getBucketInventory', { Bucket, Id: 'inventory_test' }), { code: 'NoSuchBucket' });
    await assert.rejects(call('deleteBucketInventory', { Bucket, Id: 'inventory_test' }), { code: 'NoSuchBucket' });
  });
});

describe('getBucketAccelerate', () => {
  it('puts Enabled then Suspended and reads each back; none set reads as no Status', async () => {
    const Bucket = await newBucket();
    await assert.rejects(call('putBucketAccelerate', { Bucket }), { message: 'missing param AccelerateConfiguration' });
    assert.deepEqual((await call('getBucketAccelerate', { Bucket }))['AccelerateConfiguration'], {});
    for (const Status of ['Enabled', 'Suspended']) {
      await call('putBucketAccelerate', { Bucket, AccelerateConfiguration: { Status } });
      assert.deepEqual((await call('getBucketAccelerate', { Bucket }))['AccelerateConfiguration'], { Status });
    }
  });
});

describe('putBucketEncryption getBucketEncryption', () => {
  const Rule = [{ ApplySideEncryptionConfiguration: { SSEAlgorithm: 'AES256' } }];

  it('an empty configuration is refused and leaves none; puts (the SDK spelling), gets, deletes', async () => {
    const Bucket = await newBucket();
    await assert.rejects(call('putBucketEncryption', { Bucket }), { code: 'MalformedXML' });
    assert.deepEqual((await call('getBucketEncryption', { Bucket }))['EncryptionConfiguration'], { Rules: [] });
    assert.equal((await call('putBucketEncryption', { Bucket, ServerSideEncryptionConfiguration: { Rule } }))['statusCode'], 200);
    const got = await call('getBucketEncryption', { Bucket });
    assert.equal(got['statusCode'], 200);
    assert.deepEqual(got['ServerSideEncryptionConfiguration'], { Rule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } } });
    assert.equal((await call('deleteBucketEncryption', { Bucket }))['statusCode'], 204);
    assert.equal((await call('getBucketEncryption', { Bucket }))['statusCode'], 404);
  });

  it('a bucket that does not exist is NoSuchBucket for put, get and delete', async () => {
    const Bucket = missingBucket();
    await assert.rejects(call('putBucketEncryption', { Bucket, ServerSideEncryptionConfiguration: { Rule } }), { code: 'NoSuchBucket' });
    await assert.rejects(call('getBucketEncryption', { Bucket }), { code: 'NoSuchBucket' });
    await assert.rejects(call('deleteBucketEncryption', { Bucket }), { code: 'NoSuchBucket' });
  });
});

/** A versioned bucket and a versioned replication target in ap-chengdu, as replication requires. */
async function replicationPair(): Promise<{ Bucket: string; target: string }> {
  const Bucket = await newBucket();
  const target = uniqueBucket();
  await call('putBucket', { Bucket: target, Region: 'ap-chengdu' });
  await call('putBucketVersioning', { Bucket, VersioningConfiguration: { Status: 'Enabled' } });
  await call('putBucketVersioning', { Bucket: target, Region: 'ap-chengdu', VersioningConfiguration: { Status: 'Enabled' } });
  return { Bucket, target };
}

describe('BucketReplication', () => {
  it('replicates to a versioned bucket in another region: put, get, delete (then 404)', async () => {
    const { Bucket, target } = await replicationPair();
    const ID = Date.now().toString(36);
    const ReplicationConfiguration = {
      Role: `qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}`,
      Rules: [{ ID, Status: 'Enabled', Prefix: 'sync/', Destination: { Bucket: `qcs::cos:ap-chengdu::${target}` } }],
    };
    await call('putBucketReplication', { Bucket, ReplicationConfiguration });
    assert.deepEqual((await call('getBucketReplication', { Bucket }))['ReplicationConfiguration'], ReplicationConfiguration);
    assert.equal((await call('deleteBucketReplication', { Bucket }))['statusCode'], 204);
    await assert.rejects(call('getBucketReplication', { Bucket }), { statusCode: 404, code: 'ReplicationConfigurationNotFoundError' });
  });

  it('a bucket that does not exist is NoSuchBucket', async () => {
    await assert.rejects(call('deleteBucketReplication', { Bucket: missingBucket() }), { code: 'NoSuchBucket' });
  });
});

describe('BucketReferer', () => {
  it('none set reads without error; puts and reads back', async () => {
    const Bucket = await newBucket();
    await assert.rejects(call('putBucketReferer', { Bucket }), { message: 'missing param RefererConfiguration' });
    assert.equal((await call('getBucketReferer', { Bucket }))['statusCode'], 404, 'NoSuchRefererConfiguration, which the SDK reads as none');
    const RefererConfiguration = {
      Status: 'Enabled',
      RefererType: 'White-List',
      DomainList: { Domains: [`${Date.now().toString(36)}.qq.com`, '*.qcloud.com'] },
      EmptyReferConfiguration: 'Allow',
    };
    await call('putBucketReferer', { Bucket, RefererConfiguration });
    assert.deepEqual((await call('getBucketReferer', { Bucket }))['RefererConfiguration'], RefererConfiguration);
  });

  it('a bucket that does not exist is NoSuchBucket for put and get', async () => {
    const Bucket = missingBucket();
    const RefererConfiguration = { Status: 'Disabled', RefererType: 'Black-List' };
    await assert.rejects(call('putBucketReferer', { Bucket, RefererConfiguration }), { code: 'NoSuchBucket' });
    await assert.rejects(call('getBucketReferer', { Bucket }), { code: 'NoSuchBucket' });
  });
});

// cos-python-sdk-v5 writes documents as its callers spell them (its own tests and examples: a storage class
// `Standard`, inventory `IsEnabled` `True` and `<SSECOS/>`), which COS takes; stored in COS's spelling.
describe('Documents as cos-python-sdk-v5 sends them', () => {
  const put = (Bucket: string, query: string, body: string) =>
    send(server.hostPort, { method: 'PUT', url: `/${Bucket}/?${query}`, signAs: OWNER, body, headers: { 'content-type': 'application/xml' } });

  it('a storage class in any case (replication, lifecycle transition) is stored upper-case', async () => {
    const { Bucket, target } = await replicationPair();
    // The suite's Role names its own account (2779643970); here the bucket's owner is the test server's.
    const replication = `<ReplicationConfiguration><Role>qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}</Role><Rule><ID>123</ID><Status>Enabled</Status><Prefix>p/</Prefix><Destination><Bucket>qcs::cos:ap-chengdu::${target}</Bucket><StorageClass>Standard</StorageClass></Destination></Rule></ReplicationConfiguration>`;
    assert.equal((await put(Bucket, 'replication', replication)).status, 200);
    const rules = (await call('getBucketReplication', { Bucket }))['ReplicationConfiguration'] as { Rules: { Destination: { StorageClass: string } }[] };
    assert.equal(rules.Rules[0]?.Destination.StorageClass, 'STANDARD');

    const lifecycle = '<LifecycleConfiguration><Rule><Filter><Prefix>p/</Prefix></Filter><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>Standard_IA</StorageClass></Transition></Rule></LifecycleConfiguration>';
    assert.equal((await put(Bucket, 'lifecycle', lifecycle)).status, 200);
    const got = (await call('getBucketLifecycle', { Bucket }))['Rules'] as { Transition: { StorageClass: string } }[];
    assert.equal(got[0]?.Transition.StorageClass, 'STANDARD_IA');
  });

  it("website routing rules read back with URLRedirect Enabled where the PUT left it out (the suite's expected response)", async () => {
    const Bucket = await newBucket();
    const rules = (redirects: string[]) =>
      `<RoutingRules><RoutingRule><Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition><Redirect>${redirects[0]}</Redirect></RoutingRule>` +
      `<RoutingRule><Condition><KeyPrefixEquals>aaa/</KeyPrefixEquals></Condition><Redirect>${redirects[1]}</Redirect></RoutingRule></RoutingRules>`;
    const body = `<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>error.html</Key></ErrorDocument>${rules([
      '<ReplaceKeyWith>404.html</ReplaceKeyWith>',
      '<ReplaceKeyPrefixWith>ccc/</ReplaceKeyPrefixWith><URLRedirect>Disabled</URLRedirect>',
    ])}</WebsiteConfiguration>`;
    assert.equal((await put(Bucket, 'website', body)).status, 200);
    const got = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/?website`, signAs: OWNER });
    assert.equal(
      got.text.replace(/^<\?xml[^>]*>\s*/, ''),
      `<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>error.html</Key></ErrorDocument>${rules([
        '<ReplaceKeyWith>404.html</ReplaceKeyWith><URLRedirect>Enabled</URLRedirect>',
        '<ReplaceKeyPrefixWith>ccc/</ReplaceKeyPrefixWith><URLRedirect>Disabled</URLRedirect>',
      ])}</WebsiteConfiguration>`,
      'nothing else is added (no OriginalHttpStatus, no AutoAddressing), and a URLRedirect sent is kept',
    );
  });

  it('referer: an empty PUT body (delete_bucket_referer) leaves an empty configuration, read back as an empty root', async () => {
    const Bucket = await newBucket();
    const enabled = '<RefererConfiguration><Status>Enabled</Status><RefererType>White-List</RefererType><DomainList><Domain>*.qq.com</Domain></DomainList></RefererConfiguration>';
    assert.equal((await put(Bucket, 'referer', enabled)).status, 200);
    const cleared = await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/?referer`, signAs: OWNER, body: '', headers: { 'content-type': 'application/xml', 'content-md5': createHash('md5').update('').digest('base64') } });
    assert.equal(cleared.status, 200, cleared.text);
    const got = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/?referer`, signAs: OWNER });
    assert.equal(got.status, 200, got.text);
    assert.match(got.text, /<RefererConfiguration\s*\/>|<RefererConfiguration><\/RefererConfiguration>/);
    const anonymous = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/nothing`, headers: { referer: 'https://elsewhere.example' } });
    assert.equal(anonymous.status, 403, 'no referer rule applies any more: the private bucket decides');
    assert.notEqual((await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/?referer`, signAs: OWNER, body: '<RefererConfiguration/>', headers: { 'content-type': 'application/xml' } })).status, 200, 'an empty element is still refused (Status is required)');
  });

  it('lifecycle: the suite\'s misspelt <Transation> is accepted and dropped, as COS takes the document; Transition is unchanged', async () => {
    const Bucket = await newBucket();
    const body =
      '<LifecycleConfiguration><Rule><Status>Enabled</Status><Filter><Tag><Key>datalevel</Key><Value>backup</Value></Tag></Filter>' +
      '<Transation><Days>30</Days><StorageClass>Standard_IA</StorageClass></Transation><Transition><Days>60</Days><StorageClass>ARCHIVE</StorageClass></Transition>' +
      '<Expiration><Days>3650</Days></Expiration></Rule></LifecycleConfiguration>';
    const res = await put(Bucket, 'lifecycle', body);
    assert.equal(res.status, 200, res.text);
    const rules = (await call('getBucketLifecycle', { Bucket }))['Rules'] as Record<string, unknown>[];
    assert.deepEqual(rules[0]?.['Transition'], { Days: '60', StorageClass: 'ARCHIVE' });
    assert.equal(rules[0]?.['Transation'], undefined);
    const unknown = body.replaceAll('Transation', 'Transitio');
    assert.equal((await put(Bucket, 'lifecycle', unknown)).status, 400, 'other unknown elements are still MalformedXML');
  });

  it('inventory configurations list in the order they were made, across pages; replacing one keeps its place', async () => {
    const Bucket = await newBucket();
    const body = (id: string, prefix: string) =>
      `<InventoryConfiguration><Id>${id}</Id><IsEnabled>true</IsEnabled><Destination><COSBucketDestination><Format>CSV</Format><Bucket>qcs::cos:${Region()}::${Bucket}</Bucket></COSBucketDestination></Destination><Schedule><Frequency>Daily</Frequency></Schedule><Filter><Prefix>${prefix}</Prefix></Filter><IncludedObjectVersions>All</IncludedObjectVersions></InventoryConfiguration>`;
    const ids = Array.from({ length: 105 }, (_, i) => `ID-${i}`);
    for (const id of ids) assert.equal((await put(Bucket, `inventory&id=${id}`, body(id, 'a'))).status, 200);
    assert.equal((await put(Bucket, 'inventory&id=ID-3', body('ID-3', 'replaced'))).status, 200);
    const listed: Record<string, unknown>[] = [];
    let token = '';
    for (;;) {
      const page = await call('listBucketInventory', { Bucket, ...(token !== '' && { ContinuationToken: token }) });
      listed.push(...(page['InventoryConfigurations'] as Record<string, unknown>[]));
      if (page['IsTruncated'] !== 'true') break;
      token = String(page['NextContinuationToken']);
    }
    assert.deepEqual(listed.map((item) => item['Id']), ids, 'ID-10 after ID-9, not after ID-1');
    assert.deepEqual(listed[3]?.['Filter'], { Prefix: 'replaced' });
    // cos-python-sdk-v5 asks for the first page with an empty token.
    const first = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/?inventory&continuation-token=`, signAs: OWNER });
    assert.equal(first.status, 200, first.text);
    assert.match(first.text, /<Id>ID-0<\/Id>/);
  });

  it('POST Bucket inventory starts a one-time job: a JobId back; the same id again, or a periodic one\'s, is DuplicateInventoryId', async () => {
    const Bucket = await newBucket();
    const post = (id: string, extra = '', bodyId = id) =>
      send(server.hostPort, {
        method: 'POST',
        url: `/${Bucket}/?inventory&id=${id}`,
        signAs: OWNER,
        headers: { 'content-type': 'application/xml' },
        body: `<InventoryConfiguration><Destination><COSBucketDestination><AccountId>2832742109</AccountId><Bucket>qcs::cos:${Region()}::${Bucket}</Bucket><Format>CSV</Format><Prefix>list1</Prefix><Encryption><SSECOS></SSECOS></Encryption></COSBucketDestination></Destination><Filter><Prefix>filterPrefix</Prefix></Filter><IncludedObjectVersions>All</IncludedObjectVersions><OptionalFields><Field>Size</Field><Field>ETag</Field></OptionalFields>${extra}<Id>${bodyId}</Id></InventoryConfiguration>`,
      });
    const started = await post('list1');
    assert.equal(started.status, 200, started.text);
    assert.match(started.text, /<PostInventoryResult><JobId>[^<]+<\/JobId><\/PostInventoryResult>/);
    const again = await post('list1');
    assert.equal(again.status, 409, again.text);
    assert.equal(errorOf(again)['Code'], 'DuplicateInventoryId');
    await assert.rejects(call('getBucketInventory', { Bucket, Id: 'list1' }), { statusCode: 404 }, 'a one-time job is no inventory configuration');

    const periodic = `<InventoryConfiguration><Id>daily</Id><IsEnabled>true</IsEnabled><Destination><COSBucketDestination><Format>CSV</Format><Bucket>qcs::cos:${Region()}::${Bucket}</Bucket></COSBucketDestination></Destination><Schedule><Frequency>Daily</Frequency></Schedule><IncludedObjectVersions>All</IncludedObjectVersions></InventoryConfiguration>`;
    assert.equal((await put(Bucket, 'inventory&id=daily', periodic)).status, 200);
    assert.equal(errorOf(await post('daily'))['Code'], 'DuplicateInventoryId');
    assert.equal(errorOf(await post('other', '<Schedule><Frequency>Daily</Frequency></Schedule>'))['Code'], 'MalformedXML', 'a one-time job has no Schedule or IsEnabled');
    assert.equal(errorOf(await post('other', '', 'another'))['Code'], 'InvalidArgument', 'the body names the id the query does');
    assert.equal((await post('other')).status, 200, 'nothing refused was kept');
  });

  it('inventory IsEnabled True and Encryption SSECOS are read as true and SSE-COS', async () => {
    const Bucket = await newBucket();
    const body = `<InventoryConfiguration><Destination><COSBucketDestination><AccountId>2832742109</AccountId><Bucket>qcs::cos:${Region()}::${Bucket}</Bucket><Format>CSV</Format><Prefix>list1</Prefix><Encryption><SSECOS></SSECOS></Encryption></COSBucketDestination></Destination><IsEnabled>True</IsEnabled><Filter><Prefix>filterPrefix</Prefix></Filter><IncludedObjectVersions>All</IncludedObjectVersions><Schedule><Frequency>Daily</Frequency></Schedule><Id>test</Id></InventoryConfiguration>`;
    assert.equal((await put(Bucket, 'inventory&id=test', body)).status, 200);
    const got = (await call('getBucketInventory', { Bucket, Id: 'test' }))['InventoryConfiguration'] as Record<string, unknown>;
    assert.equal(got['IsEnabled'], 'true');
    assert.deepEqual((got['Destination'] as { COSBucketDestination: { Encryption: unknown } }).COSBucketDestination.Encryption, { SSECOS: '' });
  });
});
