// Object keys COS refuses are refused (U+0000, CAN/EM/SUB/ESC, keys path merging empties), and
// listings stay XML 1.0 that a strict parser (Python's expat) reads, whatever the keys hold.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { errorOf, send, type RawRequest, type RawResponse } from '../helpers/raw.ts';
import { OWNER, startTestServerWithBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let bucket: string;

const raw = (r: RawRequest): Promise<RawResponse> => send(server.hostPort, r);
const objectUrl = (key: string): string => `/${bucket}/${encodeURIComponent(key)}`;

/** Parses with Python's xml.etree (expat), as boto3 and cos-python-sdk-v5 do; the error text, or undefined. */
function pythonParseError(xml: string): string | undefined {
  const run = spawnSync('python3', ['-c', 'import sys, xml.etree.ElementTree as E; E.fromstring(sys.stdin.buffer.read())'], { input: xml });
  assert.equal(run.error, undefined, 'python3 runs');
  return run.status === 0 ? undefined : run.stderr.toString().trim().split('\n').pop();
}

function assertInvalidUri(res: RawResponse, what: string): void {
  assert.equal(res.status, 400, `${what}: ${res.text}`);
  assert.equal(errorOf(res)['Code'], 'InvalidURI', what);
}

before(async () => {
  ({ server, bucket } = await startTestServerWithBucket());
});
after(() => server.close());

describe('keys COS refuses', () => {
  it('a key with U+0000 (or CAN/EM/SUB/ESC) is InvalidURI on PUT, copy and Initiate, and nothing is stored', async () => {
    assert.equal((await raw({ method: 'PUT', url: objectUrl('src'), body: 'x', signAs: OWNER })).status, 200);
    for (const key of ['nul\u0000key', 'esc\u001bkey', 'can\u0018']) {
      assertInvalidUri(await raw({ method: 'PUT', url: objectUrl(key), body: 'x', signAs: OWNER }), `PUT ${JSON.stringify(key)}`);
      assertInvalidUri(await raw({ method: 'PUT', url: objectUrl(key), headers: { 'x-cos-copy-source': `${bucket}.cos.${server.region}.myqcloud.com/src` }, signAs: OWNER }), 'copy');
      assertInvalidUri(await raw({ method: 'POST', url: `${objectUrl(key)}?uploads`, signAs: OWNER }), 'initiate');
    }
    const list = await raw({ method: 'GET', url: `/${bucket}?encoding-type=url`, signAs: OWNER });
    assert.deepEqual([...list.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]), ['src']);
  });

  it('keys that path merging reduces to nothing (///////, /./, ../) are InvalidURI and not stored', async () => {
    for (const key of ['///////', '/./', '../', '.', 'a/..']) {
      assertInvalidUri(await raw({ method: 'PUT', url: objectUrl(key), body: 'x', signAs: OWNER }), `PUT ${key}`);
      assertInvalidUri(await raw({ method: 'POST', url: `${objectUrl(key)}?uploads`, signAs: OWNER }), `initiate ${key}`);
    }
    // The same, sent unencoded as a client builds the path.
    assertInvalidUri(await raw({ method: 'PUT', url: `/${bucket}////////`, body: 'x', signAs: OWNER }), 'raw ///////');
    const list = await raw({ method: 'GET', url: `/${bucket}?prefix=%2F`, signAs: OWNER });
    assert.doesNotMatch(list.text, /<Contents>/);
  });

  it('keys that merely contain dot segments or slashes are stored', async () => {
    for (const key of ['a/./b', '../x', '/lead']) {
      assert.equal((await raw({ method: 'PUT', url: objectUrl(key), body: key, signAs: OWNER })).status, 200, key);
      assert.equal((await raw({ method: 'GET', url: objectUrl(key), signAs: OWNER })).text, key);
    }
  });
});

describe('listings of keys XML 1.0 cannot carry', () => {
  const controlKeys = ['ctl/\u0001one', 'ctl/tab\there', 'ctl/\u001funit', 'ctl/plain'];

  before(async () => {
    for (const key of controlKeys) assert.equal((await raw({ method: 'PUT', url: objectUrl(key), body: 'x', signAs: OWNER })).status, 200);
    assert.equal((await raw({ method: 'POST', url: `${objectUrl('ctl/\u0001one')}?uploads`, signAs: OWNER })).status, 200);
  });

  const listings = ['?prefix=ctl%2F', '?prefix=ctl%2F&list-type=2', '?versions&prefix=ctl%2F', '?uploads&prefix=ctl%2F'];

  it('without encoding-type: parseable by Python, names url-encoded and EncodingType=url said', async () => {
    for (const query of listings) {
      const res = await raw({ method: 'GET', url: `/${bucket}${query}`, signAs: OWNER });
      assert.equal(res.status, 200, res.text);
      assert.equal(pythonParseError(res.text), undefined, `${query}: ${res.text}`);
      assert.match(res.text, /<EncodingType>url<\/EncodingType>/, query);
      assert.match(res.text, /<Key>ctl\/%01one<\/Key>/, query);
      assert.match(res.text, /<Prefix>ctl\/<\/Prefix>/, query);
    }
  });

  it('with encoding-type=url: the same names, encoded as asked', async () => {
    const res = await raw({ method: 'GET', url: `/${bucket}?prefix=ctl%2F&encoding-type=url`, signAs: OWNER });
    assert.equal(pythonParseError(res.text), undefined);
    const keys = [...res.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => decodeURIComponent(m[1] ?? ''));
    assert.deepEqual(keys, [...controlKeys].sort());
  });

  it('a listing whose keys XML can carry is not encoded unasked', async () => {
    const res = await raw({ method: 'GET', url: `/${bucket}?prefix=ctl%2Fp`, signAs: OWNER });
    assert.doesNotMatch(res.text, /EncodingType/);
    assert.match(res.text, /<Key>ctl\/plain<\/Key>/);
  });

  it('List Parts of such a key, and an error naming it, are parseable too', async () => {
    const uploads = await raw({ method: 'GET', url: `/${bucket}?uploads&prefix=ctl%2F&encoding-type=url`, signAs: OWNER });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(uploads.text)?.[1] ?? '';
    const parts = await raw({ method: 'GET', url: `${objectUrl('ctl/\u0001one')}?uploadId=${uploadId}`, signAs: OWNER });
    assert.equal(parts.status, 200, parts.text);
    assert.equal(pythonParseError(parts.text), undefined, parts.text);
    assert.match(parts.text, /<Key>ctl\/%01one<\/Key>/);
    const missing = await raw({ method: 'GET', url: objectUrl('ctl/\u0001missing'), signAs: OWNER });
    assert.equal(missing.status, 404);
    assert.equal(pythonParseError(missing.text), undefined, missing.text);
  });
});
