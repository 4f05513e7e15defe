// APPEND Object through cos-nodejs-sdk-v5 and signed raw requests: appendable objects grow at their
// length and only there, normal objects refuse, racing appends never corrupt, bytes are never leaked.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { INLINE_CONTENT_MAX_BYTES } from '../../src/storage/object-content.ts';
import { crc64 } from '../../src/util/crc64.ts';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { codeOf, onDiskOnly, OTHER, OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
const Bucket = uniqueBucket();
let Region = '';

before(async () => {
  server = await startTestServer();
  Region = server.region;
  await server.sdk().putBucket({ Bucket, Region });
});
after(() => server.close());

const append = (key: string, position: number | string, body: Buffer | string, bucket = Bucket): Promise<RawResponse> =>
  send(server.hostPort, { method: 'POST', url: `/${bucket}/${key}?append&position=${position}`, body, signAs: OWNER });
const get = (key: string): Promise<RawResponse> => send(server.hostPort, { method: 'GET', url: `/${Bucket}/${key}`, signAs: OWNER });

function assertRefused(res: RawResponse, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(errorOf(res)['Code'], code);
  assert.ok(errorOf(res)['RequestId'], 'the error names its request');
}

describe('APPEND Object', () => {
  it("passes the Node SDK's own appendObject group: append, read the length with HEAD, append there", async () => {
    const cos = server.sdk();
    const Key = 'append.txt';
    await cos.appendObject({ Bucket, Region, Key, Body: '12345', Position: 0 });
    const head = await cos.headObject({ Bucket, Region, Key });
    const position = head.headers?.['content-length'];
    assert.equal(position, '5');
    const appended = await cos.appendObject({ Bucket, Region, Key, Body: '66666', Position: Number(position), Headers: { 'x-cos-test': 'test' } });
    assert.equal(appended.headers?.['x-cos-next-append-position'], '10');

    const got = await cos.getObject({ Bucket, Region, Key });
    assert.equal(got.Body.toString(), '1234566666');
    assert.equal(got.headers?.['x-cos-object-type'], 'appendable');
    assert.equal(got.headers?.['x-cos-next-append-position'], '10');
    assert.equal(got.headers?.['x-cos-hash-crc64ecma'], crc64(Buffer.from('1234566666')));
    assert.equal(got.headers?.['content-type'], 'text/plain', 'the first append named the type');
  });

  it('refuses a position other than the length with 409 AppendPositionErr, naming the length; the object is unchanged', async () => {
    assert.equal((await append('mismatch', 0, 'abc')).status, 200);
    for (const position of [0, 2, 4]) {
      const refused = await append('mismatch', position, 'zz');
      assertRefused(refused, 409, 'AppendPositionErr');
      assert.equal(refused.headers['x-cos-next-append-position'], '3');
    }
    assertRefused(await append('absent', 7, 'zz'), 409, 'AppendPositionErr');
    assert.equal((await get('mismatch')).text, 'abc');
    assert.equal((await get('absent')).status, 404, 'a refused first append creates nothing');
  });

  it('refuses to append to a normal object (409 ObjectNotAppendable); a PUT makes an appendable object normal', async () => {
    const cos = server.sdk();
    await cos.putObject({ Bucket, Region, Key: 'normal', Body: 'plain' });
    assertRefused(await append('normal', 5, 'more'), 409, 'ObjectNotAppendable');
    assertRefused(await append('normal', 0, 'more'), 409, 'ObjectNotAppendable');

    assert.equal((await append('was-appendable', 0, 'abc')).status, 200);
    await cos.putObject({ Bucket, Region, Key: 'was-appendable', Body: 'xyz' });
    const head = await cos.headObject({ Bucket, Region, Key: 'was-appendable' });
    assert.equal(head.headers?.['x-cos-object-type'], undefined);
    assertRefused(await append('was-appendable', 3, 'more'), 409, 'ObjectNotAppendable');
  });

  it('grows an object inline and past the inline size into composed blobs, the bytes and CRC-64 exact at every step', async () => {
    const pieces = [randomBytes(10), randomBytes(INLINE_CONTENT_MAX_BYTES - 20), randomBytes(30), randomBytes(100_000), Buffer.alloc(0), randomBytes(5)];
    let whole = Buffer.alloc(0);
    for (const piece of pieces) {
      const res = await append('grows', whole.length, piece);
      assert.equal(res.status, 200, res.text);
      whole = Buffer.concat([whole, piece]);
      assert.equal(res.headers['x-cos-next-append-position'], String(whole.length));
      assert.equal(res.headers['x-cos-hash-crc64ecma'], crc64(whole));
      const got = await get('grows');
      assert.ok(got.body.equals(whole), `after ${whole.length} bytes`);
    }
    const ranged = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/grows`, headers: { range: 'bytes=65500-65600' }, signAs: OWNER });
    assert.ok(ranged.body.equals(whole.subarray(65500, 65601)), 'a range across the appended pieces');
  });

  it('leaves no blob behind: an object grown by appends, once deleted, frees every byte', { skip: onDiskOnly('blob files') }, async () => {
    const { server: own, bucket } = await (async () => {
      const s = await startTestServer();
      const b = uniqueBucket();
      await s.sdk().putBucket({ Bucket: b, Region: s.region });
      return { server: s, bucket: b };
    })();
    try {
      let size = 0;
      for (const length of [70_000, 10, 200_000, 3]) {
        const res = await send(own.hostPort, { method: 'POST', url: `/${bucket}/k?append&position=${size}`, body: randomBytes(length), signAs: OWNER });
        assert.equal(res.status, 200, res.text);
        size += length;
      }
      assert.ok((await own.blobFiles()).length > 0);
      await own.sdk().deleteObject({ Bucket: bucket, Region: own.region, Key: 'k' });
      assert.deepEqual(await own.blobFiles(), []);
    } finally {
      await own.close();
    }
  });

  it('lets exactly one of racing appends at the same position win; the others get AppendPositionErr and the bytes are the winner\'s', async () => {
    assert.equal((await append('raced', 0, randomBytes(70_000))).status, 200);
    const before = (await get('raced')).body;
    const bodies = Array.from({ length: 6 }, (_, i) => Buffer.alloc(1000 + i, i + 1));
    const results = await Promise.all(bodies.map((body) => append('raced', before.length, body)));
    const winners = results.flatMap((res, i) => (res.status === 200 ? [i] : []));
    assert.equal(winners.length, 1, results.map((r) => r.status).join(','));
    for (const res of results) if (res.status !== 200) assert.equal(errorOf(res)['Code'], 'AppendPositionErr');
    const winner = bodies[winners[0] ?? -1];
    assert.ok(winner);
    assert.ok((await get('raced')).body.equals(Buffer.concat([before, winner])));
  });

  it('answers a missing or malformed position with 400 InvalidArgument', async () => {
    assertRefused(await send(server.hostPort, { method: 'POST', url: `/${Bucket}/p?append`, body: 'x', signAs: OWNER }), 400, 'InvalidArgument');
    assertRefused(await append('p', -1, 'x'), 400, 'InvalidArgument');
    assertRefused(await append('p', 'one', 'x'), 400, 'InvalidArgument');
  });

  it('is refused in a bucket with versioning enabled (appendable objects take no part in versioning)', async () => {
    const cos = server.sdk();
    const versioned = uniqueBucket();
    await cos.putBucket({ Bucket: versioned, Region });
    await cos.putBucketVersioning({ Bucket: versioned, Region, VersioningConfiguration: { Status: 'Enabled' } });
    assertRefused(await append('v', 0, 'x', versioned), 400, 'InvalidRequest');
    assert.equal(await codeOf(cos.headObject({ Bucket: versioned, Region, Key: 'v' })), '404');
  });

  it('is denied to another account, without telling whether the bucket exists, until a bucket policy grants AppendObject', async () => {
    const cos = server.sdk();
    const shared = uniqueBucket();
    await cos.putBucket({ Bucket: shared, Region, ACL: 'public-read-write' });
    const asOther = (bucket: string) => send(server.hostPort, { method: 'POST', url: `/${bucket}/x?append&position=0`, body: 'x', signAs: OTHER });
    assertRefused(await asOther(shared), 403, 'AccessDenied');
    assertRefused(await asOther(uniqueBucket()), 403, 'AccessDenied');

    const Statement = [{ Principal: { qcs: [`qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`] }, Effect: 'allow', Action: ['name/cos:AppendObject'], Resource: [`qcs::cos:${Region}:uid/${OWNER.appid}:${shared}/*`] }];
    await cos.putBucketPolicy({ Bucket: shared, Region, Policy: { version: '2.0', Statement } });
    assert.equal((await asOther(shared)).status, 200);
  });

  it('copies an appendable object as a normal one', async () => {
    const cos = server.sdk();
    assert.equal((await append('source', 0, 'abc')).status, 200);
    await cos.putObjectCopy({ Bucket, Region, Key: 'copy', CopySource: `${Bucket}.cos.${Region}.myqcloud.com/source` });
    const head = await cos.headObject({ Bucket, Region, Key: 'copy' });
    assert.equal(head.headers?.['x-cos-object-type'], undefined);
    assertRefused(await append('copy', 3, 'd'), 409, 'ObjectNotAppendable');
  });
});
