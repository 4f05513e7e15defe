// A malformed versionId is refused only once the caller is authorized: before that, an existing and a missing bucket answer alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { OTHER, OWNER, SUB, startTestServerWithBucket, uniqueBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let bucket: string;

before(async () => {
  ({ server, bucket } = await startTestServerWithBucket());
  await server.sdk(OWNER).putObject({ Bucket: bucket, Region: server.region, Key: 'doc.txt', Body: 'private' });
});
after(() => server.close());

const BAD_VERSION = 'not.a*version';

const REQUESTS = [
  { name: 'GET Object', method: 'GET', query: '' },
  { name: 'HEAD Object', method: 'HEAD', query: '' },
  { name: 'GET Object acl', method: 'GET', query: 'acl&' },
  { name: 'PUT Object acl', method: 'PUT', query: 'acl&', headers: { 'x-cos-acl': 'public-read' } },
] as const;

function ask(target: string, r: (typeof REQUESTS)[number], as: TestIdentity | undefined): Promise<RawResponse> {
  return send(server.hostPort, {
    method: r.method,
    url: `/${target}/doc.txt?${r.query}versionId=${encodeURIComponent(BAD_VERSION)}`,
    headers: 'headers' in r ? { ...r.headers } : {},
    ...(as && { signAs: as }),
  });
}

/** What a caller can compare between two answers: status, and the error code and message of a body. */
const visible = (res: RawResponse): string => (res.text === '' ? `${res.status}` : `${res.status} ${errorOf(res).Code} ${errorOf(res).Message}`);

describe('a malformed versionId on GET/HEAD Object and GET/PUT Object acl', () => {
  const callers: Array<[string, TestIdentity | undefined]> = [
    ['anonymous', undefined],
    ['another account', OTHER],
    ['a sub-account without a grant', SUB],
  ];
  for (const [who, as] of callers) {
    it(`answers ${who} the same on an existing and a missing bucket`, async () => {
      for (const r of REQUESTS) {
        const existing = await ask(bucket, r, as);
        const missing = await ask(uniqueBucket(), r, as);
        assert.equal(existing.status, 403, `${r.name}: ${existing.text}`);
        assert.equal(visible(existing), visible(missing), r.name);
      }
    });
  }

  it('answers the owner 400 InvalidArgument', async () => {
    for (const r of REQUESTS) {
      const res = await ask(bucket, r, OWNER);
      assert.equal(res.status, 400, r.name);
      if (r.method !== 'HEAD') assert.equal(errorOf(res).Code, 'InvalidArgument', r.name);
    }
  });
});
