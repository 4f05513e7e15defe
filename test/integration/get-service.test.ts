// GET Service's filters and paging [doc: GET Service]: tagkey/tagvalue, create-time with range, marker and
// max-keys, answered with Marker, IsTruncated and NextMarker; through signed raw requests and the Node SDK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
const names: string[] = [];

before(async () => {
  server = await startTestServer();
  const cos = server.sdk();
  for (let i = 0; i < 3; i++) await cos.putBucket({ Bucket: uniqueBucket(), Region: server.region });
  // The account's every bucket (the test server seeds one too), in the name order GET Service lists.
  names.push(...namesOf(await page('')));
  assert.ok(names.length >= 3);
  await cos.putBucketTagging({ Bucket: names[1] ?? '', Region: server.region, Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'env', Value: 'prod' }] });
});
after(() => server.close());

const parser = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Bucket' });

interface ServicePage {
  Buckets: { Bucket?: { Name: string; CreationDate: string }[] } | '';
  Marker?: string;
  IsTruncated?: string;
  NextMarker?: string;
}

const service = (query: string): Promise<RawResponse> =>
  send(server.hostPort, { method: 'GET', url: `/${query}`, host: 'service.cos.myqcloud.com', signAs: OWNER });

async function page(query: string): Promise<ServicePage> {
  const res = await service(query);
  assert.equal(res.status, 200, res.text);
  return (parser.parse(res.text) as { ListAllMyBucketsResult: ServicePage }).ListAllMyBucketsResult;
}

const bucketsOf = (p: ServicePage): { Name: string; CreationDate: string }[] => (p.Buckets === '' ? [] : (p.Buckets.Bucket ?? []));
const namesOf = (p: ServicePage): string[] => bucketsOf(p).map((b) => b.Name);

describe('GET Service filters and paging', () => {
  it('pages by max-keys after marker, saying IsTruncated and NextMarker', async () => {
    const seen: string[] = [];
    let marker = '';
    for (;;) {
      const p = await page(`?max-keys=2${marker === '' ? '' : `&marker=${marker}`}`);
      assert.equal(p.Marker, marker, 'the marker asked for is echoed');
      const got = namesOf(p);
      assert.deepEqual(got, names.slice(seen.length, seen.length + 2));
      seen.push(...got);
      if (p.IsTruncated === 'false') {
        assert.equal(p.NextMarker, undefined);
        break;
      }
      assert.equal(p.IsTruncated, 'true');
      assert.equal(p.NextMarker, got.at(-1));
      marker = p.NextMarker ?? '';
    }
    assert.deepEqual(seen, names);
    assert.equal((await page('')).IsTruncated, 'false');
  });

  it('filters by one bucket tag: tagkey and tagvalue must both match one tag', async () => {
    assert.deepEqual(namesOf(await page('?tagkey=team&tagvalue=blue')), [names[1]]);
    assert.deepEqual(namesOf(await page('?tagkey=env&tagvalue=prod')), [names[1]]);
    assert.deepEqual(namesOf(await page('?tagkey=team&tagvalue=prod')), [], 'a key and value of two different tags');
  });

  it('filters by creation time: create-time (Unix seconds) with range lt, gt, lte or gte', async () => {
    const created = Math.floor(Date.parse(bucketsOf(await page(''))[0]?.CreationDate ?? '') / 1000);
    assert.ok(Number.isInteger(created), 'the listing says when the first bucket was made');
    // cos-python-sdk-v5's test parses it with '%Y-%m-%dT%H:%M:%SZ': whole seconds, no milliseconds.
    for (const b of bucketsOf(await page(''))) assert.match(b.CreationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const before = created - 3600;
    const after = created + 3600;
    assert.deepEqual(namesOf(await page(`?create-time=${before}&range=gt`)), names);
    assert.deepEqual(namesOf(await page(`?create-time=${before}&range=lt`)), []);
    assert.deepEqual(namesOf(await page(`?create-time=${after}&range=lte`)), names);
    assert.deepEqual(namesOf(await page(`?create-time=${after}&range=gte`)), []);
  });

  it('refuses a range other than lt/gt/lte/gte, a create-time that is no number, one without the other, or a bad max-keys', async () => {
    for (const query of ['?create-time=1642662645&range=eq', '?create-time=soon&range=gt', '?create-time=1642662645', '?range=gt', '?max-keys=-1', '?max-keys=x']) {
      const res = await service(query);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal(errorOf(res)['Code'], 'InvalidArgument', query);
    }
  });

  it("takes the Node SDK's getService parameters (its 多参数 case: Region, CreateRange gt, CreateTime, MaxKeys 2000)", async () => {
    const listed = await server.sdk().getService({ Region: server.region, CreateRange: 'gt', CreateTime: 1642662645, MaxKeys: 2000 } as Parameters<ReturnType<TestServer['sdk']>['getService']>[0]);
    assert.deepEqual(listed.Buckets.map((b) => b.Name).sort(), names);
  });
});
