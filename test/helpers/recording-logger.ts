// A Logger that keeps every record, by level, for tests that check what the server logged.
import type { LogRecord, Logger } from '../../src/http/log.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface RecordingLogger extends Logger {
  readonly records: ReadonlyArray<{ level: Level; record: LogRecord }>;
  /** The records of one level. */
  at(level: Level): LogRecord[];
}

export function recordingLogger(): RecordingLogger {
  const records: Array<{ level: Level; record: LogRecord }> = [];
  return {
    records,
    at: (level) => records.filter((r) => r.level === level).map((r) => r.record),
    info: (record) => void records.push({ level: 'info', record }),
    warn: (record) => void records.push({ level: 'warn', record }),
    error: (record) => void records.push({ level: 'error', record }),
    debug: (record) => void records.push({ level: 'debug', record }),
  };
}
