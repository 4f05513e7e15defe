// Bucket configurations COS refuses, sent as signed raw requests: each answers its exact code with a
// RequestId, and the configuration there was stays as it was.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorOf, send } from '../helpers/raw.ts';
import { OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const request = (method: string, bucket: string, query: string, body?: string) =>
  send(server.hostPort, { method, url: `/${bucket}/?${query}`, signAs: OWNER, ...(body !== undefined && { body, headers: { 'content-type': 'application/xml' } }) });

async function newBucket(versioned = false, region?: string): Promise<string> {
  const bucket = uniqueBucket();
  await server.sdk(OWNER).putBucket({ Bucket: bucket, Region: region ?? server.region });
  if (versioned) await server.sdk(OWNER).putBucketVersioning({ Bucket: bucket, Region: region ?? server.region, VersioningConfiguration: { Status: 'Enabled' } });
  return bucket;
}

const lifecycle = (rule: string) => `<LifecycleConfiguration><Rule>${rule}</Rule></LifecycleConfiguration>`;
const expireRule = (extra = '') => `<ID>r</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration>${extra}`;
const website = (inner: string) => `<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument>${inner}</WebsiteConfiguration>`;
const routing = (condition: string, redirect: string) => website(`<RoutingRules><RoutingRule><Condition>${condition}</Condition><Redirect>${redirect}</Redirect></RoutingRule></RoutingRules>`);
const domainRule = (name: string) => `<DomainRule><Status>ENABLED</Status><Name>${name}</Name><Type>REST</Type></DomainRule>`;
const inventory = (id: string, extra = '') =>
  `<InventoryConfiguration><Id>${id}</Id><IsEnabled>true</IsEnabled><Destination><COSBucketDestination><Format>CSV</Format><Bucket>qcs::cos:ap-guangzhou::dest-${OWNER.appid}</Bucket></COSBucketDestination></Destination><Schedule><Frequency>Daily</Frequency></Schedule><IncludedObjectVersions>All</IncludedObjectVersions>${extra}</InventoryConfiguration>`;

interface Case {
  what: string;
  query: string;
  /** A configuration the bucket holds before the refused one, still there after. */
  good: string;
  bad: string;
  code: string;
  versioned?: boolean;
}

const cases: Case[] = [
  { what: 'lifecycle: an unknown element', query: 'lifecycle', good: lifecycle(expireRule()), bad: lifecycle(expireRule('<Colour>red</Colour>')), code: 'MalformedXML' },
  { what: 'lifecycle: no Rule', query: 'lifecycle', good: lifecycle(expireRule()), bad: '<LifecycleConfiguration></LifecycleConfiguration>', code: 'MalformedXML' },
  { what: 'lifecycle: another root element', query: 'lifecycle', good: lifecycle(expireRule()), bad: '<Lifecycle><Rule/></Lifecycle>', code: 'MalformedXML' },
  { what: 'lifecycle: Status neither Enabled nor Disabled', query: 'lifecycle', good: lifecycle(expireRule()), bad: lifecycle(expireRule().replace('Enabled', 'On')), code: 'MalformedXML' },
  { what: 'lifecycle: Days and Date together', query: 'lifecycle', good: lifecycle(expireRule()), bad: lifecycle(expireRule().replace('<Days>30</Days>', '<Days>30</Days><Date>2030-01-01T00:00:00+08:00</Date>')), code: 'InvalidArgument' },
  { what: 'lifecycle: a Date not at midnight', query: 'lifecycle', good: lifecycle(expireRule()), bad: lifecycle(expireRule().replace('<Days>30</Days>', '<Date>2030-01-01T12:00:00+08:00</Date>')), code: 'InvalidArgument' },
  { what: 'lifecycle: zero Days', query: 'lifecycle', good: lifecycle(expireRule()), bad: lifecycle(expireRule().replace('<Days>30</Days>', '<Days>0</Days>')), code: 'InvalidArgument' },
  { what: 'lifecycle: a rule with no action', query: 'lifecycle', good: lifecycle(expireRule()), bad: lifecycle('<Filter/><Status>Enabled</Status>'), code: 'InvalidRequest' },
  { what: 'lifecycle: the same ID twice', query: 'lifecycle', good: lifecycle(expireRule()), bad: `<LifecycleConfiguration><Rule>${expireRule()}</Rule><Rule>${expireRule()}</Rule></LifecycleConfiguration>`, code: 'InvalidArgument' },
  { what: 'lifecycle: a transition to STANDARD', query: 'lifecycle', good: lifecycle(expireRule()), bad: lifecycle('<Filter/><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>STANDARD</StorageClass></Transition>'), code: 'InvalidArgument' },
  { what: 'lifecycle: 1001 rules', query: 'lifecycle', good: lifecycle(expireRule()), bad: `<LifecycleConfiguration>${Array.from({ length: 1001 }, (_, i) => `<Rule><ID>${i}</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>`).join('')}</LifecycleConfiguration>`, code: 'MalformedXML' },
  { what: 'website: no IndexDocument', query: 'website', good: website(''), bad: '<WebsiteConfiguration><ErrorDocument><Key>e.html</Key></ErrorDocument></WebsiteConfiguration>', code: 'MalformedXML' },
  { what: 'website: redirect to http', query: 'website', good: website(''), bad: website('<RedirectAllRequestsTo><Protocol>http</Protocol></RedirectAllRequestsTo>'), code: 'InvalidArgument' },
  { what: 'website: a 5xx condition', query: 'website', good: website(''), bad: routing('<HttpErrorCodeReturnedEquals>500</HttpErrorCodeReturnedEquals>', '<ReplaceKeyWith>e.html</ReplaceKeyWith>'), code: 'InvalidArgument' },
  { what: 'website: ReplaceKeyPrefixWith on an error code', query: 'website', good: website(''), bad: routing('<HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals>', '<ReplaceKeyPrefixWith>x/</ReplaceKeyPrefixWith>'), code: 'InvalidArgument' },
  { what: 'referer: an unknown RefererType', query: 'referer', good: '<RefererConfiguration><Status>Disabled</Status><RefererType>Black-List</RefererType></RefererConfiguration>', bad: '<RefererConfiguration><Status>Enabled</Status><RefererType>Grey-List</RefererType></RefererConfiguration>', code: 'MalformedXML' },
  { what: 'referer: enabled with no Domain', query: 'referer', good: '<RefererConfiguration><Status>Disabled</Status><RefererType>Black-List</RefererType></RefererConfiguration>', bad: '<RefererConfiguration><Status>Enabled</Status><RefererType>White-List</RefererType></RefererConfiguration>', code: 'InvalidArgument' },
  { what: 'domain: 21 domains', query: 'domain', good: `<DomainConfiguration>${domainRule('a.example.com')}</DomainConfiguration>`, bad: `<DomainConfiguration>${Array.from({ length: 21 }, (_, i) => domainRule(`d${i}.example.com`)).join('')}</DomainConfiguration>`, code: 'InvalidArgument' },
  { what: 'domain: not a host name', query: 'domain', good: `<DomainConfiguration>${domainRule('a.example.com')}</DomainConfiguration>`, bad: `<DomainConfiguration>${domainRule('not a host')}</DomainConfiguration>`, code: 'InvalidArgument' },
  { what: 'domain: the same name twice', query: 'domain', good: `<DomainConfiguration>${domainRule('a.example.com')}</DomainConfiguration>`, bad: `<DomainConfiguration>${domainRule('b.example.com')}${domainRule('B.example.com')}</DomainConfiguration>`, code: 'InvalidArgument' },
  {
    what: 'origin: a status code other than 404',
    query: 'origin',
    good: '<OriginConfiguration><OriginRule><RulePriority>1</RulePriority><OriginType>Mirror</OriginType><OriginCondition><HTTPStatusCode>404</HTTPStatusCode></OriginCondition><OriginParameter><Protocol>HTTP</Protocol></OriginParameter><OriginInfo><HostInfo><HostName>example.com</HostName></HostInfo></OriginInfo></OriginRule></OriginConfiguration>',
    bad: '<OriginConfiguration><OriginRule><RulePriority>1</RulePriority><OriginType>Mirror</OriginType><OriginCondition><HTTPStatusCode>403</HTTPStatusCode></OriginCondition><OriginParameter><Protocol>HTTP</Protocol></OriginParameter><OriginInfo><HostInfo><HostName>example.com</HostName></HostInfo></OriginInfo></OriginRule></OriginConfiguration>',
    code: 'InvalidArgument',
  },
  { what: 'accelerate: an unknown Status', query: 'accelerate', good: '<AccelerateConfiguration><Status>Enabled</Status></AccelerateConfiguration>', bad: '<AccelerateConfiguration><Status>On</Status></AccelerateConfiguration>', code: 'MalformedXML' },
  {
    what: 'encryption: an unknown algorithm',
    query: 'encryption',
    good: '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>',
    bad: '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>DES</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>',
    code: 'MalformedXML',
  },
  {
    what: 'encryption: a KMS key without KMS',
    query: 'encryption',
    good: '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>',
    bad: '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>',
    code: 'InvalidArgument',
  },
  {
    what: 'object lock: GOVERNANCE mode',
    query: 'object-lock',
    good: '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>',
    bad: '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days></DefaultRetention></Rule></ObjectLockConfiguration>',
    code: 'InvalidArgument',
  },
  {
    what: 'object lock: 36501 days',
    query: 'object-lock',
    good: '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>',
    bad: '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Days>36501</Days></DefaultRetention></Rule></ObjectLockConfiguration>',
    code: 'InvalidArgument',
  },
  {
    what: 'intelligent tiering: 45 days',
    query: 'intelligenttiering',
    good: '<IntelligentTieringConfiguration><Status>Enabled</Status><Transition><Days>30</Days></Transition></IntelligentTieringConfiguration>',
    bad: '<IntelligentTieringConfiguration><Status>Enabled</Status><Transition><Days>45</Days></Transition></IntelligentTieringConfiguration>',
    code: 'MalformedXML',
  },
  {
    what: 'intelligent tiering: a change once enabled',
    query: 'intelligenttiering',
    good: '<IntelligentTieringConfiguration><Status>Enabled</Status><Transition><Days>30</Days></Transition></IntelligentTieringConfiguration>',
    bad: '<IntelligentTieringConfiguration><Status>Enabled</Status><Transition><Days>60</Days></Transition></IntelligentTieringConfiguration>',
    code: 'InvalidRequest',
  },
  { what: 'inventory: the body Id differs from ?id', query: 'inventory&id=a', good: inventory('a'), bad: inventory('b'), code: 'InvalidArgument' },
  { what: 'inventory: an unknown optional field', query: 'inventory&id=a', good: inventory('a'), bad: inventory('a', '<OptionalFields><Field>Colour</Field></OptionalFields>'), code: 'InvalidArgument' },
  { what: 'inventory: a Weekly-or-Daily-only Frequency', query: 'inventory&id=a', good: inventory('a'), bad: inventory('a').replace('Daily', 'Hourly'), code: 'MalformedXML' },
];

describe('bucket configurations COS refuses', () => {
  for (const c of cases) {
    it(`${c.what}: ${c.code}`, async () => {
      const bucket = await newBucket(c.versioned);
      assert.equal((await request('PUT', bucket, c.query, c.good)).status, 200);
      const before = (await request('GET', bucket, c.query)).text;
      const res = await request('PUT', bucket, c.query, c.bad);
      assert.equal(res.status, 400, res.text);
      const error = errorOf(res);
      assert.equal(error.Code, c.code);
      assert.ok(error.RequestId);
      assert.equal((await request('GET', bucket, c.query)).text, before, 'the configuration there was is kept');
    });
  }
});

describe('cross-bucket rules', () => {
  const replication = (destination: string) =>
    `<ReplicationConfiguration><Role>qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}</Role><Rule><ID>r</ID><Status>Enabled</Status><Prefix>a/</Prefix><Destination><Bucket>${destination}</Bucket></Destination></Rule></ReplicationConfiguration>`;

  it('replication needs versioning Enabled on the bucket and on an existing destination in the region named', async () => {
    const plain = await newBucket();
    const target = await newBucket(true, 'ap-chengdu');
    const toTarget = replication(`qcs::cos:ap-chengdu::${target}`);
    assert.equal(errorOf(await request('PUT', plain, 'replication', toTarget)).Code, 'InvalidRequest');
    const source = await newBucket(true);
    assert.equal((await request('PUT', source, 'replication', toTarget)).status, 200);
    assert.equal(errorOf(await request('PUT', source, 'replication', replication(`qcs::cos:ap-beijing::${target}`))).Code, 'InvalidRequest', 'not in that region');
    assert.equal(errorOf(await request('PUT', source, 'replication', replication(`qcs::cos:ap-chengdu::${uniqueBucket()}`))).Code, 'InvalidRequest', 'no such bucket');
    const unversioned = await newBucket(false, 'ap-chengdu');
    assert.equal(errorOf(await request('PUT', source, 'replication', replication(`qcs::cos:ap-chengdu::${unversioned}`))).Code, 'InvalidRequest');
    assert.equal(errorOf(await request('PUT', source, 'replication', replication('bucket-name'))).Code, 'InvalidArgument');
  });

  it('logging delivers only to an existing bucket of the same account and region', async () => {
    const bucket = await newBucket();
    const logging = (target: string) => `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${target}</TargetBucket><TargetPrefix>l/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`;
    assert.equal(errorOf(await request('PUT', bucket, 'logging', logging(uniqueBucket()))).Code, 'InvalidTargetBucketForLogging');
    assert.equal(errorOf(await request('PUT', bucket, 'logging', logging(await newBucket(false, 'ap-chengdu')))).Code, 'InvalidTargetBucketForLogging');
    assert.equal((await request('PUT', bucket, 'logging', logging(await newBucket()))).status, 200);
  });

  it('object lock cannot be enabled on a bucket with versioning enabled', async () => {
    const bucket = await newBucket(true);
    const res = await request('PUT', bucket, 'object-lock', '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>');
    assert.equal(errorOf(res).Code, 'InvalidRequest');
  });

  // The 1000-configuration limit (InventoryFull) is domain/configs/inventory.test.ts's.
  it('inventory: concurrent PUTs all land, listed 100 a page in Id order; PUT and DELETE need an id', async () => {
    const bucket = await newBucket();
    const ids = Array.from({ length: 150 }, (_, i) => `i${String(i).padStart(4, '0')}`);
    for (let start = 0; start < ids.length; start += 50) {
      const batch = ids.slice(start, start + 50).map((id) => request('PUT', bucket, `inventory&id=${id}`, inventory(id)));
      for (const res of await Promise.all(batch)) assert.equal(res.status, 200);
    }
    const listed: string[] = [];
    let token: string | undefined;
    do {
      const page = await request('GET', bucket, `inventory${token === undefined ? '' : `&continuation-token=${token}`}`);
      const result = page.xml?.['ListInventoryConfigurationResult'] as { InventoryConfiguration: { Id: string }[]; IsTruncated: string; NextContinuationToken?: string };
      assert.ok(result.InventoryConfiguration.length <= 100);
      listed.push(...result.InventoryConfiguration.map((item) => item.Id));
      token = result.IsTruncated === 'true' ? result.NextContinuationToken : undefined;
    } while (token !== undefined);
    assert.deepEqual(listed, ids, 'every configuration, in Id order, once');
    assert.equal(errorOf(await request('PUT', bucket, 'inventory', inventory('x'))).Code, 'InvalidArgument');
    assert.equal(errorOf(await request('DELETE', bucket, 'inventory')).Code, 'InvalidArgument');
    assert.equal(errorOf(await request('DELETE', bucket, 'inventory&id=none')).Code, 'InventoryConfigurationNotFoundError');
  });
});
