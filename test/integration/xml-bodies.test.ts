// Request bodies: values arrive byte-exact (never trimmed), and XML the parser refuses is the
// operation's 400 MalformedXML, never a 500 an SDK would retry.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { errorOf, send, type RawRequest, type RawResponse } from '../helpers/raw.ts';
import { OWNER, uniqueBucket, startTestServerWithBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let bucket: string;

const raw = (r: RawRequest): Promise<RawResponse> => send(server.hostPort, r);
const md5 = (text: string): string => createHash('md5').update(text).digest('base64');
const objectUrl = (key: string): string => `/${bucket}/${encodeURIComponent(key)}`;
const exists = async (key: string): Promise<boolean> => (await raw({ method: 'HEAD', url: objectUrl(key), signAs: OWNER })).status === 200;

async function deleteKeys(body: string): Promise<RawResponse> {
  return raw({ method: 'POST', url: `/${bucket}?delete`, body, headers: { 'content-md5': md5(body), 'content-type': 'application/xml' }, signAs: OWNER });
}

before(async () => {
  ({ server, bucket } = await startTestServerWithBucket());
});
after(() => server.close());

describe('DELETE Multiple Objects keys are byte-exact', () => {
  it('<Key>_ </Key> deletes "_ " and leaves "_"; <Key> </Key> deletes " "', async () => {
    for (const key of ['_', '_ ', ' ']) assert.equal((await raw({ method: 'PUT', url: objectUrl(key), body: key, signAs: OWNER })).status, 200);
    const res = await deleteKeys('<Delete><Object><Key>_ </Key></Object></Delete>');
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /<Key>_ <\/Key>/);
    assert.equal(await exists('_'), true);
    assert.equal(await exists('_ '), false);
    const space = await deleteKeys('<Delete><Object><Key> </Key></Object></Delete>');
    assert.equal(space.status, 200, space.text);
    assert.equal(await exists(' '), false);
    assert.equal(await exists('_'), true);
  });

  it('an indented body still works, and keeps its values exact', async () => {
    for (const key of ['\tlead', 'trail\n']) assert.equal((await raw({ method: 'PUT', url: objectUrl(key), body: 'x', signAs: OWNER })).status, 200);
    const body = '<?xml version="1.0" encoding="UTF-8"?>\n<Delete>\n  <Quiet>false</Quiet>\n  <Object>\n    <Key>&#9;lead</Key>\n  </Object>\n  <Object>\n    <Key>trail&#10;</Key>\n  </Object>\n</Delete>\n';
    const res = await deleteKeys(body);
    assert.equal(res.status, 200, res.text);
    assert.equal(await exists('\tlead'), false);
    assert.equal(await exists('trail\n'), false);
  });
});

describe('bodies the XML parser rejects are MalformedXML', () => {
  // Well-formed, but refused by the parser itself rather than by validation.
  const hostile = (root: string): Array<[string, string]> => [
    ['101 nested elements', `<${root}>${'<A>'.repeat(101)}${'</A>'.repeat(101)}</${root}>`],
    ...['__proto__', 'constructor', 'prototype'].map((name): [string, string] => [`<${name}>`, `<${root}><${name}>x</${name}></${root}>`]),
  ];

  function assertMalformed(res: RawResponse, what: string): void {
    assert.equal(res.status, 400, `${what}: ${res.text}`);
    assert.equal(errorOf(res)['Code'], 'MalformedXML', what);
  }

  const put = (url: string, body: string): Promise<RawResponse> =>
    raw({ method: 'PUT', url, body, headers: { 'content-md5': md5(body), 'content-type': 'application/xml' }, signAs: OWNER });

  it('PUT Bucket acl, PUT Object acl', async () => {
    assert.equal((await raw({ method: 'PUT', url: objectUrl('acl-target'), body: 'x', signAs: OWNER })).status, 200);
    for (const [what, body] of hostile('AccessControlPolicy')) {
      assertMalformed(await put(`/${bucket}?acl`, body), `bucket acl ${what}`);
      assertMalformed(await put(`${objectUrl('acl-target')}?acl`, body), `object acl ${what}`);
    }
  });

  it('PUT Bucket cors, PUT Bucket versioning', async () => {
    for (const [what, body] of hostile('CORSConfiguration')) assertMalformed(await put(`/${bucket}?cors`, body), `cors ${what}`);
    for (const [what, body] of hostile('VersioningConfiguration')) assertMalformed(await put(`/${bucket}?versioning`, body), `versioning ${what}`);
  });

  it('DELETE Multiple Objects', async () => {
    for (const [what, body] of hostile('Delete')) assertMalformed(await deleteKeys(body), `delete ${what}`);
  });

  it('Complete Multipart Upload', async () => {
    const init = await raw({ method: 'POST', url: `${objectUrl('mp')}?uploads`, signAs: OWNER });
    assert.equal(init.status, 200, init.text);
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.text)?.[1] ?? '';
    for (const [what, body] of hostile('CompleteMultipartUpload')) {
      assertMalformed(await raw({ method: 'POST', url: `${objectUrl('mp')}?uploadId=${uploadId}`, body, signAs: OWNER }), `complete ${what}`);
    }
  });

  it('PUT Bucket with a CreateBucketConfiguration body', async () => {
    for (const [what, body] of hostile('CreateBucketConfiguration')) {
      const name = uniqueBucket();
      assertMalformed(await put(`/${name}`, body), `put bucket ${what}`);
      assert.equal((await raw({ method: 'HEAD', url: `/${name}`, signAs: OWNER })).status, 404, 'no bucket made');
    }
  });
});
