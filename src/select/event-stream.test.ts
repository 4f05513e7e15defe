import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { encodeMessage, endEvent, errorMessage, recordsEvent, statsEvent } from './event-stream.ts';

// The AWS SDK's own codec (what @aws-sdk/client-s3 decodes Select responses with) checks both CRCs.
const codec = new EventStreamCodec(toUtf8, fromUtf8);

const headersOf = (frame: Buffer): Record<string, unknown> =>
  Object.fromEntries(Object.entries(codec.decode(frame).headers).map(([name, header]) => [name, header.value]));

test('a message is byte for byte what the AWS SDK encodes for the same headers and payload', () => {
  const payload = Buffer.from('a,b\n');
  const ours = encodeMessage([[':event-type', 'Records'], [':message-type', 'event']], payload);
  const theirs = codec.encode({
    headers: { ':event-type': { type: 'string', value: 'Records' }, ':message-type': { type: 'string', value: 'event' } },
    body: payload,
  });
  assert.deepEqual(ours, Buffer.from(theirs));
});

test('the Records, Stats, End and error messages decode with their headers and payloads', () => {
  const records = codec.decode(recordsEvent(Buffer.from('x\n')));
  assert.equal(toUtf8(records.body), 'x\n');
  assert.deepEqual(headersOf(recordsEvent(Buffer.from('x\n'))), { ':event-type': 'Records', ':content-type': 'application/octet-stream', ':message-type': 'event' });
  const stats = toUtf8(codec.decode(statsEvent({ scanned: 10, processed: 20, returned: 3 })).body);
  assert.match(stats, /<Stats><BytesScanned>10<\/BytesScanned><BytesProcessed>20<\/BytesProcessed><BytesReturned>3<\/BytesReturned><\/Stats>/);
  assert.deepEqual(headersOf(endEvent()), { ':event-type': 'End', ':message-type': 'event' });
  assert.deepEqual(headersOf(errorMessage('CSVParsingError', 'bad')), { ':error-code': 'CSVParsingError', ':error-message': 'bad', ':message-type': 'error' });
});

test('a corrupted byte fails the CRC the decoder checks', () => {
  const frame = recordsEvent(Buffer.from('payload'));
  frame.writeUInt8((frame.readUInt8(frame.length - 6) + 1) % 256, frame.length - 6);
  assert.throws(() => codec.decode(frame), /checksum/i);
});
