// The direct listing renderer gives the same bytes as the generic renderer over the per-entry nodes it
// replaced, and a document that parses back to the names, for keys that need escaping or url-encoding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { ApiDialect } from '../../domain/api-dialect.ts';
import type { ListedObject } from '../../domain/object.ts';
import { storageClassName } from '../../domain/storage-class.ts';
import { renderXml, type XmlNode } from '../../http/xml.ts';
import type { ListedVersion } from '../../storage/metadata.ts';
import { commonPrefixesXml, contentsXml, isoTimeFormatter, versionsXml } from './listing-xml.ts';
import { nameEncoding } from './params.ts';

const TRICKY_KEYS = [
  'plain/key.txt',
  `a&b<c>d"e'f`,
  '&amp;already-escaped',
  ']]>cdata-end',
  'ünïcödé/日本語/😀',
  'tab\tnewline\ncr\r',
  'control\u0001char',
  // U+FFFE: XML 1.0 forbids it too. (A lone surrogate cannot be a key: keys arrive as UTF-8.)
  'non\uFFFEchar',
  'dir/with/delimiters/',
  ' spaces around ',
  '%2F-looks-encoded',
];
const TIMES = [0, 1, 999, 86_399_999, 86_400_000, Date.UTC(2026, 11, 7, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10_000, 0, 1), -1];

const objects: ListedObject[] = TRICKY_KEYS.map((key, i) => ({
  key,
  size: i * 1000,
  etag: [`"${'0123456789abcdef'.repeat(2)}"`, `"${'f'.repeat(32)}-${i}"`, `"<&'>"`, 'unquoted', '"'][i % 5] ?? '',
  lastModified: TIMES[i % TIMES.length] ?? 0,
  storageClass: i % 3 ? 'STANDARD' : 'ARCHIVE',
}));

const versions: ListedVersion[] = TRICKY_KEYS.flatMap((key, i): ListedVersion[] => [
  { key, versionId: `v${i}&"new"`, lastModified: TIMES[i % TIMES.length] ?? 0, isLatest: true, deleteMarker: true },
  { key, versionId: `v${i}-old`, lastModified: 1_700_000_000_000 + i, isLatest: false, size: i, etag: '"e"', storageClass: 'ARCHIVE' },
]);

const appid = '1250000000';
const owner = { ID: appid, DisplayName: appid };

/** The per-entry nodes the listings rendered through renderXml before the direct renderer. */
const contentsNode = (o: ListedObject, name: (s: string) => string, withOwner: boolean, dialect: ApiDialect): XmlNode => ({
  Key: name(o.key),
  LastModified: new Date(o.lastModified).toISOString(),
  ETag: o.etag,
  Size: o.size,
  Owner: withOwner ? owner : undefined,
  StorageClass: storageClassName(o.storageClass, dialect),
});

const parser = new XMLParser({ parseTagValue: false, trimValues: false, isArray: (name) => ['Contents', 'CommonPrefixes', 'Version', 'DeleteMarker'].includes(name) });

describe('listing XML', () => {
  for (const requested of [undefined, 'url'] as const) {
    for (const dialect of ['cos', 's3'] as const) {
      it(`Contents and CommonPrefixes match the generic renderer (encoding-type=${requested ?? 'none'}, ${dialect})`, () => {
        const prefixes = ['dir/', 'a&b/', 'ü/', 'ctl\u0001/'];
        const { name } = nameEncoding(requested, [...TRICKY_KEYS, ...prefixes]);
        for (const withOwner of [true, false]) {
          const fast = renderXml('ListBucketResult', {
            MaxKeys: 1000,
            CommonPrefixes: commonPrefixesXml(prefixes, name),
            Contents: contentsXml(objects, name, withOwner ? appid : undefined, dialect),
          });
          const expected = renderXml('ListBucketResult', {
            MaxKeys: 1000,
            CommonPrefixes: prefixes.map((p) => ({ Prefix: name(p) })),
            Contents: objects.map((o) => contentsNode(o, name, withOwner, dialect)),
          });
          assert.equal(fast, expected);
        }
      });
    }
  }

  it('Version and DeleteMarker match the generic renderer, grouped, each in page order', () => {
    for (const dialect of ['cos', 's3'] as const) {
      const { name } = nameEncoding(undefined, TRICKY_KEYS);
      const { versions: v, deleteMarkers } = versionsXml(versions, name, appid, dialect);
      const common = (e: ListedVersion): XmlNode => ({ Key: name(e.key), VersionId: e.versionId, IsLatest: e.isLatest, LastModified: new Date(e.lastModified).toISOString() });
      const expected = renderXml('ListVersionsResult', {
        Version: versions.flatMap((e) => (e.deleteMarker ? [] : [{ ...common(e), ETag: e.etag, Size: e.size, StorageClass: storageClassName(e.storageClass, dialect), Owner: owner }])),
        DeleteMarker: versions.flatMap((e) => (e.deleteMarker ? [{ ...common(e), Owner: owner }] : [])),
      });
      assert.equal(renderXml('ListVersionsResult', { Version: v, DeleteMarker: deleteMarkers }), expected);
    }
  });

  it('parses back to the names: as sent when XML can carry them all, url-encoded when one cannot', () => {
    const carriable = TRICKY_KEYS.filter((k) => !k.includes('\u0001') && !k.includes('\uFFFE'));
    for (const keys of [carriable, [...carriable, 'control\u0001char']]) {
      const { encoding, name } = nameEncoding(undefined, keys);
      const page = objects.filter((o) => keys.includes(o.key));
      const xml = renderXml('ListBucketResult', { EncodingType: encoding, Contents: contentsXml(page, name, appid, 'cos') });
      const parsed = parser.parse(xml) as { ListBucketResult: { EncodingType?: string; Contents: { Key: string; Owner: { ID: string } }[] } };
      assert.equal(parsed.ListBucketResult.EncodingType, keys === carriable ? undefined : 'url');
      const listed = parsed.ListBucketResult.Contents.map((c) => (encoding === 'url' ? decodeURIComponent(c.Key) : c.Key));
      // An XML parser reads a CR in text as LF (XML 1.0 §2.11); url-encoded, it arrives as %0D.
      assert.deepEqual(listed, page.map(({ key: k }) => (encoding === 'url' ? k : k.replace(/\r/g, '\n'))));
      assert.ok(parsed.ListBucketResult.Contents.every((c) => c.Owner.ID === appid));
    }
  });

  it('an empty page renders no entries', () => {
    const { name } = nameEncoding(undefined, []);
    assert.equal(contentsXml([], name, appid, 'cos').xml, '');
    assert.equal(commonPrefixesXml([], name).xml, '');
    assert.deepEqual(Object.values(versionsXml([], name, appid, 'cos')).map((f) => f.xml), ['', '']);
  });

  it('isoTimeFormatter writes what toISOString writes, across days and outside four-digit years', () => {
    const iso = isoTimeFormatter();
    const samples = [...TIMES, 1.5, Date.UTC(1969, 11, 31), 8.64e15, ...Array.from({ length: 2000 }, (_, i) => 1_700_000_000_000 + i * 7_777_777)];
    for (const ms of samples) assert.equal(iso(ms), new Date(ms).toISOString(), String(ms));
  });
});
