// Reads an object's (decompressed) bytes as Select records, a stream at a time: CSV through csv-parse,
// JSON by finding where each top-level value ends. Only one record is ever held whole.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { CosError, cosError } from '../errors/cos-error.ts';
import type { CsvHeader, Row } from './expression.ts';
import type { CsvInput } from './request.ts';
import type { Json } from './values.ts';

/** S3 Select's (and COS's) limit on one record. */
export const MAX_RECORD_BYTES = 1024 * 1024;

const tooLong = () => cosError('OverMaxRecordSize');

/** COS's error for a failure reading the data: a CSV, JSON or GZIP one, or the failure as it is. */
export function dataError(error: unknown): unknown {
  if (error instanceof CosError) return error;
  if (error instanceof CsvError) return error.code === 'CSV_MAX_RECORD_SIZE' ? tooLong() : cosError('CSVParsingError', { detail: error.message });
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) return cosError('InvalidCompressionFormat', { message: 'The object is not valid GZIP data.', detail: code });
  return error;
}

export async function* csvRows(bytes: Readable, input: CsvInput): AsyncGenerator<Row> {
  const records = bytes.pipe(
    parse({
      delimiter: input.fieldDelimiter,
      record_delimiter: input.recordDelimiter,
      quote: input.quote,
      escape: input.quoteEscape,
      ...(input.comment === undefined ? {} : { comment: input.comment, comment_no_infix: true }),
      relax_column_count: true,
      max_record_size: MAX_RECORD_BYTES,
      bom: true,
    }),
  );
  // pipe() does not carry the source's failure (a storage read, a GZIP error) to the parser.
  bytes.once('error', (error) => records.destroy(error));
  let header: CsvHeader | undefined;
  let first = true;
  try {
    for await (const fields of records as AsyncIterable<string[]>) {
      if (first && input.header !== 'NONE') {
        first = false;
        if (input.header === 'USE') header = { names: fields, positions: new Map(fields.map((name, index) => [name, index])) };
        continue;
      }
      first = false;
      yield { csv: fields, header };
    }
  } catch (error) {
    throw dataError(error);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const OPENERS = new Set(['{', '[']);

/**
 * Splits the text into top-level JSON values: LINES has one a line, DOCUMENT values that may span lines;
 * both may put several one after another, so one scanner serves both. Strings are followed so that a
 * brace inside one does not count.
 */
export async function* jsonRows(bytes: AsyncIterable<Buffer>): AsyncGenerator<Row> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let start = -1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let bare = false;
  const value = (end: number): Row => {
    const text = pending.slice(start, end);
    start = -1;
    try {
      return { json: JSON.parse(text) as Json };
    } catch {
      throw cosError('JSONParsingError', { detail: text.slice(0, 100) });
    }
  };
  for await (const chunk of bytes) {
    let at = pending.length;
    pending += decoder.write(chunk);
    const rows: Row[] = [];
    for (; at < pending.length; at++) {
      const c = pending.charAt(at);
      if (start < 0) {
        if (WHITESPACE.has(c)) continue;
        start = at;
        bare = !OPENERS.has(c) && c !== '"';
        if (OPENERS.has(c)) depth = 1;
        if (c === '"') inString = true;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') {
          inString = false;
          if (depth === 0) rows.push(value(at + 1));
        }
        continue;
      }
      if (bare) {
        if (WHITESPACE.has(c) || OPENERS.has(c) || c === '"') {
          rows.push(value(at));
          at--;
        }
        continue;
      }
      if (c === '"') inString = true;
      else if (OPENERS.has(c)) depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) rows.push(value(at + 1));
      }
    }
    const consumed = start < 0 ? pending.length : start;
    pending = pending.slice(consumed);
    if (start >= 0) start -= consumed;
    if (pending.length > MAX_RECORD_BYTES) throw tooLong();
    yield* rows;
  }
  pending += decoder.end();
  if (start >= 0 && bare) yield value(pending.length);
  else if (start >= 0 || pending.trim() !== '') throw cosError('JSONParsingError', { detail: 'the object ends inside a JSON value' });
}
