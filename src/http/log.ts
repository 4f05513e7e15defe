// Structured log lines with pino: one per request at info (pipeline/observe.ts), denials and errors as
// they happen. JSON on stdout; readable lines when stdout is a terminal.
import { pino } from 'pino';
import { CosError } from '../errors/cos-error.ts';

export type LogRecord = Record<string, unknown> & { reqId?: string; msg: string };

export interface Logger {
  /** What only someone chasing a problem wants: the detail behind a COS error's code. */
  debug(record: LogRecord): void;
  info(record: LogRecord): void;
  /** Something the operator chose to allow but should know is happening (an insecure option in use). */
  warn(record: LogRecord): void;
  error(record: LogRecord): void;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Writes synchronously to stdout (pino's default destination): a line is out before the process may
 * exit, and a log that cannot keep up slows requests instead of growing memory. On a terminal, lines
 * go through pino-pretty (a worker thread) to be read by people. `fields` go on every line (a --workers
 * process's pid).
 */
export function pinoLogger(level: LogLevel, pretty = process.stdout.isTTY, fields?: Record<string, unknown>): Logger {
  const log = pino({
    level,
    base: fields ?? null,
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"error" rather than pino's 50: read and grepped by people as often as by collectors.
    formatters: { level: (label) => ({ level: label }) },
    ...(pretty && { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }),
  });
  return {
    debug: (r) => log.debug(r),
    info: (r) => log.info(r),
    warn: (r) => log.warn(r),
    error: (r) => log.error(r),
  };
}

export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * For a condition that recurs on every request while it lasts (out of file descriptors, the connection
 * limit reached): the first record is written, then at most one per `intervalMs`, saying how many it held back.
 */
export function throttled(write: (record: LogRecord) => void, intervalMs = 60_000): (record: LogRecord) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let heldBack = 0;
  return (record) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) {
      heldBack++;
      return;
    }
    write(heldBack > 0 ? { ...record, heldBack } : record);
    lastAt = now;
    heldBack = 0;
  };
}

/** EMFILE / ENFILE: a file or socket could not be opened for want of descriptors. */
export const isOutOfDescriptors = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EMFILE' || code === 'ENFILE';
};

/**
 * Logs why a request failed, for the COS and the admin pipelines alike: a COS error's detail at debug
 * level (the request's own line at info has its code); a client that hung up (or a timeout that cut it) mid-request at info, no fault of ours; what
 * `handled` takes care of (running out of descriptors, logged throttled) not again; anything else as an
 * internal error with its code and stack. `at` names the request (its id and operation or path).
 */
export function logFailure(
  log: Logger,
  error: unknown,
  at: { reqId: string } & Record<string, unknown>,
  clientGone: boolean,
  handled: (error: unknown) => boolean = () => false,
): void {
  if (error instanceof CosError) {
    if (error.detail !== undefined) log.debug({ ...at, msg: error.code, detail: error.detail });
  } else if (clientGone) {
    log.info({ ...at, msg: 'connection closed before the request finished', error: String(error) });
  } else if (!handled(error)) {
    const code = (error as { code?: unknown } | undefined)?.code;
    log.error({ ...at, msg: 'internal error', ...(code !== undefined && { code }), error: error instanceof Error ? error.stack : String(error) });
  }
}
