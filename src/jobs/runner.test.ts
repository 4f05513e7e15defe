// The job runner over an in-memory store: steps until done, outcomes and the next run, a failed step, a
// stop mid-run resumed by the next runner, and a clock moved during a run.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eventually } from '../../test/helpers/eventually.ts';
import { silentLogger } from '../http/log.ts';
import { MemoryMetadata } from '../storage/memory/memory-metadata.ts';
import type { JobOutcome, MetadataStore } from '../storage/metadata.ts';
import { JobRunner, type Job } from './runner.ts';

/** A job over pages 0..pages-1 that records each step's cursor, and may wait before a page or fail at one. */
function pagedJob(pages: number, options: { failAt?: number; before?: (page: number) => Promise<void> } = {}): Job & { seen: string[] } {
  const seen: string[] = [];
  return {
    name: 'paged',
    intervalMs: 1_000,
    seen,
    async step(cursor) {
      const page = cursor === undefined ? 0 : Number(cursor);
      await options.before?.(page);
      seen.push(String(page));
      if (page === options.failAt) throw new Error(`page ${page} is bad`);
      return page + 1 < pages ? String(page + 1) : undefined;
    },
  };
}

function runnerFor(meta: MemoryMetadata, job: Job, now: { value: number }, finished: JobOutcome[] = []): JobRunner {
  return new JobRunner(meta, [job], { holder: 'me', clock: () => now.value, realClock: Date.now, log: silentLogger, observer: { jobFinished: (_name, o) => finished.push(o) } });
}

it('runs every step, records the outcome and schedules the next run an interval after the end', async () => {
  const meta = new MemoryMetadata();
  const job = pagedJob(3);
  const finished: JobOutcome[] = [];
  const runner = runnerFor(meta, job, { value: 50 }, finished);
  assert.deepEqual(await runner.runNow('paged'), { startedAt: 50, endedAt: 50, outcome: 'success' });
  assert.deepEqual(job.seen, ['0', '1', '2']);
  assert.deepEqual(finished.map((o) => o.outcome), ['success']);
  assert.deepEqual(await meta.getJob('paged'), { name: 'paged', nextRunAt: 1_050, lastRun: { startedAt: 50, endedAt: 50, outcome: 'success' } });
  await runner.close();
});

it('records a failed run with its error and starts the next one from the beginning', async () => {
  const meta = new MemoryMetadata();
  const job = pagedJob(3, { failAt: 1 });
  const runner = runnerFor(meta, job, { value: 0 });
  const outcome = await runner.runNow('paged');
  assert.equal(outcome?.outcome, 'failure');
  assert.match(outcome.error ?? '', /page 1 is bad/);
  assert.equal((await meta.getJob('paged'))?.run, undefined);
  await runner.runNow('paged');
  assert.deepEqual(job.seen, ['0', '1', '0', '1']);
  await runner.close();
});

it('stopped mid-run, leaves the cursor for the next runner, which resumes there', async () => {
  const meta = new MemoryMetadata();
  let stop = (): void => undefined;
  const first = pagedJob(4, { before: async (page) => (page === 2 ? stop() : undefined) });
  const runner = runnerFor(meta, first, { value: 0 });
  stop = () => void runner.close();
  assert.equal(await runner.runNow('paged'), undefined, 'ended by the stop');
  assert.deepEqual(first.seen, ['0', '1', '2']);
  assert.deepEqual((await meta.getJob('paged'))?.run, { startedAt: 0, cursor: '3' });

  const next = pagedJob(4);
  const resumed = runnerFor(meta, next, { value: 10 });
  const outcome = await resumed.runNow('paged');
  assert.deepEqual(next.seen, ['3']);
  assert.deepEqual(outcome, { startedAt: 0, endedAt: 10, outcome: 'success' }, 'the same run, started at 0');
  await resumed.close();
});

it('runs a job again at once when the clock moved during its run', async () => {
  const meta = new MemoryMetadata();
  const now = { value: 0 };
  let moveClock = (): void => undefined;
  const job = pagedJob(2, { before: async (page) => (page === 1 ? moveClock() : undefined) });
  const runner = runnerFor(meta, job, now);
  moveClock = () => {
    now.value = 5_000;
    runner.clockMoved();
  };
  await runner.runNow('paged');
  assert.equal((await meta.getJob('paged'))?.nextRunAt, 5_000, 'due at once, not an interval later');
  moveClock = () => undefined;
  await runner.close();
});

it('of two processes that both found a job due, only one runs it: the other sees, as it takes the lease, that it ran meanwhile', async () => {
  const meta = new MemoryMetadata();
  const job = pagedJob(1);
  const finished: JobOutcome[] = [];
  const runner = (store: MetadataStore, holder: string): JobRunner =>
    new JobRunner(store, [job], { holder, clock: () => 0, realClock: Date.now, log: silentLogger, observer: { jobFinished: (_name, o) => finished.push(o) } });
  // B reads the schedule (the job never run: due) before A runs it, and acts on that read after A's run.
  const dueBefore = await meta.listJobs();
  let readLate = (): void => undefined;
  const late = new Promise<void>((resolve) => (readLate = resolve));
  // The tick reads the schedule twice: to run what is due (answered late), then to sleep until the next.
  let reads = 0;
  const slowReader = new Proxy(meta, {
    get(target, property) {
      if (property === 'listJobs') return async () => (++reads === 1 ? (await late, dueBefore) : target.listJobs());
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const b = runner(slowReader, 'b');
  await b.start(false);
  const a = runner(meta, 'a');
  await a.start(false);
  await eventually('A ran it', async () => finished.length === 1);
  await a.close();
  readLate();
  await eventually('B acted on its late read', async () => reads === 2);
  await b.close();
  assert.deepEqual(job.seen, ['0'], 'B did not run it again');
  assert.equal(finished.length, 1);
});
