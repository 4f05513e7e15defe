// Subresources coslocal does not implement (COS's or S3's) answer 501 and change nothing; other query
// parameters keep working.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorOf, send, type RawRequest, type RawResponse } from '../helpers/raw.ts';
import { OWNER, uniqueBucket, startTestServerWithBucket, type TestServer } from '../helpers/server.ts';
import { presignQuery } from '../helpers/sign.ts';

let server: TestServer;
let bucket: string;

const raw = (r: RawRequest): Promise<RawResponse> => send(server.hostPort, r);

function assertNotImplemented(res: RawResponse): void {
  assert.equal(res.status, 501, res.text);
  assert.equal(errorOf(res)['Code'], 'NotImplemented');
}

before(async () => {
  ({ server, bucket } = await startTestServerWithBucket());
  assert.equal((await raw({ method: 'PUT', url: `/${bucket}/k.txt`, body: 'body', signAs: OWNER })).status, 200);
});
after(() => server.close());

describe('unimplemented subresources', () => {
  it('DELETE /<bucket>?ownershipControls is 501 and the bucket survives', async () => {
    assertNotImplemented(await raw({ method: 'DELETE', url: `/${bucket}?ownershipControls`, signAs: OWNER }));
    // The bucket is not empty, so a fall-through would have been 409; empty it to make a fall-through fatal.
    const empty = uniqueBucket();
    assert.equal((await raw({ method: 'PUT', url: `/${empty}/`, signAs: OWNER })).status, 200);
    assertNotImplemented(await raw({ method: 'DELETE', url: `/${empty}?ownershipControls`, signAs: OWNER }));
    assertNotImplemented(await raw({ method: 'DELETE', url: `/${empty}?publicAccessBlock`, signAs: OWNER }));
    assert.equal((await raw({ method: 'HEAD', url: `/${empty}`, signAs: OWNER })).status, 200);
  });

  it('PUT /?analytics&id=a is 501, not PUT Bucket', async () => {
    assertNotImplemented(await raw({ method: 'PUT', url: `/${bucket}?analytics&id=a`, body: '<x/>', signAs: OWNER }));
  });

  it('GET /?ownershipControls and GET /?analytics are 501, not the listing', async () => {
    assertNotImplemented(await raw({ method: 'GET', url: `/${bucket}?ownershipControls`, signAs: OWNER }));
    assertNotImplemented(await raw({ method: 'GET', url: `/${bucket}?analytics&id=a`, signAs: OWNER }));
  });

  it('GET /<key>?attributes and ?legal-hold are 501, not the object', async () => {
    for (const sub of ['attributes', 'legal-hold']) {
      assertNotImplemented(await raw({ method: 'GET', url: `/${bucket}/k.txt?${sub}`, signAs: OWNER }));
    }
  });

  it('PUT /<key>?legal-hold is 501 and the object keeps its bytes', async () => {
    assertNotImplemented(await raw({ method: 'PUT', url: `/${bucket}/k.txt?legal-hold`, body: 'overwritten', signAs: OWNER }));
    assert.equal((await raw({ method: 'GET', url: `/${bucket}/k.txt`, signAs: OWNER })).text, 'body');
  });

  it('a second subresource next to an implemented one is 501 (GET ?acl&tagging)', async () => {
    assertNotImplemented(await raw({ method: 'GET', url: `/${bucket}/k.txt?acl&tagging`, signAs: OWNER }));
  });
});

describe('parameters that are not subresources', () => {
  it('response-*, versionId and x-id (AWS SDK v3) still reach GET Object', async () => {
    const res = await raw({ method: 'GET', url: `/${bucket}/k.txt?response-content-type=text%2Fx-test&versionId=&x-id=GetObject`, signAs: OWNER });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, 'body');
    assert.equal(res.headers['content-type'], 'text/x-test');
  });

  it('prefix still lists, and a presigned URL (q-sign parameters) still reads', async () => {
    const list = await raw({ method: 'GET', url: `/${bucket}?prefix=k`, signAs: OWNER });
    assert.equal(list.status, 200);
    assert.match(list.text, /<Key>k\.txt<\/Key>/);
    const query = presignQuery({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'GET', path: `/${bucket}/k.txt`, headers: { host: server.hostPort } });
    const presigned = await raw({ method: 'GET', url: `/${bucket}/k.txt?${query}` });
    assert.equal(presigned.status, 200, presigned.text);
    assert.equal(presigned.text, 'body');
  });
});
