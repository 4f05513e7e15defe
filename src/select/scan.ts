// Runs a compiled Select over an object's bytes and yields the response's event-stream messages: Records
// in chunks as they fill, Progress if asked, then Stats and End.
import { pipeline, Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { endEvent, progressEvent, recordsEvent, statsEvent, type ScanCounts } from './event-stream.ts';
import { follow, type Row } from './expression.ts';
import { serializer } from './output.ts';
import type { OutputRecord, Query } from './query.ts';
import { csvRows, dataError, jsonRows } from './records.ts';
import type { SelectRequest } from './request.ts';
import { asLogical, type Json } from './values.ts';

/** Records go out once this many bytes of them are ready (S3 sends chunks of about this size). */
export const RECORDS_CHUNK_BYTES = 64 * 1024;

const counter = (add: (bytes: number) => void): Transform =>
  new Transform({
    transform(chunk: Buffer, _encoding, done) {
      add(chunk.length);
      done(null, chunk);
    },
  });

/** The records FROM names: each JSON value, or what its path finds ('*' spreads an array). */
function* fromPath(row: Row, steps: Query['from']): Generator<Row> {
  if (steps.length === 0 || !('json' in row)) {
    yield row;
    return;
  }
  let values: Json[] = [row.json];
  for (const step of steps) {
    values = values.flatMap((value): Json[] => {
      if (step === '*') return Array.isArray(value) ? value : [];
      const found = follow(value, [step]);
      return found === undefined ? [] : [found];
    });
  }
  for (const json of values) yield { json };
}

/**
 * The messages of the response. A failure is thrown (COS's error for bad data, see records.ts); the caller
 * decides whether it can still be an HTTP error or must travel as an error message.
 */
export async function* selectEvents(request: SelectRequest, query: Query, object: Readable, chunkBytes = RECORDS_CHUNK_BYTES): AsyncGenerator<Buffer> {
  const counts: ScanCounts = { scanned: 0, processed: 0, returned: 0 };
  const bytes = counter((n) => (counts.processed += n));
  const gunzip = request.compression === 'GZIP' ? [createGunzip()] : [];
  // pipeline() destroys every stage on a failure or when the scan stops early, the object's read included.
  pipeline([object, counter((n) => (counts.scanned += n)), ...gunzip, bytes], () => undefined);
  const rows = request.input.format === 'csv' ? csvRows(bytes, request.input) : jsonRows(bytes);
  const serialize = serializer(request.output);
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  const add = (record: OutputRecord): void => {
    const bytes = Buffer.from(serialize(record));
    pending.push(bytes);
    pendingBytes += bytes.length;
  };
  let sent = 0;
  const flush = function* (): Generator<Buffer> {
    if (pendingBytes === 0) return;
    const payload = Buffer.concat(pending.splice(0), pendingBytes);
    counts.returned += payload.length;
    pendingBytes = 0;
    yield recordsEvent(payload);
    if (request.progress) yield progressEvent(counts);
  };
  const select = query.select;
  try {
    scan: for await (const record of rows) {
      if (query.limit === 0) break;
      for (const row of fromPath(record, query.from)) {
        if (query.where && asLogical(query.where(row)) !== true) continue;
        if (select.kind === 'aggregate') {
          select.add(row);
          continue;
        }
        add(select.project(row));
        sent++;
        if (pendingBytes >= chunkBytes) yield* flush();
        if (sent === query.limit) break scan;
      }
    }
  } catch (error) {
    throw dataError(error);
  } finally {
    bytes.destroy();
  }
  if (select.kind === 'aggregate') add(select.result());
  yield* flush();
  yield statsEvent(counts);
  yield endEvent();
}
