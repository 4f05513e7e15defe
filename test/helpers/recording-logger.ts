// A Logger that keeps every record, by level, for tests that check what the server logged.
import type { LogRecord, Logger } from '../../src/http/log.ts';

export interface RecordingLogger extends Logger {
  readonly records: ReadonlyArray<{ level: 'info' | 'error' | 'access'; record: LogRecord }>;
  /** The records of one level. */
  at(level: 'info' | 'error' | 'access'): LogRecord[];
}

export function recordingLogger(): RecordingLogger {
  const records: Array<{ level: 'info' | 'error' | 'access'; record: LogRecord }> = [];
  return {
    records,
    at: (level) => records.filter((r) => r.level === level).map((r) => r.record),
    info: (record) => void records.push({ level: 'info', record }),
    error: (record) => void records.push({ level: 'error', record }),
    access: (record) => void records.push({ level: 'access', record }),
  };
}
