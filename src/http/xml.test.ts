// Request-body XML: character references decode as XML says, once; DOCTYPE and malformed bodies are refused.
// Response XML: renderXml gives exactly what fast-xml-parser's XMLBuilder gave.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLBuilder } from 'fast-xml-parser';
import { CosError } from '../errors/cos-error.ts';
import { isXmlText, parseXml, renderXml, textOf, type XmlNode } from './xml.ts';

const part = (xml: string): string | undefined => textOf((parseXml(xml)['Part'] as Record<string, unknown>)['ETag']);

describe('parseXml', () => {
  it('decodes decimal and hex character references (Go writes quotes as &#34;)', () => {
    assert.equal(part('<Part><ETag>&#34;abc&#34;</ETag></Part>'), '"abc"');
    assert.equal(part('<Part><ETag>&#x22;abc&#x22;</ETag></Part>'), '"abc"');
    assert.equal(part('<Part><ETag>&quot;abc&quot;</ETag></Part>'), '"abc"');
  });

  it('decodes &amp; last, so an escaped reference stays literal', () => {
    assert.equal(part('<Part><ETag>&amp;#34;x&amp;quot;</ETag></Part>'), '&#34;x&quot;');
  });

  it('refuses DOCTYPE and malformed bodies with MalformedXML', () => {
    for (const body of ['<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', '<a><b></a>', '']) {
      assert.throws(() => parseXml(body), (e: unknown) => e instanceof CosError && e.code === 'MalformedXML');
    }
  });

  it('refuses what the parser itself rejects (deep nesting, prototype names) with MalformedXML, not a crash', () => {
    const deep = `<Delete>${'<Object>'.repeat(101)}${'</Object>'.repeat(101)}</Delete>`;
    for (const body of [deep, ...['__proto__', 'constructor', 'prototype'].map((name) => `<Delete><${name}>x</${name}></Delete>`)]) {
      assert.throws(() => parseXml(body), (e: unknown) => e instanceof CosError && e.code === 'MalformedXML', body.slice(0, 40));
    }
  });

  it('keeps values byte-exact and drops only the whitespace that indents elements', () => {
    const doc = parseXml('<?xml version="1.0"?>\n<Delete>\n  <Object>\n    <Key>_ </Key>\n  </Object>\n  <Object><Key> </Key><VersionId>\tv </VersionId></Object>\n</Delete>\n');
    assert.deepEqual(doc['Delete'], { Object: [{ Key: '_ ' }, { Key: ' ', VersionId: '\tv ' }] });
    assert.equal(part('<Part><ETag> "abc"\n</ETag></Part>'), ' "abc"\n');
    assert.equal(part('<Part><ETag><![CDATA[ x ]]></ETag></Part>'), ' x ');
  });
});

// The renderer replaced fast-xml-parser's XMLBuilder (with these options) for speed; it must give the same bytes.
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: false });
const viaBuilder = (root: string, body: XmlNode): string => `<?xml version='1.0' encoding='utf-8' ?>\n${builder.build({ [root]: body }) as string}`;

const documents: Array<[string, XmlNode]> = [
  [
    'ListBucketResult',
    {
      Name: 'b-1250000000',
      EncodingType: undefined,
      Prefix: 'a&b<c>"d\'e',
      Marker: '',
      MaxKeys: 1000,
      IsTruncated: false,
      CommonPrefixes: [{ Prefix: 'x/' }, { Prefix: 'y &amp; z/' }],
      Contents: [
        { Key: 'ключ/日本語 😀', LastModified: '2026-01-01T00:00:00.000Z', ETag: '"0123"', Size: 0, Owner: { ID: '125', DisplayName: '125' }, StorageClass: 'STANDARD' },
        { Key: ' spaced \t\n', ETag: '"x"', Size: -1.5, Owner: {} },
      ],
    },
  ],
  ['Empty', {}],
  ['LocationConstraint', { '#text': 'ap-guangzhou' }],
  ['Error', { Code: 'NoSuchKey', Message: 'The specified key does not exist.', Resource: 'h/k?a=1&b=2', RequestId: 'NjQ=', TraceId: '' }],
  [
    'AccessControlPolicy',
    {
      Owner: { ID: 'qcs::cam::uin/1:uin/1', DisplayName: 'qcs::cam::uin/1:uin/1' },
      AccessControlList: {
        Grant: [
          { Grantee: { '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', '@_xsi:type': 'Group', URI: 'http://cam.qcloud.com/groups/global/AllUsers' }, Permission: 'READ' },
          { Grantee: { '@_xmlns:xsi': 'a&b"c', '@_xsi:type': 'CanonicalUser', '@_skipped': undefined, ID: 'i', DisplayName: 'd' }, Permission: 'FULL_CONTROL' },
        ],
      },
    },
  ],
  ['Mixed', { '@_id': '7', '#text': 'text & more', Child: ['one', 2, false, '', { Deep: [{ A: 'repeated' }, { A: 'twice' }] }], Nothing: [] }],
];

describe('isXmlText and the renderer\'s last resort', () => {
  it('tells the characters XML 1.0 cannot carry at all', () => {
    for (const text of ['plain', 'tab\tLF\nCR\r', '😀 paired', '\uFFFD']) assert.equal(isXmlText(text), true, JSON.stringify(text));
    for (const text of ['\u0000', 'a\u0001', '\u000B', '\u000C', '\u001F', '\uFFFE', '\uFFFF', 'lone \uD800', 'lone \uDC00']) {
      assert.equal(isXmlText(text), false, JSON.stringify(text));
    }
  });

  it('renders such a character as U+FFFD and keeps paired surrogates', () => {
    assert.equal(renderXml('K', { '#text': 'a\u0001<b>\uD800 😀' }), "<?xml version='1.0' encoding='utf-8' ?>\n<K>a\uFFFD&lt;b&gt;\uFFFD 😀</K>");
  });
});

describe('renderXml', () => {
  it('renders exactly what fast-xml-parser XMLBuilder renders for COS-shaped documents', () => {
    for (const [root, body] of documents) assert.equal(renderXml(root, body), viaBuilder(root, body), root);
  });
});
