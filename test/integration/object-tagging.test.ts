// Object tagging through cos-nodejs-sdk-v5, @aws-sdk/client-s3 and raw requests: the tagging API per version,
// x-cos-tagging on every kind of write, x-cos-tagging-count, COS's limits.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CopyObjectCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type COS from 'cos-nodejs-sdk-v5';
import { multipartBody } from '../helpers/post-form.ts';
import { errorOf, send } from '../helpers/raw.ts';
import { s3Client } from '../helpers/s3.ts';
import { codeOf, OTHER, OWNER, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cos: COS;
let s3: S3Client;
const Region = (): string => server.region;

before(async () => {
  server = await startTestServer();
  cos = server.sdk();
  s3 = s3Client(server);
});
after(async () => {
  s3.destroy();
  await server.close();
});

const newBucket = (): Promise<string> => server.newBucket();

/** `x-cos-tagging` as the Node SDK's own test builds it: `k=v&...`, values URL-encoded. */
const taggingHeader = (tags: { Key: string; Value: string }[]): string => tags.map((t) => `${t.Key}=${encodeURIComponent(t.Value)}`).join('&');

/** The SDK sends VersionId on get/deleteObjectTagging though its typings leave it out; a non-literal argument passes it. */
const versionParams = (Bucket: string, Key: string, VersionId?: string) => ({ Bucket, Region: Region(), Key, ...(VersionId !== undefined && { VersionId }) });

const tagsOf = async (Bucket: string, Key: string, VersionId?: string) => (await cos.getObjectTagging(versionParams(Bucket, Key, VersionId))).Tags;

const countOf = async (Bucket: string, Key: string): Promise<string | undefined> =>
  (await cos.headObject({ Bucket, Region: Region(), Key })).headers?.['x-cos-tagging-count'];

const TAGS = [
  { Key: 'k1', Value: 'v1' },
  { Key: 'k2', Value: 'a b+c/d=e@f' },
];

describe('object tagging through cos-nodejs-sdk-v5 (its groups 上传带 tagging and ObjectTagging)', () => {
  it('PUT Object with x-cos-tagging: HEAD says x-cos-tagging-count, GET Object tagging returns them in order', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: Region(), Key: '1.txt', Body: 'hello!', Headers: { 'x-cos-tagging': taggingHeader(TAGS) } });
    assert.equal(await countOf(Bucket, '1.txt'), '2');
    const get = await cos.getObject({ Bucket, Region: Region(), Key: '1.txt' });
    assert.equal(get.headers?.['x-cos-tagging-count'], '2', 'GET says it too');
    assert.deepEqual(await tagsOf(Bucket, '1.txt'), TAGS);
  });

  it('puts (200), replaces, deletes (204) an object\'s tags; an untagged object has an empty set and no count', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: Region(), Key: '1.txt', Body: 'x' });
    assert.deepEqual(await tagsOf(Bucket, '1.txt'), []);
    assert.equal(await countOf(Bucket, '1.txt'), undefined);
    const put = await cos.putObjectTagging({ Bucket, Region: Region(), Key: '1.txt', Tags: TAGS });
    assert.equal(put.statusCode, 200);
    assert.deepEqual(await tagsOf(Bucket, '1.txt'), TAGS);
    await cos.putObjectTagging({ Bucket, Region: Region(), Key: '1.txt', Tags: [{ Key: '环境', Value: '' }] });
    assert.deepEqual(await tagsOf(Bucket, '1.txt'), [{ Key: '环境', Value: '' }]);
    assert.equal((await cos.deleteObjectTagging({ Bucket, Region: Region(), Key: '1.txt' })).statusCode, 204);
    assert.deepEqual(await tagsOf(Bucket, '1.txt'), []);
    assert.equal(await countOf(Bucket, '1.txt'), undefined);
    const raw = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/1.txt?tagging`, signAs: OWNER });
    assert.equal(raw.status, 200, 'an object without tags is not NoSuchTagSet');
    assert.match(raw.text, /<Tagging><TagSet\s*\/?>(<\/TagSet>)?<\/Tagging>/);
  });

  it('a missing object is NoSuchKey for put, get and delete', async () => {
    const Bucket = await newBucket();
    const Key = 'missing.txt';
    assert.equal(await codeOf(cos.putObjectTagging({ Bucket, Region: Region(), Key, Tags: TAGS })), 'NoSuchKey');
    assert.equal(await codeOf(cos.getObjectTagging({ Bucket, Region: Region(), Key })), 'NoSuchKey');
    assert.equal(await codeOf(cos.deleteObjectTagging({ Bucket, Region: Region(), Key })), 'NoSuchKey');
  });

  it('tags each version on its own (versionId); a delete marker named by id is MethodNotAllowed', async () => {
    const Bucket = await newBucket();
    await cos.putBucketVersioning({ Bucket, Region: Region(), VersioningConfiguration: { Status: 'Enabled' } });
    const v1 = (await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: '1', Headers: { 'x-cos-tagging': 'gen=1' } })).VersionId;
    const v2 = (await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: '2' })).VersionId;
    assert.ok(v1 && v2);
    await cos.putObjectTagging({ Bucket, Region: Region(), Key: 'k', VersionId: v2, Tags: [{ Key: 'gen', Value: '2' }] });
    assert.deepEqual(await tagsOf(Bucket, 'k', v1), [{ Key: 'gen', Value: '1' }]);
    assert.deepEqual(await tagsOf(Bucket, 'k'), [{ Key: 'gen', Value: '2' }]);
    await cos.deleteObjectTagging(versionParams(Bucket, 'k', v1));
    assert.deepEqual(await tagsOf(Bucket, 'k', v1), []);
    assert.deepEqual(await tagsOf(Bucket, 'k', v2), [{ Key: 'gen', Value: '2' }], 'the other version keeps its tags');
    const marker = (await cos.deleteObject({ Bucket, Region: Region(), Key: 'k' })).headers?.['x-cos-version-id'];
    assert.ok(marker);
    assert.equal(await codeOf(cos.getObjectTagging(versionParams(Bucket, 'k', marker))), 'MethodNotAllowed');
    assert.equal(await codeOf(cos.getObjectTagging({ Bucket, Region: Region(), Key: 'k' })), 'NoSuchKey');
  });
});

describe('COS\'s limits on object tags', () => {
  const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));

  it('more than 10 tags, a bad character, a reserved or duplicate key: 400 InvalidTag, nothing changed', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: 'x', Headers: { 'x-cos-tagging': 'keep=1' } });
    for (const Tags of [eleven, [{ Key: 'a<b', Value: 'v' }], [{ Key: 'qcs:x', Value: 'v' }], [{ Key: 'd', Value: '1' }, { Key: 'd', Value: '2' }], [{ Key: 'k'.repeat(129), Value: '' }]]) {
      assert.equal(await codeOf(cos.putObjectTagging({ Bucket, Region: Region(), Key: 'k', Tags })), 'InvalidTag', JSON.stringify(Tags[0]));
    }
    assert.equal(await codeOf(cos.putObjectTagging({ Bucket, Region: Region(), Key: 'k', Tags: eleven.slice(1) })), undefined, '10 is fine');
    await cos.putObjectTagging({ Bucket, Region: Region(), Key: 'k', Tags: [{ Key: 'keep', Value: '1' }] });
    assert.deepEqual(await tagsOf(Bucket, 'k'), [{ Key: 'keep', Value: '1' }]);
  });

  it('an upload whose x-cos-tagging breaks them is InvalidTag and stores nothing', async () => {
    const Bucket = await newBucket();
    const res = await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/k`, body: 'x', headers: { 'x-cos-tagging': taggingHeader(eleven) }, signAs: OWNER });
    assert.equal(res.status, 400);
    assert.equal(errorOf(res).Code, 'InvalidTag');
    assert.ok(errorOf(res).RequestId);
    assert.equal(await codeOf(cos.headObject({ Bucket, Region: Region(), Key: 'k' })), '404');
  });

  it('a tagging document that is not Tagging/TagSet/Tag is MalformedXML', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: Region(), Key: 'k', Body: 'x' });
    const res = await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/k?tagging`, body: '<Tagging><Tag/></Tagging>', signAs: OWNER });
    assert.equal(res.status, 400);
    assert.equal(errorOf(res).Code, 'MalformedXML');
  });
});

describe('tags on copies, multipart uploads and POST Object', () => {
  it('a copy keeps the source\'s tags (x-cos-tagging-directive: Copy) or takes its own (Replaced)', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: Region(), Key: 'src', Body: 'x', Headers: { 'x-cos-tagging': taggingHeader(TAGS) } });
    const CopySource = `${Bucket}.cos.${Region()}.myqcloud.com/src`;
    await cos.putObjectCopy({ Bucket, Region: Region(), Key: 'copied', CopySource, Headers: { 'x-cos-tagging': 'ignored=1' } });
    assert.deepEqual(await tagsOf(Bucket, 'copied'), TAGS);
    await cos.putObjectCopy({ Bucket, Region: Region(), Key: 'replaced', CopySource, Headers: { 'x-cos-tagging-directive': 'Replaced', 'x-cos-tagging': 'new=1' } });
    assert.deepEqual(await tagsOf(Bucket, 'replaced'), [{ Key: 'new', Value: '1' }]);
    await cos.putObjectCopy({ Bucket, Region: Region(), Key: 'none', CopySource, Headers: { 'x-cos-tagging-directive': 'Replaced' } });
    assert.deepEqual(await tagsOf(Bucket, 'none'), []);
    const bad = cos.putObjectCopy({ Bucket, Region: Region(), Key: 'bad', CopySource, Headers: { 'x-cos-tagging-directive': 'Merge' } });
    assert.equal(await codeOf(bad), 'InvalidArgument');
  });

  it('tags given at Initiate Multipart Upload are the completed object\'s', async () => {
    const Bucket = await newBucket();
    const { UploadId } = await cos.multipartInit({ Bucket, Region: Region(), Key: 'mp', Headers: { 'x-cos-tagging': taggingHeader(TAGS) } });
    const { ETag } = await cos.multipartUpload({ Bucket, Region: Region(), Key: 'mp', UploadId, PartNumber: 1, Body: 'part' });
    await cos.multipartComplete({ Bucket, Region: Region(), Key: 'mp', UploadId, Parts: [{ PartNumber: 1, ETag }] });
    assert.deepEqual(await tagsOf(Bucket, 'mp'), TAGS);
    assert.equal(await countOf(Bucket, 'mp'), '2');
  });

  it('the first APPEND Object\'s x-cos-tagging tags the object; later appends keep its tags', async () => {
    const Bucket = await newBucket();
    await cos.appendObject({ Bucket, Region: Region(), Key: 'log', Body: 'a', Position: 0, Headers: { 'x-cos-tagging': taggingHeader(TAGS) } });
    await cos.appendObject({ Bucket, Region: Region(), Key: 'log', Body: 'b', Position: 1 });
    assert.deepEqual(await tagsOf(Bucket, 'log'), TAGS);
  });

  it('a POST Object form\'s x-cos-tagging field tags the object', async () => {
    const Bucket = await newBucket();
    await cos.putBucketAcl({ Bucket, Region: Region(), ACL: 'public-read-write' });
    const { body, contentType } = multipartBody({ key: 'form.txt', 'x-cos-tagging': taggingHeader(TAGS) }, { filename: 'a.txt', content: 'form' });
    const res = await send(server.hostPort, { method: 'POST', url: `/${Bucket}/`, body, headers: { 'content-type': contentType } });
    assert.equal(res.status, 204);
    assert.deepEqual(await tagsOf(Bucket, 'form.txt'), TAGS);
  });
});

describe('tag condition keys in bucket policies', () => {
  it('qcs:request_tag tests the tags a write asks for, qcs:resource_tag an existing object\'s', async () => {
    const Bucket = await newBucket();
    const other = server.sdk(OTHER);
    const principal = { qcs: [`qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`] };
    const resource = [`qcs::cos:${Region()}:uid/${OWNER.appid}:${Bucket}/*`];
    const Policy = {
      version: '2.0',
      statement: [
        { principal, effect: 'allow', resource, action: ['name/cos:PutObject'], condition: { string_equal: { 'qcs:request_tag': 'team&a b' } } },
        { principal, effect: 'allow', resource, action: ['name/cos:GetObject', 'name/cos:GetObjectTagging'], condition: { string_equal: { 'qcs:resource_tag': 'level&public' } } },
      ],
    };
    await cos.putBucketPolicy({ Bucket, Region: Region(), Policy: Policy as COS.PutBucketPolicyParams['Policy'] });

    const put = (Key: string, tagging?: string) => other.putObject({ Bucket, Region: Region(), Key, Body: 'x', Headers: tagging === undefined ? {} : { 'x-cos-tagging': tagging } });
    assert.equal(await codeOf(put('a', 'team=a%20b')), undefined, 'the asked-for tag');
    assert.equal(await codeOf(put('b', 'team=b')), 'AccessDenied');
    assert.equal(await codeOf(put('c')), 'AccessDenied', 'no tags, no match');

    await cos.putObject({ Bucket, Region: Region(), Key: 'pub', Body: 'p', Headers: { 'x-cos-tagging': 'level=public&x=1' } });
    await cos.putObject({ Bucket, Region: Region(), Key: 'priv', Body: 'q', Headers: { 'x-cos-tagging': 'level=private' } });
    assert.equal((await other.getObject({ Bucket, Region: Region(), Key: 'pub' })).Body.toString(), 'p');
    assert.deepEqual((await other.getObjectTagging({ Bucket, Region: Region(), Key: 'pub' })).Tags, [{ Key: 'level', Value: 'public' }, { Key: 'x', Value: '1' }]);
    assert.equal(await codeOf(other.getObject({ Bucket, Region: Region(), Key: 'priv' })), 'AccessDenied');
    await cos.putObjectTagging({ Bucket, Region: Region(), Key: 'priv', Tags: [{ Key: 'level', Value: 'public' }] });
    assert.equal((await other.getObject({ Bucket, Region: Region(), Key: 'priv' })).Body.toString(), 'q', 'retagged, readable');
  });
});

describe('object tagging through @aws-sdk/client-s3', () => {
  it('PutObject Tagging, GetObject TagCount, Put/Get/DeleteObjectTagging by VersionId, CopyObject REPLACE', async () => {
    const Bucket = await newBucket();
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const first = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one', Tagging: 'a=1&b=two%20words' }));
    const get = await s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    await get.Body?.transformToString();
    assert.equal(get.TagCount, 2);
    const read = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }));
    assert.deepEqual(read.TagSet, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'two words' }]);
    assert.equal(read.VersionId, first.VersionId);

    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }));
    const put = await s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', VersionId: first.VersionId, Tagging: { TagSet: [{ Key: 'old', Value: 'yes' }] } }));
    assert.equal(put.VersionId, first.VersionId);
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k', VersionId: first.VersionId }))).TagSet, [{ Key: 'old', Value: 'yes' }]);
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, []);
    await s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'k', VersionId: first.VersionId }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k', VersionId: first.VersionId }))).TagSet, []);

    await s3.send(new CopyObjectCommand({ Bucket, Key: 'c', CopySource: `${Bucket}/k`, TaggingDirective: 'REPLACE', Tagging: 'x=y' }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'c' }))).TagSet, [{ Key: 'x', Value: 'y' }]);
  });
});
