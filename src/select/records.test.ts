import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { CosError } from '../errors/cos-error.ts';
import type { Row } from './expression.ts';
import { csvRows, jsonRows, MAX_RECORD_BYTES } from './records.ts';
import type { CsvInput } from './request.ts';

const chunks = (...parts: string[]): Readable => Readable.from(parts.map((part) => Buffer.from(part)));

async function all(rows: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as CosError).code;
  }
}

test('JSON values are found across chunk boundaries, braces inside strings do not count, scalars too', async () => {
  const rows = await all(jsonRows(chunks('{"a":"}{", "b":[1,', '{"c":"\\"x"}]}\n{"d"', ':1} 7 "s"\n[2]', ' true')));
  assert.deepEqual(
    rows.map((row) => ('json' in row ? row.json : undefined)),
    [{ a: '}{', b: [1, { c: '"x' }] }, { d: 1 }, 7, 's', [2], true],
  );
});

test('a multi-byte character split between chunks stays whole', async () => {
  const bytes = Buffer.from('{"k":"é"}');
  const rows = await all(jsonRows(Readable.from([bytes.subarray(0, 7), bytes.subarray(7)])));
  assert.deepEqual(rows, [{ json: { k: 'é' } }]);
});

test('a truncated or broken JSON value is JSONParsingError; an endless one OverMaxRecordSize', async () => {
  assert.equal(await codeOf(all(jsonRows(chunks('{"a":1}\n{"b":')))), 'JSONParsingError');
  assert.equal(await codeOf(all(jsonRows(chunks('{"a":tru}')))), 'JSONParsingError');
  assert.equal(await codeOf(all(jsonRows(chunks('{"a":"', 'x'.repeat(MAX_RECORD_BYTES + 1))))), 'OverMaxRecordSize');
});

const CSV: CsvInput = { format: 'csv', header: 'USE', recordDelimiter: '\n', fieldDelimiter: ',', quote: '"', quoteEscape: '"', comment: undefined };

test('CSV: the header names columns (USE), is skipped (IGNORE) or is data (NONE); delimiters and comments as asked', async () => {
  const used = await all(csvRows(chunks('a,b\n1,"x,', 'y"\n'), CSV));
  assert.deepEqual(used, [{ csv: ['1', 'x,y'], header: { names: ['a', 'b'], positions: new Map([['a', 0], ['b', 1]]) } }]);
  assert.deepEqual(await all(csvRows(chunks('a,b\n1,2\n'), { ...CSV, header: 'IGNORE' })), [{ csv: ['1', '2'], header: undefined }]);
  const custom = { ...CSV, header: 'NONE', fieldDelimiter: ';', recordDelimiter: '\r\n', comment: '#' } as const;
  assert.deepEqual(await all(csvRows(chunks('#note\r\n1;2\r\n3;4'), custom)), [
    { csv: ['1', '2'], header: undefined },
    { csv: ['3', '4'], header: undefined },
  ]);
});

test('CSV that does not parse is CSVParsingError', async () => {
  assert.equal(await codeOf(all(csvRows(chunks('a,b\n"1,2\n'), CSV))), 'CSVParsingError');
});
