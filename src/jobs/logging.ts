// The logging job: delivers the access-log lines requests left pending (pipeline/access-log.ts) as log
// files in each source bucket's target bucket, one file per source bucket and 5-minute period once the
// period is over, written as the log service would: owned by the target bucket's owner, under its
// versioning rules.
//
// Exactly once across a kill -9: a file's key and the lines it holds are decided from the pending lines
// before anything is written (domain/access-log.ts logObjectKey), and the lines are consumed in the
// transaction that commits the file. A crash before that commit leaves the lines pending and the next
// run writes the same file again; after it, the lines are gone and nothing is written twice.
import { logObjectKey, logPeriodOf, LOG_PERIOD_MS } from '../domain/access-log.ts';
import { readLogging, type LoggingTarget } from '../domain/configs/logging.ts';
import type { MetadataTx, PendingAccessLog } from '../storage/metadata.ts';
import type { Job } from './runner.ts';
import { writeServiceObject, type ServiceWriter } from './service-object.ts';

/** Lines per log file at most (COS splits at 256 MB): bounds what one step holds in memory. */
export const LOG_FILE_LINES = 10_000;

export interface LoggingDeps extends ServiceWriter {
  /** How often the job looks for periods to deliver; COS delivers every 5 minutes. */
  intervalMs?: number;
}

export function loggingJob(deps: LoggingDeps): Job {
  return { name: 'logging', intervalMs: deps.intervalMs ?? LOG_PERIOD_MS, step: (cursor, now) => loggingStep(deps, cursor, now) };
}

/**
 * One log file (or one batch of lines dropped) per step. The cursor is the source bucket being delivered:
 * it is tried again until it has nothing due, then the next one in name order.
 */
async function loggingStep(deps: LoggingDeps, cursor: string | undefined, now: number): Promise<string | undefined> {
  for (const bucket of await deps.meta.accessLogBuckets()) {
    if (cursor !== undefined && bucket < cursor) continue;
    if (await deliverOne(deps, bucket, now)) return bucket;
  }
  return undefined;
}

/** Delivers the oldest due lines of the source bucket; false when none is due. */
async function deliverOne(deps: LoggingDeps, source: string, now: number): Promise<boolean> {
  const pending = await deps.meta.listAccessLogs(source, LOG_FILE_LINES);
  const first = pending[0];
  if (!first) return false;
  const period = logPeriodOf(first.at);
  // A period is delivered once it is over: its file then holds every request that ended in it.
  if (period + LOG_PERIOD_MS > now) return false;
  const lines = pending.filter((entry) => logPeriodOf(entry.at) === period);
  const target = await deliveryTarget(deps, source);
  if (!target) {
    // Logging was turned off, or the target bucket deleted, since: COS writes nowhere, and neither do we.
    await deps.meta.tx((tx) => consume(tx, lines));
    return true;
  }
  const body = Buffer.from(lines.map((entry) => `${entry.line}\n`).join(''));
  const key = logObjectKey(target.prefix, source, period, first.seq);
  await writeServiceObject(deps, { bucket: target.bucket, key, body, contentType: 'text/plain', now }, async (tx) => {
    await consume(tx, lines);
    return [];
  });
  return true;
}

/** The source bucket's target while logging is on and the target exists. */
async function deliveryTarget(deps: LoggingDeps, source: string): Promise<LoggingTarget | undefined> {
  const target = readLogging((await deps.meta.getBucket(source))?.logging);
  return target && (await deps.meta.getBucket(target.bucket)) ? target : undefined;
}

/** Consumes exactly these lines, or nothing: a line gone already means another run delivered it. */
async function consume(tx: Pick<MetadataTx, 'deleteAccessLogs'>, lines: readonly PendingAccessLog[]): Promise<void> {
  const deleted = await tx.deleteAccessLogs(lines.map((entry) => entry.seq));
  if (deleted !== lines.length) throw new Error('access-log lines were delivered by another run meanwhile');
}
