// Structured log lines, written at the edges (one per denial, error or, when verbose, request).
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
