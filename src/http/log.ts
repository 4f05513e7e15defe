// Structured log lines, written at the edges (one per denial, error or, when verbose, request).
import { CosError } from '../errors/cos-error.ts';

export type LogRecord = Record<string, unknown> & { reqId?: string; msg: string };

export interface Logger {
  info(record: LogRecord): void;
  /** Something the operator chose to allow but should know is happening (an insecure option in use). */
  warn(record: LogRecord): void;
  error(record: LogRecord): void;
  /** Per-request access lines; off unless verbose. */
  access(record: LogRecord): void;
}

export function consoleLogger(verbose: boolean): Logger {
  const write = (level: string, record: LogRecord): void => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, ...record })}\n`);
  };
  return {
    info: (r) => write('info', r),
    warn: (r) => write('warn', r),
    error: (r) => write('error', r),
    access: (r) => (verbose ? write('info', r) : undefined),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, access: () => undefined };

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
 * Logs why a request failed, for the COS and the admin pipelines alike: a COS error's detail at access
 * level; a client that hung up (or a timeout that cut it) mid-request at info, no fault of ours; what
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
    if (error.detail !== undefined) log.access({ ...at, msg: error.code, detail: error.detail });
  } else if (clientGone) {
    log.info({ ...at, msg: 'connection closed before the request finished', error: String(error) });
  } else if (!handled(error)) {
    const code = (error as { code?: unknown } | undefined)?.code;
    log.error({ ...at, msg: 'internal error', ...(code !== undefined && { code }), error: error instanceof Error ? error.stack : String(error) });
  }
}
