// AWS SigV4 as S3 uses it: the examples of the S3 API reference reproduced bit-exact, cross-checks against
// @smithy/signature-v4 (what @aws-sdk/client-s3 signs with), the aws-chunked decoder and authenticate()'s errors.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { authenticate } from '../../src/auth/authenticate.ts';
import type { Keyring } from '../../src/auth/keyring.ts';
import { canonicalRequest, chunkStringToSign, credentialScope, sha256Hex, signHex, signingKey, stringToSign, EMPTY_SHA256 } from '../../src/auth/sigv4/canonical.ts';
import { AwsChunkedDecoder } from '../../src/auth/sigv4/chunked.ts';
import { CosError } from '../../src/errors/cos-error.ts';

// The credentials and date of every example in the S3 API reference (sig-v4-header-based-auth, sigv4-streaming, sigv4-query-string-auth).
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ACCESS = 'AKIAIOSFODNN7EXAMPLE';
const DATE = '20130524T000000Z';
const KEY = signingKey(SECRET, '20130524', 'us-east-1', 's3');
const SCOPE = credentialScope('20130524', 'us-east-1', 's3');
const NOW = Date.UTC(2013, 4, 24) / 1000;

const keyring: Keyring = {
  async find(id) {
    return id === ACCESS ? { secretKey: SECRET, principal: { kind: 'user', ownerUin: '1', uin: '1', appid: '125', secretId: ACCESS } } : undefined;
  },
};

describe('S3 API reference examples', () => {
  it('GET Object with Range (sig-v4-header-based-auth)', () => {
    const headers = { host: 'examplebucket.s3.amazonaws.com', range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': DATE };
    const canonical = canonicalRequest({ method: 'GET', path: '/test.txt', query: [], headers, signedHeaders: Object.keys(headers), payloadHash: EMPTY_SHA256 });
    assert.equal(signHex(KEY, stringToSign(DATE, SCOPE, canonical)), 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });

  it('presigned GET Object (sigv4-query-string-auth)', () => {
    const query: [string, string][] = [
      ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
      ['X-Amz-Credential', `${ACCESS}/${SCOPE}`],
      ['X-Amz-Date', DATE],
      ['X-Amz-Expires', '86400'],
      ['X-Amz-SignedHeaders', 'host'],
    ];
    const canonical = canonicalRequest({ method: 'GET', path: '/test.txt', query, headers: { host: 'examplebucket.s3.amazonaws.com' }, signedHeaders: ['host'], payloadHash: 'UNSIGNED-PAYLOAD' });
    assert.equal(signHex(KEY, stringToSign(DATE, SCOPE, canonical)), 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });

  // PUT of 66560 bytes of 'a' in chunks of 65536 and 1024 (sigv4-streaming).
  const streamingHeaders = {
    'content-encoding': 'aws-chunked',
    'content-length': '66824',
    host: 's3.amazonaws.com',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'x-amz-date': DATE,
    'x-amz-decoded-content-length': '66560',
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
  };
  const SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
  const CHUNK_SIGNATURES = [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ];
  const chunks = [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'a'), Buffer.alloc(0)];
  const encoded = Buffer.concat(chunks.flatMap((c, i) => [Buffer.from(`${c.length.toString(16)};chunk-signature=${CHUNK_SIGNATURES[i]}\r\n`), c, Buffer.from('\r\n')]));

  it('chunked PUT: seed signature and each chunk signature (sigv4-streaming)', () => {
    const canonical = canonicalRequest({ method: 'PUT', path: '/examplebucket/chunkObject.txt', query: [], headers: streamingHeaders, signedHeaders: Object.keys(streamingHeaders), payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' });
    assert.equal(signHex(KEY, stringToSign(DATE, SCOPE, canonical)), SEED);
    let previous = SEED;
    for (const [i, chunk] of chunks.entries()) {
      previous = signHex(KEY, chunkStringToSign(DATE, SCOPE, previous, sha256Hex(chunk)));
      assert.equal(previous, CHUNK_SIGNATURES[i]);
    }
    assert.equal(encoded.length, 66824, 'Content-Length of the example');
  });

  const decoder = (): AwsChunkedDecoder =>
    new AwsChunkedDecoder({ chain: { key: KEY, scope: SCOPE, amzDate: DATE, seed: SEED }, trailer: undefined, checksum: undefined, decodedLength: 66560 });

  it('the decoder passes the example body through in odd-sized pieces', async () => {
    const pieces = [encoded.subarray(0, 7), encoded.subarray(7, 90), encoded.subarray(90, 70000), encoded.subarray(70000)];
    const out = await text(Readable.from(pieces).pipe(decoder()));
    assert.equal(out, 'a'.repeat(66560));
  });

  it('the decoder stops a body with one flipped data byte with SignatureDoesNotMatch', async () => {
    const bad = Buffer.from(encoded);
    bad[30000] = 0x62;
    await assert.rejects(text(Readable.from([bad]).pipe(decoder())), (e: unknown) => e instanceof CosError && e.code === 'SignatureDoesNotMatch');
  });

  it('the decoder refuses a truncated body with IncompleteBody', async () => {
    await assert.rejects(text(Readable.from([encoded.subarray(0, 66000)]).pipe(decoder())), (e: unknown) => e instanceof CosError && e.code === 'IncompleteBody');
  });
});

describe('cross-check with @smithy/signature-v4 (the signer inside @aws-sdk/client-s3)', () => {
  const signer = new SignatureV4({
    credentials: { accessKeyId: ACCESS, secretAccessKey: SECRET },
    region: 'ap-guangzhou',
    service: 's3',
    // The signer's hash constructor: with a secret it is the HMAC.
    sha256: class {
      #h: Hash | Hmac;
      constructor(secret?: Uint8Array | string) {
        this.#h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
      }
      update(d: Uint8Array | string): void {
        this.#h.update(d);
      }
      async digest(): Promise<Uint8Array> {
        return this.#h.digest();
      }
    } as never,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const cases: Array<{ name: string; path: string; encodedPath: string; query: Record<string, string> }> = [
    { name: 'plain key', path: '/bucket-1250000000/a.txt', encodedPath: '/bucket-1250000000/a.txt', query: {} },
    { name: 'key with spaces, unicode and reserved characters', path: "/bucket-1250000000/dir/a b+c(1)!'*~é.txt", encodedPath: '/bucket-1250000000/dir/a%20b%2Bc%281%29%21%27%2A~%C3%A9.txt', query: {} },
    { name: 'list query with empty and encoded values', path: '/bucket-1250000000', encodedPath: '/bucket-1250000000', query: { 'list-type': '2', prefix: 'a b/', 'start-after': 'x=y&z', delimiter: '/' } },
  ];
  for (const c of cases) {
    it(`${c.name}: authenticate() accepts what the SDK signs`, async () => {
      const signed = await signer.sign(
        { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: c.encodedPath, query: c.query, headers: { host: '127.0.0.1:9000', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
        { signingDate: new Date(NOW * 1000) },
      );
      const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
      const result = await authenticate({ method: 'GET', paths: [c.path], query: Object.entries(c.query), headers, now: NOW + 60 }, keyring);
      assert.equal(result.scheme, 'sigv4');
      assert.equal(result.principal.kind, 'user');
    });
  }

  it('a presigned URL from the SDK signer is accepted until X-Amz-Expires passes, then AccessDenied "Request has expired"', async () => {
    const presigned = await signer.presign(
      { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: '/bucket-1250000000/k', query: {}, headers: { host: '127.0.0.1:9000', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      { signingDate: new Date(NOW * 1000), expiresIn: 300 },
    );
    const query = Object.entries(presigned.query ?? {}).map(([k, v]) => [k, String(v)] as const);
    const request = (now: number) => authenticate({ method: 'GET', paths: ['/bucket-1250000000/k'], query, headers: { host: '127.0.0.1:9000' }, now }, keyring);
    assert.equal((await request(NOW + 300)).principal.kind, 'user');
    await assert.rejects(request(NOW + 301), (e: unknown) => e instanceof CosError && e.code === 'AccessDenied' && e.message === 'Request has expired');
  });
});

describe('authenticate() SigV4 errors', () => {
  const base = (authorization: string, extra: Record<string, string> = {}) => ({
    method: 'GET',
    paths: ['/test.txt'],
    query: [] as [string, string][],
    headers: { host: 'examplebucket.s3.amazonaws.com', range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': DATE, authorization, ...extra },
    now: NOW,
  });
  const good = `AWS4-HMAC-SHA256 Credential=${ACCESS}/${SCOPE}, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41`;
  const code = (c: string) => (e: unknown) => e instanceof CosError && e.code === c;

  it('accepts the reference example', async () => {
    assert.equal((await authenticate(base(good), keyring)).principal.kind, 'user');
  });
  it('SignatureDoesNotMatch carries CanonicalRequest and StringToSign', async () => {
    await assert.rejects(authenticate(base(good, { range: 'bytes=0-10' }), keyring), (e: unknown) => {
      assert.ok(e instanceof CosError && e.code === 'SignatureDoesNotMatch');
      const fields = new Map(e.fields);
      assert.match(fields.get('CanonicalRequest') ?? '', /^GET\n\/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-10\n/);
      assert.match(fields.get('StringToSign') ?? '', /^AWS4-HMAC-SHA256\n20130524T000000Z\n20130524\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/);
      return true;
    });
  });
  it('AuthorizationHeaderMalformed for a missing SignedHeaders or a non-s3 service', async () => {
    await assert.rejects(authenticate(base(good.replace(/SignedHeaders=[^,]*, /, '')), keyring), code('AuthorizationHeaderMalformed'));
    await assert.rejects(authenticate(base(good.replace('/s3/', '/ec2/')), keyring), code('AuthorizationHeaderMalformed'));
  });
  it('InvalidAccessKeyId for an unknown key', async () => {
    await assert.rejects(authenticate(base(good.replace(ACCESS, 'AKIDunknown')), keyring), code('InvalidAccessKeyId'));
  });
  it('RequestTimeTooSkewed beyond 15 minutes', async () => {
    await assert.rejects(authenticate({ ...base(good), now: NOW + 901 }, keyring), code('RequestTimeTooSkewed'));
  });
  it('--strict-cos-s3 refuses aws-chunked with NotImplemented before anything else', async () => {
    await assert.rejects(authenticate(base(good, { 'content-encoding': 'aws-chunked' }), keyring, { strictCosS3: true }), code('NotImplemented'));
  });
  it('AccessDenied naming an x-amz-* header that SignedHeaders leaves out, as S3 answers', async () => {
    await assert.rejects(authenticate(base(good, { 'x-amz-acl': 'public-read' }), keyring), (e: unknown) => {
      assert.ok(e instanceof CosError && e.code === 'AccessDenied');
      assert.equal(e.message, 'There were headers present in the request which were not signed');
      assert.deepEqual(e.fields, [['HeadersNotSigned', 'x-amz-acl']]);
      return true;
    });
  });
  it('a path-style request signed over /<key> alone names no bucket: refused, or unbound when allowed (#15.7)', async () => {
    // The reference example signs /test.txt; as a path-style request that is /examplebucket/test.txt.
    const pathStyle = { ...base(good), paths: ['/examplebucket/test.txt'], unboundPaths: ['/test.txt'] };
    await assert.rejects(authenticate(pathStyle, keyring), code('SignatureDoesNotMatch'));
    assert.equal((await authenticate(pathStyle, keyring, { strictCosS3: false, allowUnboundSignatures: true })).unbound, true);
  });
});
