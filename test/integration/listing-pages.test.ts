// Listings page through awkward keys exactly as a reference model of S3/COS paging says: GET Bucket,
// ListObjectsV2 and GET Bucket Object versions, every page parsed and compared with the model's (keys,
// common prefixes, truncation, next marker), across prefixes, delimiters, max-keys and encoding-type.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { asArray, textOf } from '../../src/http/xml.ts';
import { send } from '../helpers/raw.ts';
import { OWNER, startTestServerWithBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let bucket: string;

const KEYS = [
  'plain',
  `a&b<c>'q"`,
  'dir/x',
  'dir/y/z',
  'dir/y/w',
  'dir&/q',
  'dir/',
  'ünï/日本',
  'ünï/😀',
  // XML 1.0 cannot carry U+0001: a page naming this key is url-encoded even when not asked.
  'ctl\u0001/k',
  'tab\tkey',
  'sp ace/',
  'zz/zz/zz',
];

/** UTF-8 byte order, the order COS lists keys in. */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const SORTED = [...KEYS].sort(byteOrder);

interface Page {
  keys: string[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix on a truncated page. */
  next: string | undefined;
}

/** The page S3 paging gives after `marker`: a common prefix counts once, and not at all when the marker is at or past it. */
function modelPage(prefix: string, delimiter: string, marker: string, maxKeys: number): Page {
  const page: Page = { keys: [], prefixes: [], truncated: false, next: undefined };
  if (maxKeys === 0) return page;
  for (const key of SORTED) {
    if (!key.startsWith(prefix) || byteOrder(key, marker) <= 0) continue;
    const at = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    const common = at < 0 ? undefined : key.slice(0, at + delimiter.length);
    if (common !== undefined && (common === page.prefixes.at(-1) || byteOrder(common, marker) <= 0)) continue;
    if (page.keys.length + page.prefixes.length === maxKeys) {
      page.truncated = true;
      return page;
    }
    if (common === undefined) page.keys.push(key);
    else page.prefixes.push(common);
    page.next = common ?? key;
  }
  page.next = undefined;
  return page;
}

type Api = 'v1' | 'v2' | 'versions';

/** One page as the server answers it, names decoded when the page says EncodingType url. */
async function serverPage(api: Api, params: [string, string][]): Promise<{ page: Page; doc: Record<string, unknown> }> {
  const query = new URLSearchParams([...(api === 'v2' ? [['list-type', '2']] : api === 'versions' ? [['versions', '']] : []), ...params]);
  const res = await send(server.hostPort, { method: 'GET', url: `/${bucket}/?${query.toString().replace(/\+/g, '%20')}`, signAs: OWNER });
  assert.equal(res.status, 200, res.text);
  // Well-formed, not just readable by a lenient parser: a bare `&` or `<` in a name fails here.
  assert.equal(XMLValidator.validate(res.text), true, res.text);
  const doc = (res.xml?.[api === 'versions' ? 'ListVersionsResult' : 'ListBucketResult'] ?? {}) as Record<string, unknown>;
  const decode = (s: string | undefined): string => (s === undefined ? '' : textOf(doc['EncodingType']) === 'url' ? decodeURIComponent(s) : s);
  const entries = asArray(doc[api === 'versions' ? 'Version' : 'Contents']) as Record<string, unknown>[];
  const truncated = textOf(doc['IsTruncated']) === 'true';
  const names = {
    keys: entries.map((e) => decode(textOf(e['Key']))),
    prefixes: asArray(doc['CommonPrefixes']).map((p) => decode(textOf((p as Record<string, unknown>)['Prefix']))),
  };
  const nextName = { v1: 'NextMarker', v2: 'NextContinuationToken', versions: 'NextKeyMarker' }[api];
  const rawNext = textOf(doc[nextName]);
  const next = rawNext === undefined ? undefined : api === 'v2' ? Buffer.from(rawNext, 'base64url').toString('utf8') : decode(rawNext);
  return { page: { ...names, truncated, next }, doc };
}

/** Walks every page of one listing, checking each against the model; returns how many pages it took. */
async function walk(api: Api, prefix: string, delimiter: string, maxKeys: number, encoding: boolean): Promise<number> {
  let marker = '';
  let token: string | undefined;
  for (let pages = 1; ; pages++) {
    const params: [string, string][] = [['prefix', prefix], ['delimiter', delimiter], ['max-keys', String(maxKeys)]];
    if (encoding) params.push(['encoding-type', 'url']);
    if (api === 'v1' && marker !== '') params.push(['marker', marker]);
    if (api === 'v2' && token !== undefined) params.push(['continuation-token', token]);
    if (api === 'versions' && marker !== '') params.push(['key-marker', marker]);
    const what = `${api} prefix=${JSON.stringify(prefix)} delimiter=${JSON.stringify(delimiter)} max-keys=${maxKeys} after ${JSON.stringify(marker)}`;
    const { page, doc } = await serverPage(api, params);
    const expected = modelPage(prefix, delimiter, marker, maxKeys);
    assert.deepEqual(page, expected, what);
    if (api === 'v2') assert.equal(textOf(doc['KeyCount']), String(expected.keys.length + expected.prefixes.length), what);
    if (encoding) assert.equal(textOf(doc['EncodingType']), 'url', what);
    if (!page.truncated || page.next === undefined) return pages;
    marker = page.next;
    if (api === 'v2') token = textOf(doc['NextContinuationToken']);
  }
}

before(async () => {
  ({ server, bucket } = await startTestServerWithBucket());
  for (const key of KEYS) {
    const res = await send(server.hostPort, { method: 'PUT', url: `/${bucket}/${encodeURIComponent(key)}`, body: key, signAs: OWNER });
    assert.equal(res.status, 200, `PUT ${JSON.stringify(key)}: ${res.text}`);
  }
});
after(() => server.close());

describe('listing pages against the paging model', () => {
  for (const api of ['v1', 'v2', 'versions'] as const) {
    it(`${api}: every page of every prefix, delimiter, max-keys and encoding-type`, async () => {
      let pages = 0;
      for (const prefix of ['', 'dir', 'dir/', 'ünï/', 'nothing-here'])
        for (const delimiter of ['', '/', '&'])
          for (const maxKeys of [0, 1, 2, 3, 1000])
            for (const encoding of [false, true]) pages += await walk(api, prefix, delimiter, maxKeys, encoding);
      assert.ok(pages > 300, `walked ${pages} pages`);
    });
  }
});
