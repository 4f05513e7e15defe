// COS q-sign test vectors (spec/signature.md §7) reproduced bit-exact, plus authenticate()'s error contract.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { authenticate, type AuthRequest } from '../../src/auth/authenticate.ts';
import type { KeyEntry, Keyring } from '../../src/auth/keyring.ts';
import { cosEncode, httpString, sign, signKey, stringToSign } from '../../src/auth/qsign/canonical.ts';
import { hasQueryAuth, parseAuthorizationHeader, parseQueryAuth, type QSign } from '../../src/auth/qsign/parse.ts';
import { verifyQSign } from '../../src/auth/qsign/verify.ts';
import { CosError } from '../../src/errors/cos-error.ts';
import { parseQuery } from '../../src/http/query.ts';
import { resolveRoute, signedPaths } from '../../src/routing/resolve.ts';
import { authorization } from '../helpers/sign.ts';

// ---------------------------------------------------------------------------------------------
// Data: the vectors exactly as printed in spec/signature.md §7 (wire form of each request).
// ---------------------------------------------------------------------------------------------

interface Vector {
  name: string;
  /** The official page does not print a SecretId; it is not part of the signature. */
  secretId: string;
  secretKey: string;
  keyTime: string;
  method: string;
  /** Path as sent on the wire (percent-encoded). */
  rawPath: string;
  /** Query as sent on the wire, without `?`. */
  rawQuery: string;
  /** Headers as received (lower-cased names), signed or not. */
  headers: Readonly<Record<string, string>>;
  /** `q-header-list` / `q-url-param-list` values. */
  headerList: string;
  urlParamList: string;
  expect: {
    decodedPath: string;
    signKey?: string;
    httpParameters?: string;
    httpHeaders?: string;
    formatString?: string;
    sha1?: string;
    stringToSign?: string;
    signature: string;
    authorization?: string;
  };
}

const OFFICIAL_SECRET_KEY = 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz';
const OFFICIAL_HOST = 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com';
const GZ_HOST = 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com';
const A_ID = 'AKIDcosSpecVectorExampleId0000000001';
const A_KEY = 'cosSpecVectorExampleSecretKey00001';
const B_ID = 'AKIDcosSpecVectorTmpId00000000000002';
const B_KEY = 'cosSpecVectorTmpSecretKey000000002';
const A_GRANT = 'id="qcs::cam::uin/100000000001:uin/100000000011",id="qcs::cam::uin/100000000002:uin/100000000002"';
const A_HTTP_HEADERS =
  'content-length=0&host=examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com&x-cos-acl=public-read&x-cos-grant-read=id%3D%22qcs%3A%3Acam%3A%3Auin%2F100000000001%3Auin%2F100000000011%22%2Cid%3D%22qcs%3A%3Acam%3A%3Auin%2F100000000002%3Auin%2F100000000002%22';

const VECTORS: readonly Vector[] = [
  {
    name: 'official PUT /exampleobject(腾讯云)',
    secretId: 'AKIDofficialExampleSecretIdNotPrinted',
    secretKey: OFFICIAL_SECRET_KEY,
    keyTime: '1557989151;1557996351',
    method: 'PUT',
    rawPath: '/exampleobject(%E8%85%BE%E8%AE%AF%E4%BA%91)',
    rawQuery: '',
    headers: {
      'content-length': '13',
      'content-md5': 'mQ/fVh815F3k6TAUm8m0eg==',
      'content-type': 'text/plain',
      date: 'Thu, 16 May 2019 06:45:51 GMT',
      host: OFFICIAL_HOST,
      'x-cos-acl': 'private',
      'x-cos-grant-read': 'uin="100000000011"',
    },
    headerList: 'content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read',
    urlParamList: '',
    expect: {
      decodedPath: '/exampleobject(腾讯云)',
      signKey: 'eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f',
      sha1: '8b2751e77f43a0995d6e9eb9477f4b685cca4172',
      signature: '3b8851a11a569213c17ba8fa7dcf2abec6935172',
    },
  },
  {
    name: 'official GET /exampleobject(腾讯云) with response-* params',
    secretId: 'AKIDofficialExampleSecretIdNotPrinted',
    secretKey: OFFICIAL_SECRET_KEY,
    keyTime: '1557989753;1557996953',
    method: 'GET',
    rawPath: '/exampleobject(%E8%85%BE%E8%AE%AF%E4%BA%91)',
    rawQuery: 'response-content-type=application%2Foctet-stream&response-cache-control=max-age%3D600',
    headers: { date: 'Thu, 16 May 2019 06:55:53 GMT', host: OFFICIAL_HOST },
    headerList: 'date;host',
    urlParamList: 'response-cache-control;response-content-type',
    expect: {
      decodedPath: '/exampleobject(腾讯云)',
      signKey: '937914bf490e9e8c189836aad2052e4feeb35eaf',
      sha1: '54ecfe22f59d3514fdc764b87a32d8133ea611e6',
      signature: '01681b8c9d798a678e43b685a9f1bba0f6c0e012',
    },
  },
  {
    name: 'A: PUT Object acl with versionId',
    secretId: A_ID,
    secretKey: A_KEY,
    keyTime: '1700000000;1700000900',
    method: 'PUT',
    rawPath: '/docs/%E6%8A%A5%E5%91%8A%202024%20%28final%29.txt',
    rawQuery: 'acl=&versionId=MTg0NDUxNTc1NjIzMTQ1MDAwODg',
    headers: { host: GZ_HOST, 'content-length': '0', 'x-cos-acl': 'public-read', 'x-cos-grant-read': A_GRANT },
    headerList: 'content-length;host;x-cos-acl;x-cos-grant-read',
    urlParamList: 'acl;versionid',
    expect: {
      decodedPath: '/docs/报告 2024 (final).txt',
      signKey: '24e9537611ac1d8bff799f6db42a72b061588f54',
      httpParameters: 'acl=&versionid=MTg0NDUxNTc1NjIzMTQ1MDAwODg',
      httpHeaders: A_HTTP_HEADERS,
      formatString: `put\n/docs/报告 2024 (final).txt\nacl=&versionid=MTg0NDUxNTc1NjIzMTQ1MDAwODg\n${A_HTTP_HEADERS}\n`,
      sha1: '211d87ff7e5439fb8e7a839fa2bda12c68e0a88c',
      stringToSign: 'sha1\n1700000000;1700000900\n211d87ff7e5439fb8e7a839fa2bda12c68e0a88c\n',
      signature: 'f509f2c36e818115c1e2cd965005a57c03c3c782',
      authorization:
        'q-sign-algorithm=sha1&q-ak=AKIDcosSpecVectorExampleId0000000001&q-sign-time=1700000000;1700000900&q-key-time=1700000000;1700000900&q-header-list=content-length;host;x-cos-acl;x-cos-grant-read&q-url-param-list=acl;versionid&q-signature=f509f2c36e818115c1e2cd965005a57c03c3c782',
    },
  },
  {
    name: 'B: GET Bucket with an unsigned temporary token header (Node style)',
    secretId: B_ID,
    secretKey: B_KEY,
    keyTime: '1700003600;1700007200',
    method: 'GET',
    rawPath: '/',
    rawQuery: 'prefix=photos%2F2024%2F&delimiter=%2F&max-keys=100&encoding-type=url',
    headers: { host: GZ_HOST, 'x-cos-security-token': 'TOKEN-B-NOT-SIGNED' },
    headerList: 'host',
    urlParamList: 'delimiter;encoding-type;max-keys;prefix',
    expect: {
      decodedPath: '/',
      signKey: '5767d759e1e667865c2761581d8ddd2a0011c7fc',
      httpParameters: 'delimiter=%2F&encoding-type=url&max-keys=100&prefix=photos%2F2024%2F',
      httpHeaders: `host=${GZ_HOST}`,
      formatString: `get\n/\ndelimiter=%2F&encoding-type=url&max-keys=100&prefix=photos%2F2024%2F\nhost=${GZ_HOST}\n`,
      sha1: 'd58f51ff5617e0c370e074679e5ca1c1973621a1',
      signature: 'f3818d6f2e89a4bebbf040159626b4899499ee6d',
    },
  },
  {
    name: 'C: presigned GET with a signed response-content-disposition',
    secretId: B_ID,
    secretKey: B_KEY,
    keyTime: '1700003600;1700007200',
    method: 'GET',
    rawPath: '/photos/cat.jpg',
    rawQuery: 'response-content-disposition=attachment%3B%20filename%3D%22cat.jpg%22',
    headers: { host: GZ_HOST },
    headerList: 'host',
    urlParamList: 'response-content-disposition',
    expect: {
      decodedPath: '/photos/cat.jpg',
      httpParameters: 'response-content-disposition=attachment%3B%20filename%3D%22cat.jpg%22',
      sha1: 'ddd3112eabb1cb85ecd111199dc62853bb57b172',
      signature: 'f9b8aeba36fcd578aedca2dd81109696b087709f',
    },
  },
  {
    name: 'D: Python form-encoded space and signed token',
    secretId: A_ID,
    secretKey: A_KEY,
    keyTime: '1700000000;1700000900',
    method: 'GET',
    rawPath: '/',
    rawQuery: 'prefix=my+photos%2F2024%2Bx&max-keys=10',
    headers: { host: GZ_HOST, 'x-cos-security-token': 'tok/en+1==' },
    headerList: 'host;x-cos-security-token',
    urlParamList: 'max-keys;prefix',
    expect: {
      decodedPath: '/',
      // Same SecretKey and KeyTime as vector A.
      signKey: '24e9537611ac1d8bff799f6db42a72b061588f54',
      httpParameters: 'max-keys=10&prefix=my%20photos%2F2024%2Bx',
      httpHeaders: `host=${GZ_HOST}&x-cos-security-token=tok%2Fen%2B1%3D%3D`,
      formatString: `get\n/\nmax-keys=10&prefix=my%20photos%2F2024%2Bx\nhost=${GZ_HOST}&x-cos-security-token=tok%2Fen%2B1%3D%3D\n`,
      sha1: '59efe0c706ed26d88ae013afa3d065c38bf924b4',
      signature: '63daaace27656bc9798be506d8d9b75995a64fa6',
    },
  },
  {
    name: 'E: Python SDK against http://LocalHost:9000 (host signed without port)',
    secretId: A_ID,
    secretKey: A_KEY,
    keyTime: '1700000000;1700000900',
    method: 'GET',
    rawPath: '/a.txt',
    rawQuery: 'acl=',
    headers: { host: 'localhost:9000' },
    headerList: 'host',
    urlParamList: 'acl',
    expect: {
      decodedPath: '/a.txt',
      formatString: 'get\n/a.txt\nacl=\nhost=localhost\n',
      signature: 'f5d5b3d132420186f713e2658eff05db24015bc9',
    },
  },
];

/** Vector C as the two presigned URLs of spec §7.3 (the Node one carries an unsigned token). */
const PRESIGNED_C: ReadonlyArray<{ name: string; url: string }> = [
  {
    name: 'Node style (raw `;`, unsigned x-cos-security-token)',
    url: '/photos/cat.jpg?q-sign-algorithm=sha1&q-ak=AKIDcosSpecVectorTmpId00000000000002&q-sign-time=1700003600;1700007200&q-key-time=1700003600;1700007200&q-header-list=host&q-url-param-list=response-content-disposition&q-signature=f9b8aeba36fcd578aedca2dd81109696b087709f&x-cos-security-token=TOKEN123&response-content-disposition=attachment%3B%20filename%3D%22cat.jpg%22',
  },
  {
    name: 'Python style (`%3B`, no token)',
    url: '/photos/cat.jpg?q-sign-algorithm=sha1&q-ak=AKIDcosSpecVectorTmpId00000000000002&q-sign-time=1700003600%3B1700007200&q-key-time=1700003600%3B1700007200&q-header-list=host&q-url-param-list=response-content-disposition&q-signature=f9b8aeba36fcd578aedca2dd81109696b087709f&response-content-disposition=attachment%3B%20filename%3D%22cat.jpg%22',
  },
];

/** E(s) of spec §2: only `A-Z a-z 0-9 - _ . ~` survive; upper-case hex; UTF-8. */
const COS_ENCODE: ReadonlyArray<readonly [string, string]> = [
  ['AZaz09-_.~', 'AZaz09-_.~'],
  [' ', '%20'],
  ["!'()*", '%21%27%28%29%2A'],
  ['/:;=&,+"', '%2F%3A%3B%3D%26%2C%2B%22'],
  ['报告', '%E6%8A%A5%E5%91%8A'],
  ['a%b', 'a%25b'],
  ['', ''],
];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const sha1Hex = (s: string): string => createHash('sha1').update(s, 'utf8').digest('hex');
const split = (list: string): string[] => list.split(';').filter(Boolean);
const ROUTING = { domains: ['myqcloud.com', 'tencentcos.cn', 'localhost'] } as const;

function formatStringOf(v: Vector, overrides: { query?: ReadonlyArray<readonly [string, string]>; host?: string } = {}): string {
  return httpString({
    method: v.method,
    path: decodeURIComponent(v.rawPath),
    query: overrides.query ?? parseQuery(v.rawQuery),
    headers: { ...v.headers, ...(overrides.host !== undefined && { host: overrides.host }) },
    headerList: split(v.headerList),
    urlParamList: split(v.urlParamList),
  });
}

function authorizationOf(v: Vector, signature = v.expect.signature): string {
  return [
    'q-sign-algorithm=sha1',
    `q-ak=${v.secretId}`,
    `q-sign-time=${v.keyTime}`,
    `q-key-time=${v.keyTime}`,
    `q-header-list=${v.headerList}`,
    `q-url-param-list=${v.urlParamList}`,
    `q-signature=${signature}`,
  ].join('&');
}

function parsed(result: ReturnType<typeof parseAuthorizationHeader>): QSign {
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.qsign;
}

function vector(prefix: string): Vector {
  const v = VECTORS.find((x) => x.name.startsWith(prefix));
  assert.ok(v, `vector ${prefix}`);
  return v;
}

class MemoryKeyring implements Keyring {
  readonly #keys = new Map<string, KeyEntry>();
  add(secretId: string, secretKey: string, uin: string, ownerUin = uin): this {
    this.#keys.set(secretId, { secretKey, principal: { kind: 'user', ownerUin, uin, appid: '1250000000', secretId } });
    return this;
  }
  find(secretId: string): Promise<KeyEntry | undefined> {
    return Promise.resolve(this.#keys.get(secretId));
  }
}

const keyring = (): MemoryKeyring =>
  new MemoryKeyring().add(A_ID, A_KEY, '100000000001').add(B_ID, B_KEY, '100000000011', '100000000001').add(VECTORS[0]?.secretId ?? '', OFFICIAL_SECRET_KEY, '100000000003');

/** The request as the server wires it: parseQuery -> resolveRoute -> signedPaths. */
function wireRequest(v: Vector, now: number, extraHeaders: Readonly<Record<string, string>> = {}): AuthRequest {
  const query = parseQuery(v.rawQuery);
  const headers = { ...v.headers, ...extraHeaders };
  const route = resolveRoute({ method: v.method, host: headers.host ?? '', rawPath: v.rawPath, query, headers }, ROUTING);
  return { method: v.method, ...signedPaths(route), query, headers, now };
}

function startOf(keyTime: string): number {
  return Number(keyTime.split(';')[0]);
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<CosError> {
  let caught: unknown;
  await assert.rejects(promise, (e: unknown) => {
    caught = e;
    return true;
  });
  assert.ok(caught instanceof CosError, `expected CosError, got ${String(caught)}`);
  assert.equal(caught.code, code, `${caught.code}: ${caught.message}`);
  return caught;
}

const field = (e: CosError, name: string): string | undefined => e.fields.find(([n]) => n === name)?.[1];

// ---------------------------------------------------------------------------------------------
// Pure steps
// ---------------------------------------------------------------------------------------------

describe('cosEncode (spec §2)', () => {
  for (const [input, output] of COS_ENCODE) {
    it(`E(${JSON.stringify(input)}) = ${JSON.stringify(output)}`, () => assert.equal(cosEncode(input), output));
  }
});

describe('vectors (spec §7), pure steps', () => {
  for (const v of VECTORS) {
    describe(v.name, () => {
      it('wire path decodes to the signed UriPathname', () => {
        assert.equal(decodeURIComponent(v.rawPath), v.expect.decodedPath);
      });

      const { signKey: key, httpParameters, httpHeaders, formatString, sha1, stringToSign: sts } = v.expect;
      if (key !== undefined) {
        it('SignKey', () => assert.equal(signKey(v.secretKey, v.keyTime), key));
      }
      if (httpParameters !== undefined) {
        it('HttpParameters (3rd line of the FormatString)', () => assert.equal(formatStringOf(v).split('\n')[2], httpParameters));
      }
      if (httpHeaders !== undefined) {
        it('HttpHeaders (4th line of the FormatString)', () => assert.equal(formatStringOf(v).split('\n')[3], httpHeaders));
      }
      if (formatString !== undefined && v.headers.host !== undefined && !v.name.startsWith('E')) {
        it('FormatString (HttpString)', () => assert.equal(formatStringOf(v), formatString));
      }
      if (sha1 !== undefined) {
        it('SHA1(HttpString)', () => assert.equal(sha1Hex(formatStringOf(v)), sha1));
      }
      if (sts !== undefined) {
        it('StringToSign', () => assert.equal(stringToSign(v.keyTime, formatStringOf(v)), sts));
      }
      if (!v.name.startsWith('E')) {
        it('Signature', () => assert.equal(sign(signKey(v.secretKey, v.keyTime), stringToSign(v.keyTime, formatStringOf(v))), v.expect.signature));
      }

      it('verifyQSign accepts the request with the vector signature', () => {
        const q = parsed(parseAuthorizationHeader(authorizationOf(v)));
        const result = verifyQSign(q, v.secretKey, {
          method: v.method,
          paths: [v.expect.decodedPath],
          query: parseQuery(v.rawQuery),
          headers: v.headers,
        });
        assert.deepEqual(result, { ok: true });
      });

      it('verifyQSign rejects the same request under a different SecretKey', () => {
        const q = parsed(parseAuthorizationHeader(authorizationOf(v)));
        const result = verifyQSign(q, `${v.secretKey}x`, { method: v.method, paths: [v.expect.decodedPath], query: parseQuery(v.rawQuery), headers: v.headers });
        assert.equal(result.ok, false);
      });

      it('authenticate() accepts it as the server wires it (parseQuery, resolveRoute, signedPaths)', async () => {
        const now = startOf(v.keyTime) + 1;
        const { principal } = await authenticate({ ...wireRequest(v, now), headers: { ...v.headers, authorization: authorizationOf(v) } }, keyring());
        assert.equal(principal.kind, 'user');
        assert.equal(principal.kind === 'user' && principal.secretId, v.secretId);
      });
    });
  }
});

describe('vector A: the Authorization string', () => {
  const a = vector('A');

  it('assembles to exactly the printed Authorization', () => {
    assert.equal(authorizationOf(a), a.expect.authorization);
  });

  it('parses back to its fields', () => {
    const q = parsed(parseAuthorizationHeader(a.expect.authorization ?? ''));
    assert.deepEqual(q, {
      algorithm: 'sha1',
      ak: A_ID,
      signTime: '1700000000;1700000900',
      keyTime: '1700000000;1700000900',
      start: 1700000000,
      end: 1700000900,
      headerList: ['content-length', 'host', 'x-cos-acl', 'x-cos-grant-read'],
      urlParamList: ['acl', 'versionid'],
      signature: 'f509f2c36e818115c1e2cd965005a57c03c3c782',
    });
  });

  it('parses the fields as an unordered list (spec §1)', () => {
    const shuffled = (a.expect.authorization ?? '').split('&').reverse().join('&');
    assert.deepEqual(parseAuthorizationHeader(shuffled), parseAuthorizationHeader(a.expect.authorization ?? ''));
  });

  it('a tampered signature fails and reports the FormatString and StringToSign of the vector', () => {
    const q = parsed(parseAuthorizationHeader(authorizationOf(a, 'f509f2c36e818115c1e2cd965005a57c03c3c783')));
    const result = verifyQSign(q, A_KEY, { method: 'PUT', paths: [a.expect.decodedPath], query: parseQuery(a.rawQuery), headers: a.headers });
    assert.deepEqual(result, { ok: false, stringToSign: a.expect.stringToSign, formatString: a.expect.formatString });
  });

  it('SignKey comes from q-key-time and StringToSign from q-sign-time (spec §3.1)', () => {
    const signTime = '1700000001;1700000901';
    const toSign = stringToSign(signTime, formatStringOf(a));
    const signature = sign(signKey(A_KEY, a.keyTime), toSign);
    const header = authorizationOf(a, signature).replace(`q-sign-time=${a.keyTime}`, `q-sign-time=${signTime}`);
    const q = parsed(parseAuthorizationHeader(header));
    assert.equal(q.signTime, signTime);
    assert.deepEqual(verifyQSign(q, A_KEY, { method: 'PUT', paths: [a.expect.decodedPath], query: parseQuery(a.rawQuery), headers: a.headers }), { ok: true });
  });
});

describe('vector C: presigned URLs through parseQuery + parseQueryAuth + verifyQSign', () => {
  const c = vector('C');
  for (const { name, url } of PRESIGNED_C) {
    it(name, () => {
      const at = url.indexOf('?');
      const query = parseQuery(url.slice(at + 1));
      assert.equal(hasQueryAuth(query), true);
      const q = parsed(parseQueryAuth(query));
      assert.equal(q.signTime, c.keyTime);
      assert.equal(q.keyTime, c.keyTime);
      assert.deepEqual(q.urlParamList, ['response-content-disposition']);
      const result = verifyQSign(q, B_KEY, { method: 'GET', paths: [decodeURIComponent(url.slice(0, at))], query, headers: { host: GZ_HOST } });
      assert.deepEqual(result, { ok: true });
    });

    it(`${name}: authenticate() in query mode`, async () => {
      const at = url.indexOf('?');
      const query = parseQuery(url.slice(at + 1));
      const { principal } = await authenticate({ method: 'GET', paths: [url.slice(0, at)], query, headers: { host: GZ_HOST }, now: 1700003601 }, keyring());
      assert.equal(principal.kind === 'user' && principal.secretId, B_ID);
    });

    it(`${name}: changing the signed response-* value breaks it`, () => {
      const at = url.indexOf('?');
      const query = parseQuery(url.slice(at + 1).replace('cat.jpg%22', 'dog.jpg%22'));
      const result = verifyQSign(parsed(parseQueryAuth(query)), B_KEY, { method: 'GET', paths: ['/photos/cat.jpg'], query, headers: { host: GZ_HOST } });
      assert.equal(result.ok, false);
    });
  }

  it('Node callback form with lower-case `%3b` also parses (spec §4)', () => {
    const url = PRESIGNED_C[0]?.url ?? '';
    const query = parseQuery(url.slice(url.indexOf('?') + 1).replaceAll('1700003600;1700007200', '1700003600%3b1700007200'));
    const q = parsed(parseQueryAuth(query));
    assert.deepEqual(verifyQSign(q, B_KEY, { method: 'GET', paths: ['/photos/cat.jpg'], query, headers: { host: GZ_HOST } }), { ok: true });
  });
});

describe('vector D: `+` in the query is a space (form decoding)', () => {
  const d = vector('D');
  const q = (): QSign => parsed(parseAuthorizationHeader(authorizationOf(d)));
  const verify = (query: ReadonlyArray<readonly [string, string]>): ReturnType<typeof verifyQSign> =>
    verifyQSign(q(), A_KEY, { method: 'GET', paths: ['/'], query, headers: d.headers });

  it('parseQuery turns `+` into a space and `%2B` into a plus', () => {
    assert.deepEqual(parseQuery(d.rawQuery), [
      ['prefix', 'my photos/2024+x'],
      ['max-keys', '10'],
    ]);
  });

  it('verifies with the form-decoded query', () => {
    assert.deepEqual(verify(parseQuery(d.rawQuery)), { ok: true });
  });

  it('fails when `+` is left as a plus (percent-decoding only)', () => {
    const result = verify([
      ['prefix', decodeURIComponent('my+photos%2F2024%2Bx')],
      ['max-keys', '10'],
    ]);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.formatString.split('\n')[2], 'max-keys=10&prefix=my%2Bphotos%2F2024%2Bx');
  });

  it('fails with the raw, un-decoded wire value', () => {
    const result = verify([
      ['prefix', 'my+photos%2F2024%2Bx'],
      ['max-keys', '10'],
    ]);
    assert.equal(result.ok, false);
  });
});

describe('vector E: host signed without its port', () => {
  const e = vector('E');

  it('the FormatString with the bare host is the printed one and gives the printed signature', () => {
    const fmt = formatStringOf(e, { host: 'localhost' });
    assert.equal(fmt, e.expect.formatString);
    assert.equal(sign(signKey(A_KEY, e.keyTime), stringToSign(e.keyTime, fmt)), e.expect.signature);
  });

  it('the host as received (with :9000) does not give the signature', () => {
    const fmt = formatStringOf(e);
    assert.equal(fmt, 'get\n/a.txt\nacl=\nhost=localhost%3A9000\n');
    assert.notEqual(sign(signKey(A_KEY, e.keyTime), stringToSign(e.keyTime, fmt)), e.expect.signature);
  });

  it('verifyQSign accepts it through the port-stripping fallback', () => {
    const q = parsed(parseAuthorizationHeader(authorizationOf(e)));
    assert.deepEqual(verifyQSign(q, A_KEY, { method: 'GET', paths: ['/a.txt'], query: parseQuery('acl='), headers: { host: 'localhost:9000' } }), { ok: true });
  });

  it('an upper-case host with a port (LocalHost:9000) also falls back to `localhost`', () => {
    const q = parsed(parseAuthorizationHeader(authorizationOf(e)));
    assert.deepEqual(verifyQSign(q, A_KEY, { method: 'GET', paths: ['/a.txt'], query: parseQuery('acl='), headers: { host: 'LocalHost:9000' } }), { ok: true });
  });

  it('a mismatch reports the FormatString of the host as received', () => {
    const q = parsed(parseAuthorizationHeader(authorizationOf(e, '0'.repeat(40))));
    const result = verifyQSign(q, A_KEY, { method: 'GET', paths: ['/a.txt'], query: parseQuery('acl='), headers: { host: 'localhost:9000' } });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.formatString, 'get\n/a.txt\nacl=\nhost=localhost%3A9000\n');
  });
});

describe('HttpString details (spec §3.1, §5 step 6)', () => {
  const base = { method: 'GET', path: '/', headers: {}, headerList: [] } as const;

  it('a repeated query name gives one pair per value, values sorted (Go SDK)', () => {
    const fmt = httpString({ ...base, query: [['a', '2'], ['a', '1'], ['b', 'x']], urlParamList: ['a', 'b'] });
    assert.equal(fmt, 'get\n/\na=1&a=2&b=x\n\n');
  });

  it('a listed parameter or header the request lacks contributes `name=`', () => {
    const fmt = httpString({ method: 'PUT', path: '/k', query: [], headers: {}, headerList: ['x-cos-meta-a'], urlParamList: ['acl'] });
    assert.equal(fmt, 'put\n/k\nacl=\nx-cos-meta-a=\n');
  });

  it('unlisted parameters and headers are not signed; names are lower-cased, values keep case', () => {
    const fmt = httpString({
      method: 'GET',
      path: '/k',
      query: [['versionId', 'AbC'], ['unsigned', '1']],
      headers: { host: 'h', 'x-cos-unsigned': 'v' },
      headerList: ['host'],
      urlParamList: ['versionid'],
    });
    assert.equal(fmt, 'get\n/k\nversionid=AbC\nhost=h\n');
  });

  it('empty components keep their line feeds', () => {
    assert.equal(httpString({ ...base, path: '/obj', query: [], urlParamList: [] }), 'get\n/obj\n\n\n');
  });
});

describe('parse', () => {
  it('hasQueryAuth detects q-sign-algorithm, q-ak or q-signature only', () => {
    assert.equal(hasQueryAuth([['q-sign-algorithm', 'sha1']]), true);
    assert.equal(hasQueryAuth([['q-ak', 'x']]), true);
    assert.equal(hasQueryAuth([['Q-Signature', 'x']]), true);
    assert.equal(hasQueryAuth([['q-sign-time', '1;2']]), false);
    assert.equal(hasQueryAuth([['acl', ''], ['prefix', 'q-ak']]), false);
    assert.equal(hasQueryAuth([]), false);
  });

  it('accepts empty q-header-list and q-url-param-list', () => {
    const q = parsed(parseAuthorizationHeader(`q-sign-algorithm=sha1&q-ak=x&q-sign-time=1;2&q-key-time=1;2&q-header-list=&q-url-param-list=&q-signature=${'a'.repeat(40)}`));
    assert.deepEqual([q.headerList, q.urlParamList], [[], []]);
  });

  it('accepts an upper-case algorithm name and normalises an upper-case signature', () => {
    const q = parsed(parseAuthorizationHeader(`q-sign-algorithm=SHA1&q-ak=x&q-sign-time=1;2&q-key-time=1;2&q-header-list=host&q-url-param-list=&q-signature=${'AB'.repeat(20)}`));
    assert.equal(q.signature, 'ab'.repeat(20));
  });
});

// ---------------------------------------------------------------------------------------------
// authenticate()
// ---------------------------------------------------------------------------------------------

describe('authenticate', () => {
  const a = vector('A');
  const aStart = startOf(a.keyTime);
  const aEnd = 1700000900;
  const withAuth = (value: string, now = aStart + 1, extra: Readonly<Record<string, string>> = {}): AuthRequest => {
    const req = wireRequest(a, now, extra);
    return { ...req, headers: { ...req.headers, authorization: value } };
  };
  const aAuth = a.expect.authorization ?? '';

  describe('anonymous', () => {
    const cases: ReadonlyArray<{ name: string; headers: Record<string, string>; query: Array<[string, string]> }> = [
      { name: 'no Authorization header, no query', headers: { host: GZ_HOST }, query: [] },
      { name: 'empty Authorization header (Python Anonymous=True)', headers: { host: GZ_HOST, authorization: '' }, query: [] },
      { name: 'whitespace-only Authorization header', headers: { host: GZ_HOST, authorization: '  ' }, query: [] },
      { name: 'query without q-* auth parameters', headers: { host: GZ_HOST }, query: parseQuery('acl&prefix=q-ak&versionId=1') },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const { principal } = await authenticate({ method: 'GET', paths: ['/'], query: c.query, headers: c.headers, now: aStart }, keyring());
        assert.deepEqual(principal, { kind: 'anonymous' });
      });
    }
  });

  describe('time window', () => {
    it('accepts at the last second of the window (now == end)', async () => {
      const { principal: p } = await authenticate(withAuth(aAuth, aEnd), keyring());
      assert.equal(p.kind === 'user' && p.uin, '100000000001');
    });

    it('expired: AccessDenied "Request has expired" with ServerTime', async () => {
      const now = aEnd + 1;
      const e = await rejectsWith(authenticate(withAuth(aAuth, now), keyring()), 'AccessDenied');
      assert.equal(e.message, 'Request has expired');
      assert.equal(e.status, 403);
      const serverTime = field(e, 'ServerTime');
      assert.match(serverTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(Date.parse(serverTime ?? ''), now * 1000);
    });

    it('accepts a start exactly 900 s in the future', async () => {
      const { principal: p } = await authenticate(withAuth(aAuth, aStart - 900), keyring());
      assert.equal(p.kind, 'user');
    });

    it('start more than 900 s in the future: RequestTimeTooSkewed', async () => {
      const e = await rejectsWith(authenticate(withAuth(aAuth, aStart - 901), keyring()), 'RequestTimeTooSkewed');
      assert.equal(e.status, 403);
    });

    it('the window is checked before the signature (expired and tampered is still "expired")', async () => {
      const e = await rejectsWith(authenticate(withAuth(authorizationOf(a, '0'.repeat(40)), aEnd + 10), keyring()), 'AccessDenied');
      assert.equal(e.message, 'Request has expired');
    });
  });

  it('unknown q-ak: InvalidAccessKeyId', async () => {
    const e = await rejectsWith(authenticate(withAuth(aAuth.replace(A_ID, 'AKIDnobodyHasThisKey')), keyring()), 'InvalidAccessKeyId');
    assert.equal(e.status, 403);
    assert.equal(e.message, 'The Access Key Id you provided does not exist in our records');
  });

  it('tampered signature: SignatureDoesNotMatch with the StringToSign and FormatString the server computed', async () => {
    const e = await rejectsWith(authenticate(withAuth(authorizationOf(a, 'f509f2c36e818115c1e2cd965005a57c03c3c780')), keyring()), 'SignatureDoesNotMatch');
    assert.equal(e.status, 403);
    assert.equal(e.message, 'The Signature you specified is invalid.');
    assert.equal(field(e, 'StringToSign'), a.expect.stringToSign);
    assert.equal(field(e, 'FormatString'), a.expect.formatString);
  });

  it('tampered request (signed header changed): SignatureDoesNotMatch whose FormatString shows the received value', async () => {
    const e = await rejectsWith(authenticate(withAuth(aAuth, aStart + 1, { 'x-cos-acl': 'private' }), keyring()), 'SignatureDoesNotMatch');
    const fmt = field(e, 'FormatString') ?? '';
    assert.match(fmt, /&x-cos-acl=private&/);
    assert.equal(field(e, 'StringToSign'), stringToSign(a.keyTime, fmt));
  });

  describe('malformed Authorization: AccessDenied', () => {
    const cases: ReadonlyArray<{ name: string; value: string }> = [
      { name: 'missing q-signature', value: aAuth.replace(/&q-signature=[0-9a-f]+/, '') },
      { name: 'missing q-ak', value: aAuth.replace(`q-ak=${A_ID}&`, '') },
      { name: 'missing q-header-list', value: aAuth.replace(/&q-header-list=[^&]*/, '') },
      { name: 'q-sign-algorithm=md5', value: aAuth.replace('q-sign-algorithm=sha1', 'q-sign-algorithm=md5') },
      { name: 'non-numeric q-sign-time', value: aAuth.replace('q-sign-time=1700000000;1700000900', 'q-sign-time=abc;def') },
      { name: 'q-sign-time without `;`', value: aAuth.replace('q-sign-time=1700000000;1700000900', 'q-sign-time=1700000000') },
      { name: 'bad q-key-time', value: aAuth.replace('q-key-time=1700000000;1700000900', 'q-key-time=1700000000;') },
      { name: 'start after end', value: aAuth.replaceAll('1700000000;1700000900', '1700000900;1700000000') },
      { name: 'q-signature not 40 hex digits', value: aAuth.replace(/q-signature=[0-9a-f]+/, 'q-signature=xyz') },
      { name: 'not a q-sign value at all', value: 'Bearer abc' },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const e = await rejectsWith(authenticate(withAuth(c.value, 1700000000), keyring()), 'AccessDenied');
        assert.equal(e.status, 403);
        assert.notEqual(e.message, 'Request has expired');
      });
    }
  });

  it('accepts an upper-case hex signature', async () => {
    const { principal: p } = await authenticate(withAuth(authorizationOf(a, a.expect.signature.toUpperCase())), keyring());
    assert.equal(p.kind === 'user' && p.secretId, A_ID);
  });

  it('query mode with %3B-encoded times (Python presigned URL)', async () => {
    const url = PRESIGNED_C[1]?.url ?? '';
    assert.match(url, /q-sign-time=1700003600%3B1700007200/);
    const query = parseQuery(url.slice(url.indexOf('?') + 1));
    const { principal: p } = await authenticate({ method: 'GET', paths: ['/photos/cat.jpg'], query, headers: { host: GZ_HOST }, now: 1700007200 }, keyring());
    assert.equal(p.kind === 'user' && p.secretId, B_ID);
  });

  it('query mode: expired presigned URL is rejected even though the signature is valid', async () => {
    const url = PRESIGNED_C[1]?.url ?? '';
    const query = parseQuery(url.slice(url.indexOf('?') + 1));
    const e = await rejectsWith(authenticate({ method: 'GET', paths: ['/photos/cat.jpg'], query, headers: { host: GZ_HOST }, now: 1700007201 }, keyring()), 'AccessDenied');
    assert.equal(e.message, 'Request has expired');
  });

  describe('a signature must name the bucket (issue #15.7)', () => {
    const host = '127.0.0.1:9000';
    const rawPath = '/examplebucket-1250000000/docs/a%20b.txt';
    const route = resolveRoute({ method: 'GET', host, rawPath, query: [], headers: { host } }, ROUTING);
    const now = 1700000100;
    const signed = (signPath: string, headers: Record<string, string>): string =>
      authorization({ secretId: A_ID, secretKey: A_KEY, method: 'GET', path: signPath, headers, start: now - 1, end: now + 900 });
    const request = (signPath: string): AuthRequest => ({
      method: 'GET',
      ...signedPaths(route),
      query: [],
      headers: { host, authorization: signed(signPath, { host }) },
      now,
    });
    const allow = { strictCosS3: false, allowUnboundSignatures: true };

    it('accepts a signature over the full path, which names the bucket', async () => {
      const caller = await authenticate(request('/examplebucket-1250000000/docs/a b.txt'), keyring());
      assert.equal(caller.principal.kind, 'user');
      assert.equal(caller.unbound, undefined);
    });

    it('refuses a signature over the key-only path (Node SDK with a Domain template), saying why', async () => {
      const e = await rejectsWith(authenticate(request('/docs/a b.txt'), keyring()), 'SignatureDoesNotMatch');
      assert.match(e.message, /does not name the bucket.*--allow-unbound-signatures/);
    });

    it('accepts it with allowUnboundSignatures, marked unbound for the warning', async () => {
      const caller = await authenticate(request('/docs/a b.txt'), keyring(), allow);
      assert.equal(caller.unbound, true);
    });

    it('rejects a signature over another path, reporting the full-path FormatString', async () => {
      const e = await rejectsWith(authenticate(request('/docs/other.txt'), keyring(), allow), 'SignatureDoesNotMatch');
      assert.equal(field(e, 'FormatString'), `get\n/examplebucket-1250000000/docs/a b.txt\n\nhost=127.0.0.1%3A9000\n`);
    });

    describe('virtual-hosted: bound through the signed host', () => {
      const virtual = resolveRoute({ method: 'GET', host: GZ_HOST, rawPath: '/docs/a%20b.txt', query: [], headers: {} }, ROUTING);
      const request = (headers: Record<string, string>): AuthRequest => ({
        method: 'GET',
        ...signedPaths(virtual),
        query: [],
        headers: { host: GZ_HOST, date: 'Thu, 16 May 2019 06:45:51 GMT', authorization: signed('/docs/a b.txt', headers) },
        now,
      });

      it('accepts a signature that covers the host', async () => {
        const caller = await authenticate(request({ host: GZ_HOST }), keyring());
        assert.equal(caller.unbound, undefined);
      });

      it('refuses one that leaves the host out, unless allowed', async () => {
        const e = await rejectsWith(authenticate(request({ date: 'Thu, 16 May 2019 06:45:51 GMT' }), keyring()), 'SignatureDoesNotMatch');
        assert.match(e.message, /does not name the bucket/);
        assert.equal((await authenticate(request({ date: 'Thu, 16 May 2019 06:45:51 GMT' }), keyring(), allow)).unbound, true);
      });
    });
  });
});
