// AWS SigV2 as S3 documents it: every example of "Signing and authenticating REST requests" reproduced
// bit-exact (the public johnsmith examples), and authenticate()'s time, header and subresource rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authenticate, type AuthRequest } from '../../src/auth/authenticate.ts';
import type { Keyring } from '../../src/auth/keyring.ts';
import { canonicalResource, resourcePaths } from '../../src/auth/sigv2/canonical.ts';
import { parseSigV2Header } from '../../src/auth/sigv2/parse.ts';
import { verifySigV2, type SigV2Request } from '../../src/auth/sigv2/verify.ts';
import { CosError } from '../../src/errors/cos-error.ts';

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ACCESS = 'AKIAIOSFODNN7EXAMPLE';

const keyring: Keyring = {
  async find(id) {
    return id === ACCESS ? { secretKey: SECRET, principal: { kind: 'user', ownerUin: '1', uin: '1', appid: '125', secretId: ACCESS } } : undefined;
  },
};

interface Example {
  name: string;
  request: SigV2Request;
  stringToSign: string;
  signature: string;
  /** Epoch seconds of the example's date. */
  at: number;
}

const at = (date: string): number => Date.parse(date) / 1000;

const EXAMPLES: Example[] = [
  {
    name: 'Object GET',
    request: { method: 'GET', headers: { host: 'johnsmith.s3.amazonaws.com', date: 'Tue, 27 Mar 2007 19:36:42 +0000' }, query: [], resourcePaths: ['/johnsmith/photos/puppy.jpg'] },
    stringToSign: 'GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg',
    signature: 'bWq2s1WEIj+Ydj0vQ697zp+IXMU=',
    at: at('Tue, 27 Mar 2007 19:36:42 +0000'),
  },
  {
    name: 'Object PUT',
    request: {
      method: 'PUT',
      headers: { host: 'johnsmith.s3.amazonaws.com', 'content-type': 'image/jpeg', 'content-length': '94328', date: 'Tue, 27 Mar 2007 21:15:45 +0000' },
      query: [],
      resourcePaths: ['/johnsmith/photos/puppy.jpg'],
    },
    stringToSign: 'PUT\n\nimage/jpeg\nTue, 27 Mar 2007 21:15:45 +0000\n/johnsmith/photos/puppy.jpg',
    signature: 'MyyxeRY7whkBe+bq8fHCL/2kKUg=',
    at: at('Tue, 27 Mar 2007 21:15:45 +0000'),
  },
  {
    name: 'List (unsigned listing parameters)',
    request: {
      method: 'GET',
      headers: { host: 'johnsmith.s3.amazonaws.com', 'user-agent': 'Mozilla/5.0', date: 'Tue, 27 Mar 2007 19:42:41 +0000' },
      query: [['prefix', 'photos'], ['max-keys', '50'], ['marker', 'puppy']],
      resourcePaths: ['/johnsmith/'],
    },
    stringToSign: 'GET\n\n\nTue, 27 Mar 2007 19:42:41 +0000\n/johnsmith/',
    signature: 'htDYFYduRNen8P9ZfE/s9SuKy0U=',
    at: at('Tue, 27 Mar 2007 19:42:41 +0000'),
  },
  {
    name: 'Fetch (?acl subresource)',
    request: { method: 'GET', headers: { host: 'johnsmith.s3.amazonaws.com', date: 'Tue, 27 Mar 2007 19:44:46 +0000' }, query: [['acl', '']], resourcePaths: ['/johnsmith/'] },
    stringToSign: 'GET\n\n\nTue, 27 Mar 2007 19:44:46 +0000\n/johnsmith/?acl',
    signature: 'c2WLPFtWHVgbEmeEG93a4cG37dM=',
    at: at('Tue, 27 Mar 2007 19:44:46 +0000'),
  },
  {
    // AWS's example signs the x-amz-date value in the Date line (its text describes the other form, tested below).
    name: 'Delete (path style, x-amz-date over Date)',
    request: {
      method: 'DELETE',
      headers: { host: 's3.amazonaws.com', 'user-agent': 'dotnet', date: 'Tue, 27 Mar 2007 21:20:27 +0000', 'x-amz-date': 'Tue, 27 Mar 2007 21:20:26 +0000' },
      query: [],
      resourcePaths: ['/johnsmith/photos/puppy.jpg'],
    },
    stringToSign: 'DELETE\n\n\n\nx-amz-date:Tue, 27 Mar 2007 21:20:26 +0000\n/johnsmith/photos/puppy.jpg',
    signature: 'lx3byBScXR6KzyMaifNkardMwNk=',
    at: at('Tue, 27 Mar 2007 21:20:26 +0000'),
  },
  {
    name: 'Upload (CNAME bucket, x-amz-* headers, Content-MD5)',
    request: {
      method: 'PUT',
      headers: {
        host: 'static.johnsmith.net:8080',
        date: 'Tue, 27 Mar 2007 21:06:08 +0000',
        'x-amz-acl': 'public-read',
        'content-type': 'application/x-download',
        'content-md5': '4gJE4saaMU4BqNR0kLY+lw==',
        'x-amz-meta-reviewedby': 'joe@johnsmith.net,jane@johnsmith.net',
        'x-amz-meta-filechecksum': '0x02661779',
        'x-amz-meta-checksumalgorithm': 'crc32',
        'content-disposition': 'attachment; filename=database.dat',
        'content-encoding': 'gzip',
        'content-length': '5913339',
      },
      query: [],
      resourcePaths: ['/static.johnsmith.net/db-backup.dat.gz'],
    },
    stringToSign:
      'PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\nTue, 27 Mar 2007 21:06:08 +0000\n' +
      'x-amz-acl:public-read\nx-amz-meta-checksumalgorithm:crc32\nx-amz-meta-filechecksum:0x02661779\n' +
      'x-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n/static.johnsmith.net/db-backup.dat.gz',
    signature: 'ilyl83RwaSoYIEdixDQcA4OnAnc=',
    at: at('Tue, 27 Mar 2007 21:06:08 +0000'),
  },
  {
    name: 'List all my buckets',
    request: { method: 'GET', headers: { host: 's3.us-west-1.amazonaws.com', date: 'Wed, 28 Mar 2007 01:29:59 +0000' }, query: [], resourcePaths: ['/'] },
    stringToSign: 'GET\n\n\nWed, 28 Mar 2007 01:29:59 +0000\n/',
    signature: 'qGdzdERIC03wnaRNKh6OqZehG9s=',
    at: at('Wed, 28 Mar 2007 01:29:59 +0000'),
  },
  {
    name: 'Unicode keys (the path as sent, its encoding untouched)',
    request: { method: 'GET', headers: { host: 's3.us-west-1.amazonaws.com', date: 'Wed, 28 Mar 2007 01:49:49 +0000' }, query: [], resourcePaths: ['/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re'] },
    stringToSign: 'GET\n\n\nWed, 28 Mar 2007 01:49:49 +0000\n/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re',
    signature: 'DNEZGsoieTZ92F3bUfSPQcbGmlM=',
    at: at('Wed, 28 Mar 2007 01:49:49 +0000'),
  },
];

const headerSig = (signature: string) => {
  const parsed = parseSigV2Header(`AWS ${ACCESS}:${signature}`);
  assert.ok(parsed.ok);
  return parsed.sigv2;
};

const authRequest = (e: Example, signature: string, now = e.at): AuthRequest => ({
  method: e.request.method,
  paths: [],
  query: e.request.query,
  headers: { ...e.request.headers, authorization: `AWS ${ACCESS}:${signature}` },
  now,
  target: { route: { style: 'path', bucket: 'johnsmith', key: 'photos/puppy.jpg' }, rawPath: e.request.resourcePaths[0] ?? '/' },
});

const code = (c: string, message?: string) => (e: unknown) => e instanceof CosError && e.code === c && (message === undefined || e.message === message);

describe('AWS SigV2 examples (RESTAuthentication)', () => {
  for (const e of EXAMPLES) {
    it(`${e.name}: the signature verifies`, () => {
      assert.deepEqual(verifySigV2(headerSig(e.signature), SECRET, e.request), { ok: true });
    });
    it(`${e.name}: a changed signature byte reports the StringToSign`, () => {
      const wrong = `${e.signature.startsWith('A') ? 'B' : 'A'}${e.signature.slice(1)}`;
      assert.deepEqual(verifySigV2(headerSig(wrong), SECRET, e.request), { ok: false, stringToSign: e.stringToSign });
    });
    it(`${e.name}: authenticate() accepts it at its date, not 15 minutes and a second off`, async () => {
      assert.equal((await authenticate(authRequest(e, e.signature), keyring)).scheme, 'sigv2');
      await assert.rejects(authenticate(authRequest(e, e.signature, e.at + 901), keyring), code('RequestTimeTooSkewed'));
      await assert.rejects(authenticate(authRequest(e, e.signature, e.at - 901), keyring), code('RequestTimeTooSkewed'));
    });
  }

  it('x-amz-date signed among the amz headers with an empty Date line (botocore, boto, Ceph)', () => {
    const e = EXAMPLES.find((x) => x.name.startsWith('Delete'));
    assert.ok(e);
    // DELETE\n\n\n\nx-amz-date:Tue, 27 Mar 2007 21:20:26 +0000\n/johnsmith/photos/puppy.jpg
    assert.deepEqual(verifySigV2(headerSig('R4dJ53KECjStyBO5iTBJZ4XVOaI='), SECRET, e.request), { ok: true });
  });

  it('query-string authentication (the presigned GET example), until Expires', async () => {
    const query: [string, string][] = [
      ['AWSAccessKeyId', ACCESS],
      ['Expires', '1175139620'],
      ['Signature', 'NpgCjnDzrM+WFzoENXmpNDUsSn8='],
    ];
    const request = (now: number): AuthRequest => ({
      method: 'GET',
      paths: [],
      query,
      headers: { host: 'johnsmith.s3.amazonaws.com' },
      now,
      target: { route: { style: 'path', bucket: 'johnsmith', key: 'photos/puppy.jpg' }, rawPath: '/johnsmith/photos/puppy.jpg' },
    });
    assert.equal((await authenticate(request(1175139620), keyring)).scheme, 'sigv2');
    await assert.rejects(authenticate(request(1175139621), keyring), code('AccessDenied', 'Request has expired'));
    // The same URL for another key, bucket or method does not verify.
    for (const other of [
      { ...request(1175139000), target: { route: { style: 'path' as const, bucket: 'johnsmith', key: 'photos/kitten.jpg' }, rawPath: '/johnsmith/photos/kitten.jpg' } },
      { ...request(1175139000), target: { route: { style: 'path' as const, bucket: 'janedoe', key: 'photos/puppy.jpg' }, rawPath: '/janedoe/photos/puppy.jpg' } },
      { ...request(1175139000), method: 'DELETE' },
      { ...request(1175139000), query: [...query, ['acl', '']] as [string, string][] },
    ]) {
      await assert.rejects(authenticate(other, keyring), code('SignatureDoesNotMatch'));
    }
  });
});

describe('authenticate() SigV2 rules', () => {
  const get = EXAMPLES[0];
  assert.ok(get);

  it('refuses an x-cos-* header, which no SigV2 signature covers', async () => {
    const r = authRequest(get, get.signature);
    await assert.rejects(authenticate({ ...r, headers: { ...r.headers, 'x-cos-acl': 'public-read' } }, keyring), code('AccessDenied', 'There were headers present in the request which were not signed'));
  });
  it('an added x-amz-* header or subresource breaks the signature', async () => {
    const r = authRequest(get, get.signature);
    await assert.rejects(authenticate({ ...r, headers: { ...r.headers, 'x-amz-acl': 'public-read' } }, keyring), code('SignatureDoesNotMatch'));
    await assert.rejects(authenticate({ ...r, query: [['tagging', '']] }, keyring), code('SignatureDoesNotMatch'));
  });
  it('needs a Date or x-amz-date', async () => {
    const r = authRequest(get, get.signature);
    await assert.rejects(authenticate({ ...r, headers: { host: 'johnsmith.s3.amazonaws.com', authorization: `AWS ${ACCESS}:${get.signature}` } }, keyring), code('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header'));
  });
  it('an unreadable, empty or pre-epoch x-amz-date is AccessDenied; one far ahead RequestTimeTooSkewed (as s3-tests expects)', async () => {
    const r = authRequest(get, get.signature);
    for (const date of ['Bad Date', '', 'Tue, 07 Jul 1950 21:53:04 GMT']) {
      await assert.rejects(authenticate({ ...r, headers: { ...r.headers, 'x-amz-date': date } }, keyring), code('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header'));
    }
    await assert.rejects(authenticate({ ...r, headers: { ...r.headers, 'x-amz-date': 'Tue, 07 Jul 9999 21:53:04 GMT' } }, keyring), code('RequestTimeTooSkewed'));
  });
  it('InvalidAccessKeyId for an unknown key; InvalidArgument for a malformed header', async () => {
    const r = authRequest(get, get.signature);
    await assert.rejects(authenticate({ ...r, headers: { ...r.headers, authorization: `AWS AKIDnobody:${get.signature}` } }, keyring), code('InvalidAccessKeyId'));
    await assert.rejects(authenticate({ ...r, headers: { ...r.headers, authorization: `AWS ${ACCESS}` } }, keyring), code('InvalidArgument'));
  });
  it('a presigned URL needs all three parameters and a numeric Expires', async () => {
    const r = { ...authRequest(get, get.signature), headers: { host: 'johnsmith.s3.amazonaws.com' } };
    await assert.rejects(authenticate({ ...r, query: [['AWSAccessKeyId', ACCESS], ['Signature', 'x']] }, keyring), code('AccessDenied'));
    await assert.rejects(authenticate({ ...r, query: [['AWSAccessKeyId', ACCESS], ['Signature', 'x'], ['Expires', 'soon']] }, keyring), code('AccessDenied'));
  });
  it('is refused where the request has no target (the admin endpoint)', async () => {
    const { target: _, ...r } = authRequest(get, get.signature);
    await assert.rejects(authenticate(r, keyring), code('AccessDenied'));
  });
});

describe('resourcePaths', () => {
  it('puts the bucket in front of a virtual-hosted path and keeps the encoding as sent', () => {
    assert.deepEqual(resourcePaths({ style: 'virtual', bucket: 'b-125', key: 'a b' }, '/a%20b'), ['/b-125/a%20b']);
    assert.deepEqual(resourcePaths({ style: 'path', bucket: 'b-125', key: 'a b' }, '/b-125/a%20b'), ['/b-125/a%20b']);
  });
  it('takes a bucket-level request with or without the trailing slash (botocore signs `/bucket/`)', () => {
    assert.deepEqual(resourcePaths({ style: 'path', bucket: 'b-125' }, '/b-125'), ['/b-125', '/b-125/']);
    assert.deepEqual(resourcePaths({ style: 'virtual', bucket: 'b-125' }, '/'), ['/b-125/', '/b-125']);
    assert.deepEqual(resourcePaths({ style: 'service' }, '/'), ['/']);
  });
});

describe('canonicalResource', () => {
  it('keeps signed subresources and response-* overrides, sorted by name, values decoded; drops the rest', () => {
    const query: [string, string][] = [
      ['versionId', 'v 1/2'],
      ['response-content-type', 'text/plain'],
      ['prefix', 'a'],
      ['acl', ''],
      ['list-type', '2'],
      ['select-type', '2'],
      ['select', ''],
    ];
    assert.equal(canonicalResource('/b/k', query), '/b/k?acl&response-content-type=text/plain&select&select-type=2&versionId=v 1/2');
  });
  it('carries COS subresources S3 lacks, so none can be added unsigned', () => {
    assert.equal(canonicalResource('/b/k', [['append', ''], ['position', '0']]), '/b/k?append');
  });
});
