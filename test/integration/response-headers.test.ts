// Response headers as COS writes them: the case of each name, and which ids go on which responses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EMPTY_SHA256, sha256Hex } from '../../src/auth/sigv4/canonical.ts';
import { send, type RawRequest, type RawResponse } from '../helpers/raw.ts';
import { OWNER, startTestServerWithBucket, type TestServer } from '../helpers/server.ts';
import { signV4 } from '../helpers/sigv4.ts';

let server: TestServer;
let bucket: string;

const raw = (r: RawRequest): Promise<RawResponse> => send(server.hostPort, r);

/** A raw request signed with SigV4, as an S3 client sends it. */
function s3Request(method: string, key: string, body = ''): RawRequest {
  const path = `/${bucket}/${key}`;
  const { headers } = signV4({
    method,
    path,
    headers: { host: server.hostPort },
    payloadHash: body === '' ? EMPTY_SHA256 : sha256Hex(body),
    identity: OWNER,
  });
  return { method, url: path, headers, ...(body !== '' && { body }) };
}

/** Asserts that each name was written in exactly this case. */
function assertNames(res: RawResponse, expected: readonly string[]): void {
  for (const name of expected) assert.ok(res.headerNames.includes(name), `${name} in ${res.headerNames.join(', ')}`);
}

before(async () => {
  ({ server, bucket } = await startTestServerWithBucket());
});
after(() => server.close());

describe('header names in the case COS sends them', () => {
  it('PUT, GET and HEAD Object', async () => {
    const put = await raw({ method: 'PUT', url: `/${bucket}/case.txt`, body: 'hello', headers: { 'content-type': 'text/plain' }, signAs: OWNER });
    assert.equal(put.status, 200);
    assertNames(put, ['ETag', 'Content-Length', 'Date', 'Server', 'Connection', 'x-cos-request-id', 'x-cos-hash-crc64ecma']);

    const get = await raw({ method: 'GET', url: `/${bucket}/case.txt`, signAs: OWNER });
    assert.equal(get.text, 'hello');
    assertNames(get, ['Content-Type', 'Content-Length', 'ETag', 'Last-Modified', 'Accept-Ranges', 'Date', 'Server', 'x-cos-request-id']);
    assert.equal(get.headers['server'], 'tencent-cos');
    assert.ok(!Number.isNaN(Date.parse(String(get.headers['date']))), 'Date is an HTTP date');

    const head = await raw({ method: 'HEAD', url: `/${bucket}/case.txt`, signAs: OWNER });
    assertNames(head, ['Content-Type', 'Content-Length', 'ETag', 'Last-Modified', 'Accept-Ranges']);
    assert.equal(head.headers['content-length'], '5');
  });

  it('error responses, with a body and on HEAD', async () => {
    const missing = await raw({ method: 'GET', url: `/${bucket}/missing.txt`, signAs: OWNER });
    assert.equal(missing.status, 404);
    assertNames(missing, ['Content-Type', 'Content-Length', 'Server', 'Date', 'x-cos-request-id', 'x-cos-trace-id']);
    const head = await raw({ method: 'HEAD', url: `/${bucket}/missing.txt`, signAs: OWNER });
    assert.equal(head.status, 404);
    assertNames(head, ['Content-Length', 'Server', 'x-cos-request-id', 'x-cos-trace-id']);
  });

  it('sends each name once, whatever its case', async () => {
    const get = await raw({ method: 'GET', url: `/${bucket}/case.txt`, signAs: OWNER });
    const lower = get.headerNames.map((n) => n.toLowerCase());
    assert.equal(new Set(lower).size, lower.length, get.headerNames.join(', '));
  });
});

describe('request and trace ids', () => {
  it('COS requests: x-cos-request-id always, x-cos-trace-id with errors only, no x-amz-* ids', async () => {
    const put = await raw({ method: 'PUT', url: `/${bucket}/ids.txt`, body: 'ids', signAs: OWNER });
    const heads = [await raw({ method: 'HEAD', url: `/${bucket}/ids.txt`, signAs: OWNER }), await raw({ method: 'HEAD', url: `/${bucket}/ids.txt`, signAs: OWNER })];
    for (const res of [put, ...heads]) {
      assert.equal(res.status, 200);
      assert.ok(res.headers['x-cos-request-id']);
      for (const name of ['x-cos-trace-id', 'x-amz-request-id', 'x-amz-id-2']) assert.equal(res.headers[name], undefined, name);
    }
    // The Node SDK's copy helpers compare two HEADs of one object: only the per-response headers may differ.
    const perResponse = new Set(['date', 'x-cos-request-id']);
    const stable = (res: RawResponse): Record<string, unknown> => Object.fromEntries(Object.entries(res.headers).filter(([name]) => !perResponse.has(name)));
    const [first, second] = heads;
    assert.ok(first && second);
    assert.deepEqual(stable(first), stable(second));

    const error = await raw({ method: 'GET', url: `/${bucket}/nope.txt`, signAs: OWNER });
    assert.equal(error.status, 404);
    assert.ok(error.headers['x-cos-trace-id']);
    assert.equal(error.headers['x-amz-request-id'], undefined);
  });

  it('S3-signed requests also get x-amz-request-id and x-amz-id-2', async () => {
    const put = await raw(s3Request('PUT', 's3.txt', 'from s3'));
    assert.equal(put.status, 200, put.text);
    assert.equal(put.headers['x-amz-request-id'], put.headers['x-cos-request-id']);
    assert.ok(put.headers['x-amz-id-2']);
    assert.equal(put.headers['x-cos-trace-id'], undefined);
    assertNames(put, ['ETag', 'Server']);

    const missing = await raw(s3Request('GET', 'nope.txt'));
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['x-amz-request-id'], missing.headers['x-cos-request-id']);
    assert.ok(missing.headers['x-cos-trace-id']);
  });
});
