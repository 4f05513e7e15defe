// Request-body XML: character references decode as XML says, once; DOCTYPE and malformed bodies are refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CosError } from '../errors/cos-error.ts';
import { parseXml, textOf } from './xml.ts';

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
});
