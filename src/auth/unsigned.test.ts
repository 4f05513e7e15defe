// What a signature leaves uncovered: subresources, copy/grant headers on presigned URLs, SigV4 x-amz-* headers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unsignedPresignHeaders, unsignedSigV4Headers, unsignedSubresources } from './unsigned.ts';

describe('unsignedSubresources (q-sign)', () => {
  const cases: Array<[string, Array<[string, string]>, string[], string[]]> = [
    ['a signed subresource', [['acl', '']], ['acl'], []],
    ['an unsigned one', [['acl', '']], [], ['acl']],
    ['cos-python-sdk-v5 leaves intelligent-tiering unsigned', [['intelligent-tiering', ''], ['id', 'default']], ['id'], []],
    ['names are listed lower-cased', [['uploadId', 'u'], ['partNumber', '1']], ['partnumber', 'uploadid'], []],
    ['other parameters may go unsigned', [['response-content-type', 'text/plain'], ['x-cos-security-token', 't']], [], []],
    ['a repeated one is named once', [['acl', ''], ['acl', 'x']], [], ['acl']],
  ];
  for (const [name, query, list, expected] of cases) it(name, () => assert.deepEqual(unsignedSubresources(query, list, false), expected));
  it('a presigned URL must still list intelligent-tiering', () => assert.deepEqual(unsignedSubresources([['intelligent-tiering', '']], [], true), ['intelligent-tiering']));
});

describe('unsignedPresignHeaders (q-sign presigned URLs)', () => {
  it('names copy-source, ACL and grant headers, in both spellings, that the list leaves out', () => {
    const headers = {
      host: 'h',
      'x-cos-copy-source': 's',
      'x-amz-copy-source': 's',
      'x-cos-acl': 'public-read',
      'x-amz-grant-read': 'r',
      'x-cos-grant-full-control': 'f',
      'x-cos-copy-source-range': 'bytes=0-1',
      'x-cos-meta-a': 'a',
    };
    assert.deepEqual(unsignedPresignHeaders(headers, ['host', 'x-cos-acl']), ['x-cos-copy-source', 'x-amz-copy-source', 'x-amz-grant-read', 'x-cos-grant-full-control']);
  });
});

describe('unsignedSigV4Headers', () => {
  it('names every x-amz-* and x-cos-* header missing from SignedHeaders but x-amz-content-sha256', () => {
    const headers = { host: 'h', 'x-amz-date': 'd', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-acl': 'public-read', 'x-cos-acl': 'public-read', 'content-type': 't' };
    assert.deepEqual(unsignedSigV4Headers(headers, ['host', 'x-amz-date']), ['x-amz-acl', 'x-cos-acl']);
    assert.deepEqual(unsignedSigV4Headers(headers, ['host', 'x-amz-acl', 'x-amz-date', 'x-cos-acl']), []);
  });
});
