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
