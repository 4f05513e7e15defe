// Bucket tagging through cos-nodejs-sdk-v5, @aws-sdk/client-s3 and raw requests: round trips, COS's limits, who may.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeleteBucketTaggingCommand, GetBucketTaggingCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import type COS from 'cos-nodejs-sdk-v5';
import { errorOf, send } from '../helpers/raw.ts';
import { OWNER, SUB, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';
import { s3Client } from '../helpers/s3.ts';

let server: TestServer;
let owner: COS;
const Region = (): string => server.region;

before(async () => {
  server = await startTestServer();
  owner = server.sdk(OWNER);
});
after(() => server.close());

const newBucket = (): Promise<string> => server.newBucket();

const putTaggingXml = (bucket: string, xml: string, signAs = OWNER) =>
  send(server.hostPort, { method: 'PUT', url: `/${bucket}/?tagging`, body: xml, headers: { 'content-type': 'application/xml' }, signAs });

const tagsXml = (tags: [string, string][]): string =>
  `<Tagging><TagSet>${tags.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`;

describe('Bucket tagging through cos-nodejs-sdk-v5 (its own test group, BucketTagging)', () => {
  it('puts (204), reads back in order, replaces, deletes (204); none reads as no tags', async () => {
    const Bucket = await newBucket();
    const Tags = [
      { Key: 'team', Value: 'storage' },
      { Key: '环境', Value: 'test env: a+b=c/d@e' },
    ];
    const put = await owner.putBucketTagging({ Bucket, Region: Region(), Tags });
    assert.equal(put.statusCode, 204);
    assert.deepEqual((await owner.getBucketTagging({ Bucket, Region: Region() })).Tags, Tags);
    await owner.putBucketTagging({ Bucket, Region: Region(), Tags: [{ Key: 'only', Value: '' }] });
    assert.deepEqual((await owner.getBucketTagging({ Bucket, Region: Region() })).Tags, [{ Key: 'only', Value: '' }]);
    assert.equal((await owner.deleteBucketTagging({ Bucket, Region: Region() })).statusCode, 204);
    assert.deepEqual((await owner.getBucketTagging({ Bucket, Region: Region() })).Tags, []);
    const raw = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/?tagging`, signAs: OWNER });
    assert.equal(raw.status, 404);
    assert.equal(errorOf(raw).Code, 'NoSuchTagSet');
  });

  it('a bucket that does not exist is NoSuchBucket for put and delete', async () => {
    const Bucket = uniqueBucket();
    await assert.rejects(owner.putBucketTagging({ Bucket, Region: Region(), Tags: [{ Key: 'k', Value: 'v' }] }), { code: 'NoSuchBucket' });
    await assert.rejects(owner.deleteBucketTagging({ Bucket, Region: Region() }), { code: 'NoSuchBucket' });
  });
});

describe('Bucket tagging limits', () => {
  const refused: [string, string, string][] = [
    ['51 tags', tagsXml(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])), 'InvalidTag'],
    ['the same key twice', tagsXml([['k', '1'], ['k', '2']]), 'InvalidTag'],
    ['an empty key', tagsXml([['', 'v']]), 'InvalidTag'],
    ['a key of 129 characters', tagsXml([['k'.repeat(129), 'v']]), 'InvalidTag'],
    ['a value of 257 characters', tagsXml([['k', 'v'.repeat(257)]]), 'InvalidTag'],
    ['a reserved qcs: key', tagsXml([['qcs:owner', 'v']]), 'InvalidTag'],
    ['a reserved project key', tagsXml([['project', 'v']]), 'InvalidTag'],
    ['a character outside the allowed ones', tagsXml([['k', 'a&amp;b']]), 'InvalidTag'],
    ['a Tag without a Value', '<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>', 'MalformedXML'],
    ['no TagSet', '<Tagging></Tagging>', 'MalformedXML'],
    ['another root element', '<Tags><TagSet></TagSet></Tags>', 'MalformedXML'],
    ['no XML at all', 'k=v', 'MalformedXML'],
  ];
  for (const [what, xml, code] of refused) {
    it(`refuses ${what} (${code}), keeping the tags there were`, async () => {
      const Bucket = await newBucket();
      await owner.putBucketTagging({ Bucket, Region: Region(), Tags: [{ Key: 'kept', Value: 'yes' }] });
      const res = await putTaggingXml(Bucket, xml);
      assert.equal(res.status, 400);
      const error = errorOf(res);
      assert.equal(error.Code, code);
      assert.ok(error.RequestId);
      assert.deepEqual((await owner.getBucketTagging({ Bucket, Region: Region() })).Tags, [{ Key: 'kept', Value: 'yes' }]);
    });
  }

  it('takes exactly 50 tags of 128-character keys and 256-character values', async () => {
    const Bucket = await newBucket();
    const tags: [string, string][] = Array.from({ length: 50 }, (_, i) => [`${i}`.padStart(128, 'k'), 'v'.repeat(256)]);
    assert.equal((await putTaggingXml(Bucket, tagsXml(tags))).status, 204);
    assert.equal((await owner.getBucketTagging({ Bucket, Region: Region() })).Tags.length, 50);
  });
});

describe('who may tag a bucket', () => {
  it('a sub-account without a policy is denied each of the three; a bucket policy granting them lets it', async () => {
    const Bucket = await newBucket();
    const xml = tagsXml([['k', 'v']]);
    assert.equal((await putTaggingXml(Bucket, xml, SUB)).status, 403);
    assert.equal((await send(server.hostPort, { method: 'GET', url: `/${Bucket}/?tagging`, signAs: SUB })).status, 403);
    assert.equal((await send(server.hostPort, { method: 'DELETE', url: `/${Bucket}/?tagging`, signAs: SUB })).status, 403);
    const Policy = {
      version: '2.0',
      statement: [
        {
          principal: { qcs: [`qcs::cam::uin/${OWNER.uin}:uin/${SUB.uin}`] },
          effect: 'allow',
          action: ['name/cos:PutBucketTagging', 'name/cos:GetBucketTagging'],
          resource: [`qcs::cos:${Region()}:uid/${OWNER.appid}:${Bucket}/*`],
        },
      ],
    };
    await owner.putBucketPolicy({ Bucket, Region: Region(), Policy: Policy as COS.PutBucketPolicyParams['Policy'] });
    assert.equal((await putTaggingXml(Bucket, xml, SUB)).status, 204);
    assert.equal((await send(server.hostPort, { method: 'GET', url: `/${Bucket}/?tagging`, signAs: SUB })).status, 200);
    assert.equal((await send(server.hostPort, { method: 'DELETE', url: `/${Bucket}/?tagging`, signAs: SUB })).status, 403, 'DeleteBucketTagging was not granted');
  });
});

describe('Bucket tagging through @aws-sdk/client-s3', () => {
  it('PutBucketTagging, GetBucketTagging, DeleteBucketTagging; NoSuchTagSet after the delete', async () => {
    const Bucket = await newBucket();
    const s3 = s3Client(server);
    const TagSet = [
      { Key: 'cost-center', Value: '42' },
      { Key: 'owner', Value: 'storage team' },
    ];
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, TagSet);
    await s3.send(new DeleteBucketTaggingCommand({ Bucket }));
    await assert.rejects(s3.send(new GetBucketTaggingCommand({ Bucket })), { name: 'NoSuchTagSet' });
    s3.destroy();
  });
});
