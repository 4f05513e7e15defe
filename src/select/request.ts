// The SelectRequest body [doc: SELECT Object Content]: which SQL, how the object is serialized (CSV or
// JSON, maybe GZIP) and how the records go back, with COS's (S3's) error code for each bad field.
import { childOf, group, optional, readTree, text, textOfChild, type ConfigTree } from '../domain/config-schema.ts';
import { cosError } from '../errors/cos-error.ts';
import type { CosErrorCode } from '../errors/catalogue.ts';
import { parseXml } from '../http/xml.ts';

export interface CsvInput {
  readonly format: 'csv';
  /** USE: the first line names the columns; IGNORE: it is skipped; NONE: it is a record. */
  readonly header: 'USE' | 'IGNORE' | 'NONE';
  readonly recordDelimiter: string;
  readonly fieldDelimiter: string;
  readonly quote: string;
  readonly quoteEscape: string;
  /** Lines starting with it are skipped. */
  readonly comment: string | undefined;
}

export interface JsonInput {
  readonly format: 'json';
  /** DOCUMENT: JSON values one after another, each may span lines; LINES: one value a line. */
  readonly type: 'DOCUMENT' | 'LINES';
}

export interface CsvOutput {
  readonly format: 'csv';
  readonly quoteFields: 'ALWAYS' | 'ASNEEDED';
  readonly recordDelimiter: string;
  readonly fieldDelimiter: string;
  readonly quote: string;
  readonly quoteEscape: string;
}

export interface JsonOutput {
  readonly format: 'json';
  readonly recordDelimiter: string;
}

export interface SelectRequest {
  readonly expression: string;
  readonly compression: 'NONE' | 'GZIP';
  readonly input: CsvInput | JsonInput;
  readonly output: CsvOutput | JsonOutput;
  /** RequestProgress/Enabled: Progress events between the records. */
  readonly progress: boolean;
}

/** S3's limit on the expression (COS documents none; 256 KiB in S3's SelectObjectContent reference). */
const EXPRESSION_MAX_BYTES = 256 * 1024;

const CSV_INPUT = group(
  ...['FileHeaderInfo', 'Comments', 'QuoteEscapeCharacter', 'RecordDelimiter', 'FieldDelimiter', 'QuoteCharacter', 'AllowQuotedRecordDelimiter'].map((name) =>
    optional(name, text()),
  ),
);
const CSV_OUTPUT = group(...['QuoteFields', 'QuoteEscapeCharacter', 'RecordDelimiter', 'FieldDelimiter', 'QuoteCharacter'].map((name) => optional(name, text())));
const SELECT_REQUEST = group(
  optional('Expression', text()),
  optional('ExpressionType', text()),
  optional('InputSerialization', group(optional('CompressionType', text()), optional('CSV', CSV_INPUT), optional('JSON', group(optional('Type', text()))))),
  optional('OutputSerialization', group(optional('CSV', CSV_OUTPUT), optional('JSON', group(optional('RecordDelimiter', text()))))),
  optional('RequestProgress', group(optional('Enabled', text()))),
);

/** COS names the root SelectRequest; S3 clients send SelectObjectContentRequest. */
const ROOTS = ['SelectRequest', 'SelectObjectContentRequest'];

const missing = (what: string) => cosError('MissingRequiredParameter', { message: `The SelectRequest entity is missing a required parameter: ${what}.` });
const invalid = (code: CosErrorCode, what: string) => cosError(code, { message: `The value of ${what} is invalid.` });

/** The element's text among `values` (any case, as COS accepts `use`), else `code`; `fallback` when absent. */
function choice<T extends string>(tree: ConfigTree, name: string, values: readonly T[], fallback: T, code: CosErrorCode): T {
  const sent = textOfChild(tree, name);
  if (sent === undefined) return fallback;
  const found = values.find((value) => value === sent.trim().toUpperCase());
  if (found === undefined) throw invalid(code, name);
  return found;
}

/** A delimiter or quote: `max` characters at most (a record delimiter may be \r\n), one at least. */
function character(tree: ConfigTree, name: string, fallback: string, max = 1): string {
  const sent = textOfChild(tree, name);
  if (sent === undefined || sent === '') return fallback;
  if ([...sent].length > max) throw invalid('InvalidRequestParameter', name);
  return sent;
}

function readCsvInput(csv: ConfigTree): CsvInput {
  // Parsed for its error only: csv-parse always takes a record delimiter between quotes as data.
  choice(csv, 'AllowQuotedRecordDelimiter', ['TRUE', 'FALSE'], 'FALSE', 'InvalidRequestParameter');
  const comment = textOfChild(csv, 'Comments');
  return {
    format: 'csv',
    header: choice(csv, 'FileHeaderInfo', ['USE', 'IGNORE', 'NONE'], 'NONE', 'InvalidFileHeaderInfo'),
    recordDelimiter: character(csv, 'RecordDelimiter', '\n', 2),
    fieldDelimiter: character(csv, 'FieldDelimiter', ','),
    quote: character(csv, 'QuoteCharacter', '"'),
    quoteEscape: character(csv, 'QuoteEscapeCharacter', '"'),
    comment: comment === undefined || comment === '' ? undefined : character(csv, 'Comments', '#'),
  };
}

function readOutput(tree: ConfigTree): CsvOutput | JsonOutput {
  const csv = childOf(tree, 'CSV');
  const json = childOf(tree, 'JSON');
  if (csv && json) throw cosError('ObjectSerializationConflict', { message: 'OutputSerialization specifies more than one format.' });
  if (json) return { format: 'json', recordDelimiter: character(json, 'RecordDelimiter', '\n', 2) };
  if (!csv) throw missing('OutputSerialization/CSV or OutputSerialization/JSON');
  return {
    format: 'csv',
    quoteFields: choice(csv, 'QuoteFields', ['ALWAYS', 'ASNEEDED'], 'ASNEEDED', 'InvalidQuoteFields'),
    recordDelimiter: character(csv, 'RecordDelimiter', '\n', 2),
    fieldDelimiter: character(csv, 'FieldDelimiter', ','),
    quote: character(csv, 'QuoteCharacter', '"'),
    quoteEscape: character(csv, 'QuoteEscapeCharacter', '"'),
  };
}

function readInput(tree: ConfigTree): CsvInput | JsonInput {
  const csv = childOf(tree, 'CSV');
  const json = childOf(tree, 'JSON');
  if (csv && json) throw cosError('ObjectSerializationConflict', { message: 'InputSerialization specifies more than one format.' });
  if (json) return { format: 'json', type: choice(json, 'Type', ['DOCUMENT', 'LINES'], 'DOCUMENT', 'InvalidJsonType') };
  if (!csv) throw missing('InputSerialization/CSV or InputSerialization/JSON');
  return readCsvInput(csv);
}

/** The request as typed settings; MalformedXML for a body that is no SelectRequest. */
export function parseSelectRequest(body: string): SelectRequest {
  const parsed = parseXml(body);
  const names = Object.keys(parsed).filter((name) => !name.startsWith('?'));
  const root = names[0];
  if (names.length !== 1 || root === undefined || !ROOTS.includes(root)) throw cosError('MalformedXML', { detail: 'the root element must be SelectRequest' });
  const tree = readTree(parsed[root], SELECT_REQUEST, root);
  const expression = textOfChild(tree, 'Expression');
  if (expression === undefined || expression.trim() === '') throw missing('Expression');
  if (Buffer.byteLength(expression) > EXPRESSION_MAX_BYTES) throw cosError('ExpressionTooLong');
  const expressionType = textOfChild(tree, 'ExpressionType');
  if (expressionType === undefined) throw missing('ExpressionType');
  if (expressionType.toUpperCase() !== 'SQL') throw cosError('InvalidExpressionType');
  const input = childOf(tree, 'InputSerialization');
  if (!input) throw missing('InputSerialization');
  const output = childOf(tree, 'OutputSerialization');
  if (!output) throw missing('OutputSerialization');
  const progress = childOf(tree, 'RequestProgress') ?? {};
  return {
    expression,
    compression: choice(input, 'CompressionType', ['NONE', 'GZIP'], 'NONE', 'InvalidCompressionFormat'),
    input: readInput(input),
    output: readOutput(output),
    progress: choice(progress, 'Enabled', ['TRUE', 'FALSE'], 'FALSE', 'InvalidRequestParameter') === 'TRUE',
  };
}
