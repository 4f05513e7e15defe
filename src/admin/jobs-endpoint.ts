// `/_coslocal/v1/jobs`: the background jobs (jobs/runner.ts). GET lists each job's schedule, lease and last
// outcome; POST `/_coslocal/v1/jobs/<name>/run` runs one now and answers once that run has ended, so a test
// (or an operator) need not wait for its schedule.
import { cosError } from '../errors/cos-error.ts';
import type { Reply } from '../http/respond.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { JobOutcome, JobState } from '../storage/metadata.ts';
import { jsonReply } from './admin-json.ts';

export const JOBS_PATH = 'v1/jobs';

const iso = (ms: number): string => new Date(ms).toISOString();

const outcomeJson = (o: JobOutcome): object => ({ startedAt: iso(o.startedAt), endedAt: iso(o.endedAt), outcome: o.outcome, ...(o.error !== undefined && { error: o.error }) });

/** Times as ISO 8601 on the server's clock; the lease holder is a process id, not a secret. */
const stateJson = (s: JobState): object => ({
  name: s.name,
  nextRunAt: iso(s.nextRunAt),
  running: s.run !== undefined,
  ...(s.run && { runStartedAt: iso(s.run.startedAt) }),
  ...(s.lease && { lease: { holder: s.lease.holder, until: iso(s.lease.until) } }),
  ...(s.lastRun && { lastRun: outcomeJson(s.lastRun) }),
});

/** `rest` is the path after `v1/jobs`: '' to list, `/<name>/run` to run one. */
export async function jobsEndpoint(runner: JobRunner, method: string | undefined, rest: string): Promise<Reply> {
  if (rest === '') {
    if (method !== 'GET') throw cosError('MethodNotAllowed', { message: 'this endpoint answers GET' });
    return jsonReply({ jobs: (await runner.states()).map(stateJson) });
  }
  const [, name = '', action] = /^\/([^/]+)\/(run)$/.exec(rest) ?? [];
  if (action === undefined || !runner.has(name)) throw cosError('InvalidRequest', { message: `no such job: ${rest}; GET /_coslocal/${JOBS_PATH} lists them` });
  if (method !== 'POST') throw cosError('MethodNotAllowed', { message: 'this endpoint answers POST' });
  const outcome = await runner.runNow(name);
  if (!outcome) return jsonReply({ name, ran: false, reason: 'another process holds the job (or this one is stopping)' }, 409);
  return jsonReply({ name, ran: true, ...outcomeJson(outcome) });
}
