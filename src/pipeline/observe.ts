// What every request leaves behind once it is over, however it ended (answered, refused, cut): one log
// line at info and its metrics. The pipeline fills the record in as it learns who asked for what.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { LogRecord } from '../http/log.ts';
import { queueAccessLog, type AccessLogFacts } from './access-log.ts';
import type { HandlerDeps } from './deps.ts';

export interface RequestRecord {
  /** The COS operation once routed; `Admin` for the admin endpoint. */
  op?: string;
  bucket?: string;
  key?: string;
  principal?: string;
  /** The COS error code the request was answered with. */
  code?: string;
  /** Set when the bucket has access logging on: the request leaves a line in its log. */
  accessLog?: AccessLogFacts;
}

/** How far each connection's counters had got when its previous request ended. */
const counted = new WeakMap<Socket, { read: number; written: number }>();

/**
 * Bytes are what the connection carried since its previous request ended (socket counters: headers and
 * body, whether or not the operation read the body, and nothing added to the data path). A small
 * request arrives whole before it is even parsed, so counting from its start would miss it.
 */
export function observeRequest(deps: Pick<HandlerDeps, 'log' | 'metrics' | 'meta' | 'clock'>, req: IncomingMessage, res: ServerResponse, reqId: string, path: string): RequestRecord {
  const record: RequestRecord = {};
  const started = performance.now();
  const { socket } = req;
  res.once('close', () => {
    const durationMs = performance.now() - started;
    const before = counted.get(socket) ?? { read: 0, written: 0 };
    const now = { read: socket.bytesRead, written: socket.bytesWritten };
    counted.set(socket, now);
    const bytesIn = now.read - before.read;
    const bytesOut = now.written - before.written;
    const { accessLog, ...seen } = record;
    const line: LogRecord = {
      reqId,
      msg: 'request',
      method: req.method,
      path,
      ...seen,
      status: res.statusCode,
      bytesIn,
      bytesOut,
      durationMs: Math.round(durationMs * 10) / 10,
      remote: socket.remoteAddress,
      userAgent: req.headers['user-agent'],
      ...(!res.writableFinished && { aborted: true }),
    };
    deps.log.info(line);
    if (accessLog) {
      const operation = record.op ?? 'Unresolved';
      const finished = { req, res, requestId: reqId, operation, path: `/${record.key ?? ''}`, errorCode: record.code, bytesIn, bytesOut, durationMs, endedAt: deps.clock() };
      queueAccessLog(deps, accessLog, finished);
    }
    deps.metrics.requestFinished({ operation: record.op ?? 'Unresolved', status: res.statusCode, durationSeconds: durationMs / 1000, bytesIn, bytesOut });
  });
  return record;
}
