import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml, renderXml } from '../http/xml.ts';
import { group, oneOf, optional, readTree, repeated, required, text } from './config-schema.ts';

const schema = group(
  required('Status', oneOf('Enabled', 'Disabled')),
  repeated('Item', group(required('Name', text({ pattern: /^[a-z]+$/, error: 'InvalidArgument' })), optional('Note', text())), 2, { tooMany: 'InvalidRequest' }),
  optional('Empty', group()),
  optional('Spelled', text(), { aliases: ['Misspelled'] }),
);

const read = (xml: string) => readTree(parseXml(xml)['Doc'], schema, 'Doc');
const codeOf = (xml: string): string => {
  try {
    read(xml);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'accepted';
};

describe('readTree', () => {
  it('stores an absent element with a default as its default, in schema order, and takes and drops an ignored one', () => {
    const withDefaults = { ...group(required('Status', oneOf('Enabled', 'Disabled')), optional('Mode', oneOf('On', 'Off'), { default: 'On' }), optional('Tail', text())), ignored: ['Typo'] };
    const readWith = (xml: string) => readTree(parseXml(xml)['Doc'], withDefaults, 'Doc');
    const tree = readWith('<Doc><Tail>t</Tail><Typo><Deep>x</Deep></Typo><Status>Enabled</Status></Doc>');
    assert.deepEqual(tree, { Status: 'Enabled', Mode: 'On', Tail: 't' });
    assert.deepEqual(Object.keys(tree), ['Status', 'Mode', 'Tail']);
    assert.deepEqual(readWith('<Doc><Status>Enabled</Status><Mode>Off</Mode></Doc>'), { Status: 'Enabled', Mode: 'Off' }, 'a value sent is kept');
    assert.throws(() => readWith('<Doc><Status>Enabled</Status><Typo2/></Doc>'), { code: 'MalformedXML' });
  });

  it('puts children in schema order, repeatable ones in arrays, and renders back in that order', () => {
    const tree = read('<Doc xmlns="cos"><Item><Note> n </Note><Name>b</Name></Item><Empty/><Status>Enabled</Status></Doc>');
    assert.deepEqual(tree, { Status: 'Enabled', Item: [{ Name: 'b', Note: ' n ' }], Empty: {} });
    assert.deepEqual(Object.keys(tree), ['Status', 'Item', 'Empty']);
    assert.match(renderXml('Doc', tree), /<Doc><Status>Enabled<\/Status><Item><Name>b<\/Name><Note> n <\/Note><\/Item><Empty><\/Empty><\/Doc>$/);
  });

  it('stores an alias under the schema name', () => {
    assert.deepEqual(read('<Doc><Status>Disabled</Status><Misspelled>x</Misspelled></Doc>'), { Status: 'Disabled', Spelled: 'x' });
  });

  it('ignores attributes and indentation', () => {
    assert.deepEqual(read('<Doc>\n  <Status a="1">Enabled</Status>\n</Doc>'), { Status: 'Enabled' });
  });

  const refused: [string, string, string][] = [
    ['an unknown element', '<Doc><Status>Enabled</Status><Other/></Doc>', 'MalformedXML'],
    ['a missing required element', '<Doc><Item><Name>a</Name></Item></Doc>', 'MalformedXML'],
    ['a value outside the list', '<Doc><Status>On</Status></Doc>', 'MalformedXML'],
    ['a value failing its pattern (its own error)', '<Doc><Status>Enabled</Status><Item><Name>A1</Name></Item></Doc>', 'InvalidArgument'],
    ['more repeats than allowed (its own error)', `<Doc><Status>Enabled</Status>${'<Item><Name>a</Name></Item>'.repeat(3)}</Doc>`, 'InvalidRequest'],
    ['a single element twice', '<Doc><Status>Enabled</Status><Status>Enabled</Status></Doc>', 'MalformedXML'],
    ['a container with text', '<Doc><Status>Enabled</Status><Empty>x</Empty></Doc>', 'MalformedXML'],
    ['elements inside a text element', '<Doc><Status><Value>Enabled</Value></Status></Doc>', 'MalformedXML'],
    ['an element named and aliased at once', '<Doc><Status>Enabled</Status><Spelled>a</Spelled><Misspelled>b</Misspelled></Doc>', 'MalformedXML'],
  ];
  for (const [what, xml, code] of refused) it(`refuses ${what}: ${code}`, () => assert.equal(codeOf(xml), code));
});
