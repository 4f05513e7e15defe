// The SigV4 signing-key cache never hands one secret or scope another's key; UriEncode's fast path changes nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachedSigningKey, canonicalQuery, canonicalRequest, signingKey, uriEncode } from './canonical.ts';

describe('cachedSigningKey', () => {
  const scopes: Array<[string, string, string, string]> = [
    ['secret', '20260101', 'ap-guangzhou', 's3'],
    ['other', '20260101', 'ap-guangzhou', 's3'],
    ['secret', '20260102', 'ap-guangzhou', 's3'],
    ['secret', '20260101', 'ap-beijing', 's3'],
    ['secret', '20260101', 'ap-guangzhou', 'sts'],
    // Parts that run together when simply joined (a presigned URL's region is any decoded text): still distinct keys.
    ['s3\nsecret', '20260101', 'ap-guangzhou', 's3'],
    ['secret', '20260101', 'ap-guangzhou\ns3', 's3'],
    ['3:s3secret', '20260101', 'ap-guangzhou', ''],
    ['secret', '20260101', 'ap-guangzhou2:s3', ''],
  ];

  it('is signingKey() of its own secret and scope, asked in any order', () => {
    for (const order of [scopes, [...scopes].reverse(), scopes]) {
      for (const scope of order) assert.deepEqual(cachedSigningKey(...scope).export(), signingKey(...scope), JSON.stringify(scope));
    }
  });

  it('reuses the key for a repeated secret and scope', () => {
    assert.equal(cachedSigningKey('reused', '20260101', 'ap-guangzhou', 's3'), cachedSigningKey('reused', '20260101', 'ap-guangzhou', 's3'));
  });

  it('stays right past its bound (entries are dropped, never mixed up)', () => {
    for (let i = 0; i < 600; i++) {
      const secret = `bound-${i % 300}`;
      assert.deepEqual(cachedSigningKey(secret, '20260101', 'ap-guangzhou', 's3').export(), signingKey(secret, '20260101', 'ap-guangzhou', 's3'));
    }
  });
});

describe('uriEncode', () => {
  it('leaves unreserved text as it is, `/` only in paths', () => {
    assert.equal(uriEncode('/bucket-1250000000/dir/a_b.c~d-e', true), '/bucket-1250000000/dir/a_b.c~d-e');
    assert.equal(uriEncode('a/b', false), 'a%2Fb');
  });

  it('encodes every other byte as upper-case %XX, RFC 3986 sub-delims included', () => {
    assert.equal(uriEncode("/a b+c(1)!'*é?=&", true), '/a%20b%2Bc%281%29%21%27%2A%C3%A9%3F%3D%26');
    assert.equal(uriEncode('x=y&z /', false), 'x%3Dy%26z%20%2F');
  });

  it('canonicalQuery of no parameters is empty; parameters sort by encoded name, then value', () => {
    assert.equal(canonicalQuery([]), '');
    assert.equal(canonicalQuery([['b', '2'], ['a', 'y'], ['a', 'x'], ['c d', '']]), 'a=x&a=y&b=2&c%20d=');
  });
});

describe('canonicalRequest header values', () => {
  // Node hands header bytes over as latin1 text; what the client signed is the text it meant.
  const meta = (received: string): string =>
    canonicalRequest({ method: 'PUT', path: '/k', query: [], headers: { 'x-amz-meta-a': received }, signedHeaders: ['x-amz-meta-a'], payloadHash: 'UNSIGNED-PAYLOAD' });

  it('reads UTF-8 bytes (botocore) as the characters they encode', () => {
    const sentAsUtf8 = Buffer.from('Hello Worldé', 'utf8').toString('latin1');
    assert.equal(meta(sentAsUtf8), meta('Hello Worldé'));
    assert.match(meta(sentAsUtf8), /\nx-amz-meta-a:Hello Worldé\n/);
  });

  it('keeps bytes that are not UTF-8 (a latin1 é from Node clients) as read', () => {
    assert.match(meta('caf\u00e9'), /\nx-amz-meta-a:café\n/);
  });
});
