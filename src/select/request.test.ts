import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CosError } from '../errors/cos-error.ts';
import { parseSelectRequest } from './request.ts';

const body = (input: string, output = '<CSV/>', extra = '') =>
  `<SelectRequest><Expression>select * from COSObject</Expression><ExpressionType>SQL</ExpressionType>` +
  `<InputSerialization>${input}</InputSerialization><OutputSerialization>${output}</OutputSerialization>${extra}</SelectRequest>`;

const codeOf = (text: string): string | undefined => {
  try {
    parseSelectRequest(text);
    return undefined;
  } catch (error) {
    return (error as CosError).code;
  }
};

test('defaults: CSV without a header, comma and newline, double quotes; no compression, no progress', () => {
  assert.deepEqual(parseSelectRequest(body('<CSV/>')), {
    expression: 'select * from COSObject',
    compression: 'NONE',
    input: { format: 'csv', header: 'NONE', recordDelimiter: '\n', fieldDelimiter: ',', quote: '"', quoteEscape: '"', comment: undefined },
    output: { format: 'csv', quoteFields: 'ASNEEDED', recordDelimiter: '\n', fieldDelimiter: ',', quote: '"', quoteEscape: '"' },
    progress: false,
  });
});

test('values as the SDKs send them (any case), S3 root name, GZIP, JSON both ways, progress', () => {
  const request = parseSelectRequest(
    body('<CompressionType>gzip</CompressionType><JSON><Type>lines</Type></JSON>', '<JSON><RecordDelimiter>;</RecordDelimiter></JSON>', '<RequestProgress><Enabled>true</Enabled></RequestProgress>').replaceAll(
      'SelectRequest>',
      'SelectObjectContentRequest>',
    ),
  );
  assert.equal(request.compression, 'GZIP');
  assert.deepEqual(request.input, { format: 'json', type: 'LINES' });
  assert.deepEqual(request.output, { format: 'json', recordDelimiter: ';' });
  assert.equal(request.progress, true);
});

test("each bad field gets COS's code", () => {
  const cases: [string, string][] = [
    [body('<CSV><FileHeaderInfo>FIRST</FileHeaderInfo></CSV>'), 'InvalidFileHeaderInfo'],
    [body('<JSON><Type>ARRAY</Type></JSON>'), 'InvalidJsonType'],
    [body('<CSV/>', '<CSV><QuoteFields>NEVER</QuoteFields></CSV>'), 'InvalidQuoteFields'],
    [body('<CompressionType>BZIP2</CompressionType><CSV/>'), 'InvalidCompressionFormat'],
    [body('<CSV><FieldDelimiter>::</FieldDelimiter></CSV>'), 'InvalidRequestParameter'],
    [body('<CSV/><JSON/>'), 'ObjectSerializationConflict'],
    [body(''), 'MissingRequiredParameter'],
    [body('<CSV/>', ''), 'MissingRequiredParameter'],
    [body('<CSV/>').replace('SQL</ExpressionType>', 'XPATH</ExpressionType>'), 'InvalidExpressionType'],
    [body('<CSV/>').replace('<Expression>select * from COSObject</Expression>', ''), 'MissingRequiredParameter'],
    [body('<CSV/>').replace('select * from COSObject', 'select '.repeat(40_000)), 'ExpressionTooLong'],
    [body('<CSV><Unknown/></CSV>'), 'MalformedXML'],
    ['<Other/>', 'MalformedXML'],
  ];
  for (const [text, code] of cases) assert.equal(codeOf(text), code, text.slice(0, 200));
});
