// INTELLIGENT_TIERING v2 (`?intelligent-tiering`): rules by Id, `default` being v1's document; the requests
// cos-python-sdk-v5's put/get/list_bucket_intelligenttiering_v2 send, signed raw.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorOf, send } from '../helpers/raw.ts';
import { authorization, presignQuery } from '../helpers/sign.ts';
import { OWNER, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const request = (method: string, bucket: string, query: string, body?: string) =>
  send(server.hostPort, { method, url: `/${bucket}/?${query}`, signAs: OWNER, ...(body !== undefined && { body }) });

const tier = (accessTier: string, days: number, frequent = '') =>
  `<Tiering><AccessTier>${accessTier}</AccessTier><Days>${days}</Days>${frequent && `<RequestFrequent>${frequent}</RequestFrequent>`}</Tiering>`;
const rule = (id: string, ...tiers: string[]) => `<IntelligentTieringConfiguration><Id>${id}</Id><Status>Enabled</Status>${tiers.join('')}</IntelligentTieringConfiguration>`;
const V1 = '<IntelligentTieringConfiguration><Status>Enabled</Status><Transition><Days>30</Days><RequestFrequent>1</RequestFrequent></Transition></IntelligentTieringConfiguration>';
const stripDecl = (text: string) => text.replace(/^<\?xml[^>]*>\n/, '');

describe('intelligent tiering v2', () => {
  it('the v1 configuration is the rule `default`: GET by id and the list show it', async () => {
    const bucket = await server.newBucket();
    assert.equal(errorOf(await request('GET', bucket, 'intelligent-tiering&id=default')).Code, 'NoSuchConfiguration');
    assert.equal((await request('PUT', bucket, 'intelligenttiering', V1)).status, 200);
    const one = await request('GET', bucket, 'intelligent-tiering&id=default');
    assert.equal(one.status, 200);
    assert.equal(stripDecl(one.text), rule('default', tier('INFREQUENT', 30, '1')));
    const list = await request('GET', bucket, 'intelligent-tiering');
    assert.equal(stripDecl(list.text), `<ListBucketIntelligentTieringConfigurationOutput>${rule('default', tier('INFREQUENT', 30, '1'))}</ListBucketIntelligentTieringConfigurationOutput>`);
  });

  it('PUT of `default` sets v1; the same again is fine, a change is refused as COS words it', async () => {
    const bucket = await server.newBucket();
    assert.equal((await request('PUT', bucket, 'intelligent-tiering&id=default', rule('default', tier('INFREQUENT', 30, '1')))).status, 200);
    assert.equal(stripDecl((await request('GET', bucket, 'intelligenttiering')).text), V1);
    assert.equal((await request('PUT', bucket, 'intelligent-tiering&id=default', rule('default', tier('INFREQUENT', 30, '1')))).status, 200);
    const changed = errorOf(await request('PUT', bucket, 'intelligent-tiering&id=default', rule('default', tier('INFREQUENT', 60))));
    assert.deepEqual([changed.Code, changed.Message], ['InvalidRequest', 'The default rule cannot be modified']);
    const v1Changed = errorOf(await request('PUT', bucket, 'intelligenttiering', V1.replace('30', '90')));
    assert.deepEqual([v1Changed.Code, v1Changed.Message], ['InvalidRequest', 'Not support modify intelligent tiering configuration']);
  });

  it('archive rules are kept by id, listed after `default` in the order made; a replaced one keeps its place', async () => {
    const bucket = await server.newBucket();
    const deep = rule('deep', tier('DEEP_ARCHIVE_ACCESS', 180));
    const archive = (days: number) => `<IntelligentTieringConfiguration><Id>cold</Id><Status>Enabled</Status><Filter><And><Prefix>logs/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>${tier('ARCHIVE_ACCESS', days)}</IntelligentTieringConfiguration>`;
    assert.equal((await request('PUT', bucket, 'intelligent-tiering&id=cold', archive(91))).status, 200);
    assert.equal((await request('PUT', bucket, 'intelligent-tiering&id=deep', deep)).status, 200);
    assert.equal((await request('PUT', bucket, 'intelligent-tiering&id=cold', archive(120))).status, 200);
    assert.equal((await request('PUT', bucket, 'intelligent-tiering&id=default', rule('default', tier('INFREQUENT', 60)))).status, 200);
    assert.equal(stripDecl((await request('GET', bucket, 'intelligent-tiering&id=cold')).text), archive(120));
    const list = stripDecl((await request('GET', bucket, 'intelligent-tiering')).text);
    assert.equal(list, `<ListBucketIntelligentTieringConfigurationOutput>${rule('default', tier('INFREQUENT', 60))}${archive(120)}${deep}</ListBucketIntelligentTieringConfigurationOutput>`);
  });

  it('as cos-python-sdk-v5 signs them: `intelligent-tiering` left out of the signature (in a presigned URL it must be in)', async () => {
    const bucket = await server.newBucket();
    const signed = (method: string, query: [string, string][]) => ({
      secretId: OWNER.secretId,
      secretKey: OWNER.secretKey,
      method,
      path: `/${bucket}/`,
      query,
      headers: { host: server.hostPort },
    });
    const body = rule('cold', tier('ARCHIVE_ACCESS', 91));
    const put = await send(server.hostPort, { method: 'PUT', url: `/${bucket}/?intelligent-tiering&id=cold`, body, headers: { authorization: authorization(signed('PUT', [['id', 'cold']])) } });
    assert.equal(put.status, 200, put.text);
    const list = await send(server.hostPort, { method: 'GET', url: `/${bucket}/?intelligent-tiering`, headers: { authorization: authorization(signed('GET', [])) } });
    assert.equal(stripDecl(list.text), `<ListBucketIntelligentTieringConfigurationOutput>${body}</ListBucketIntelligentTieringConfigurationOutput>`);
    const presigned = await send(server.hostPort, { method: 'GET', url: `/${bucket}/?intelligent-tiering&${presignQuery(signed('GET', []))}` });
    assert.equal(errorOf(presigned).Code, 'AccessDenied');
  });

  it('DELETE removes an archive rule (204); `default` stays; an unknown id is 404', async () => {
    const bucket = await server.newBucket();
    const cold = rule('cold', tier('ARCHIVE_ACCESS', 91));
    const disabled = rule('deep', tier('DEEP_ARCHIVE_ACCESS', 200)).replace('Enabled', 'Disabled');
    assert.equal((await request('PUT', bucket, 'intelligent-tiering&id=default', rule('default', tier('INFREQUENT', 30)))).status, 200);
    assert.equal((await request('PUT', bucket, 'intelligent-tiering&id=cold', cold)).status, 200);
    assert.equal((await request('PUT', bucket, 'intelligent-tiering&id=deep', disabled)).status, 200);
    assert.equal((await request('DELETE', bucket, 'intelligent-tiering&id=cold')).status, 204);
    assert.equal(errorOf(await request('DELETE', bucket, 'intelligent-tiering&id=cold')).Code, 'NoSuchConfiguration');
    const kept = errorOf(await request('DELETE', bucket, 'intelligent-tiering&id=default'));
    assert.deepEqual([kept.Code, kept.Message], ['InvalidRequest', 'The default rule cannot be modified']);
    const list = stripDecl((await request('GET', bucket, 'intelligent-tiering')).text);
    assert.equal(list, `<ListBucketIntelligentTieringConfigurationOutput>${rule('default', tier('INFREQUENT', 30))}${disabled}</ListBucketIntelligentTieringConfigurationOutput>`);
  });

  const refused: { what: string; query: string; body: string; code: string }[] = [
    { what: 'no id', query: 'intelligent-tiering', body: rule('a', tier('ARCHIVE_ACCESS', 91)), code: 'InvalidArgument' },
    { what: 'the body Id differs from ?id', query: 'intelligent-tiering&id=a', body: rule('b', tier('ARCHIVE_ACCESS', 91)), code: 'InvalidArgument' },
    { what: 'an unknown AccessTier', query: 'intelligent-tiering&id=a', body: rule('a', tier('GLACIER', 91)), code: 'MalformedXML' },
    { what: 'no Tiering', query: 'intelligent-tiering&id=a', body: rule('a'), code: 'MalformedXML' },
    { what: 'ARCHIVE_ACCESS after 30 days', query: 'intelligent-tiering&id=a', body: rule('a', tier('ARCHIVE_ACCESS', 30)), code: 'InvalidArgument' },
    { what: 'DEEP_ARCHIVE_ACCESS after 800 days', query: 'intelligent-tiering&id=a', body: rule('a', tier('DEEP_ARCHIVE_ACCESS', 800)), code: 'InvalidArgument' },
    { what: 'the same tier twice', query: 'intelligent-tiering&id=a', body: rule('a', tier('ARCHIVE_ACCESS', 91), tier('ARCHIVE_ACCESS', 100)), code: 'InvalidArgument' },
    { what: 'INFREQUENT outside `default`', query: 'intelligent-tiering&id=a', body: rule('a', tier('INFREQUENT', 30)), code: 'InvalidArgument' },
    { what: 'an archive tier in `default`', query: 'intelligent-tiering&id=default', body: rule('default', tier('ARCHIVE_ACCESS', 91)), code: 'InvalidArgument' },
    { what: 'a Disabled `default`', query: 'intelligent-tiering&id=default', body: rule('default', tier('INFREQUENT', 30)).replace('Enabled', 'Disabled'), code: 'InvalidArgument' },
    { what: 'INFREQUENT after 45 days', query: 'intelligent-tiering&id=default', body: rule('default', tier('INFREQUENT', 45)), code: 'InvalidArgument' },
  ];
  for (const c of refused) {
    it(`PUT refuses ${c.what}: ${c.code}, nothing stored`, async () => {
      const bucket = await server.newBucket();
      const res = await request('PUT', bucket, c.query, c.body);
      assert.equal(res.status, 400, res.text);
      assert.equal(errorOf(res).Code, c.code);
      assert.equal(stripDecl((await request('GET', bucket, 'intelligent-tiering')).text), '<ListBucketIntelligentTieringConfigurationOutput></ListBucketIntelligentTieringConfigurationOutput>');
    });
  }
});
