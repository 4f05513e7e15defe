// The AWS event-stream framing of a Select response (COS uses it unchanged): each message is a prelude
// (total length, headers length, CRC32 of those 8 bytes), string headers, the payload and a CRC32 of all
// before it. https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html
import { crc32 } from 'node:zlib';

/** Header value type 7: a string (uint16 length + UTF-8 bytes), the only type Select messages use. */
const STRING_TYPE = 7;
const PRELUDE_BYTES = 12;
const CRC_BYTES = 4;

/** One message: headers in the order given, then the payload. */
export function encodeMessage(headers: ReadonlyArray<readonly [string, string]>, payload: Buffer = Buffer.alloc(0)): Buffer {
  const encodedHeaders = Buffer.concat(headers.map(([name, value]) => encodeHeader(name, value)));
  const total = PRELUDE_BYTES + encodedHeaders.length + payload.length + CRC_BYTES;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(encodedHeaders.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  encodedHeaders.copy(message, PRELUDE_BYTES);
  payload.copy(message, PRELUDE_BYTES + encodedHeaders.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - CRC_BYTES)), total - CRC_BYTES);
  return message;
}

function encodeHeader(name: string, value: string): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const valueBytes = Buffer.from(value, 'utf8');
  const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
  header.writeUInt8(nameBytes.length, 0);
  nameBytes.copy(header, 1);
  header.writeUInt8(STRING_TYPE, 1 + nameBytes.length);
  header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
  valueBytes.copy(header, 4 + nameBytes.length);
  return header;
}

const event = (type: string, contentType: string | undefined, payload?: Buffer): Buffer =>
  encodeMessage([[':event-type', type], ...(contentType ? [[':content-type', contentType] as const] : []), [':message-type', 'event']], payload);

export const recordsEvent = (payload: Buffer): Buffer => event('Records', 'application/octet-stream', payload);

/** What Stats and Progress report, in bytes: read from storage, after decompression, sent as records. */
export interface ScanCounts {
  scanned: number;
  processed: number;
  returned: number;
}

const countsXml = (root: string, counts: ScanCounts): Buffer =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><${root}><BytesScanned>${counts.scanned}</BytesScanned>` +
      `<BytesProcessed>${counts.processed}</BytesProcessed><BytesReturned>${counts.returned}</BytesReturned></${root}>`,
  );

export const statsEvent = (counts: ScanCounts): Buffer => event('Stats', 'text/xml', countsXml('Stats', counts));
export const progressEvent = (counts: ScanCounts): Buffer => event('Progress', 'text/xml', countsXml('Progress', counts));
export const endEvent = (): Buffer => event('End', undefined);

/** A failure once the 200 and earlier events are out: the error travels as a message of its own. */
export const errorMessage = (code: string, message: string): Buffer =>
  encodeMessage([
    [':error-code', code],
    [':error-message', message],
    [':message-type', 'error'],
  ]);
