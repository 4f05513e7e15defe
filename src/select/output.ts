// Writes output records as OutputSerialization asks: CSV (quoted as needed or always) or JSON, one per RecordDelimiter.
import type { OutputRecord } from './query.ts';
import type { CsvOutput, JsonOutput } from './request.ts';
import { asString, type Json } from './values.ts';

export type Serialize = (record: OutputRecord) => string;

function csvField(value: string, output: CsvOutput): string {
  const needsQuotes =
    output.quoteFields === 'ALWAYS' ||
    value.includes(output.fieldDelimiter) ||
    value.includes(output.quote) ||
    value.includes('\n') ||
    value.includes('\r') ||
    value.includes(output.recordDelimiter);
  if (!needsQuotes) return value;
  return output.quote + value.replaceAll(output.quote, output.quoteEscape + output.quote) + output.quote;
}

export function serializer(output: CsvOutput | JsonOutput): Serialize {
  if (output.format === 'json') {
    return (record) => {
      const object: Record<string, Json> = {};
      // NULL is written, MISSING left out, as S3 Select does.
      for (const [name, value] of record) if (value !== undefined) object[name] = value;
      return JSON.stringify(object) + output.recordDelimiter;
    };
  }
  return (record) => record.map(([, value]) => csvField(asString(value) ?? '', output)).join(output.fieldDelimiter) + output.recordDelimiter;
}
