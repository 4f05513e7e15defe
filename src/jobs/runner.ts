// The background job runner: runs each job when it is due on the server's clock, a small step at a time,
// recording its progress in the metadata store so that a run interrupted by kill -9 is resumed at the
// next start and only one of the processes sharing a store runs a job (a lease, jobs/lease.ts).
//
// A job is a name, an interval and an idempotent step function:
//
//   const job: Job = { name: 'lifecycle', intervalMs: HOUR, step: (cursor, now) => ... };
//
// `step(cursor, now)` does one bounded piece of a run (a page of keys, in one transaction of its own) and
// returns the cursor to resume from, or undefined once the run is done. A run starts with cursor undefined.
// The runner stores the cursor after each step, so after a crash the last step is done again: a step
// must decide again from what the store holds (never from "I did this already"), so that doing it twice
// is the same as once. Between steps the runner yields to requests, and with the test clock a move of
// the clock (admin /_coslocal/v1/clock) wakes it at once.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../http/log.ts';
import type { JobOutcome, JobState, MetadataStore } from '../storage/metadata.ts';
import { changeLeased, lapseLeases, type LeaseHolder } from './lease.ts';

export interface Job {
  /** Unique; the admin endpoint's and the metrics' name for it. */
  readonly name: string;
  /** How long after a run ends the next is due, on the server's clock. */
  readonly intervalMs: number;
  step(cursor: string | undefined, now: number): Promise<string | undefined>;
}

/** What the runner reports as runs end (admin/metrics.ts). */
export interface JobObserver {
  jobFinished(name: string, outcome: JobOutcome): void;
}

export interface RunnerOptions {
  /** This process, for leases. */
  holder: string;
  /** The server's clock (the test clock with --test-controls): what is due is decided on it. */
  clock: () => number;
  /** Real time, for leases. */
  realClock: () => number;
  log: Logger;
  observer: JobObserver;
}

/** A lease stands this long unrenewed; every step renews it. */
const LEASE_MS = 30_000;
/** The longest the runner sleeps between looks at the schedule: a running test clock, or another process's run, moves what is due. */
const MAX_SLEEP_MS = 60_000;

/** The longest rest between two steps of a run. */
const MAX_REST_MS = 50;

/** Another process took the job over (this one stalled past its lease); this run stops where it is. */
class LeaseLost extends Error {}

export class JobRunner {
  readonly #meta: MetadataStore;
  readonly #jobs: ReadonlyMap<string, Job>;
  readonly #options: RunnerOptions;
  /** Each job's run in this process, so runs of one job never overlap here. */
  readonly #running = new Map<string, Promise<JobOutcome | undefined>>();
  /** Jobs whose run in progress saw the clock move (clockMoved): due again as soon as it ends. */
  readonly #stale = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #wakeAgain = false;
  #closed = false;

  constructor(meta: MetadataStore, jobs: readonly Job[], options: RunnerOptions) {
    this.#meta = meta;
    this.#jobs = new Map(jobs.map((job) => [job.name, job]));
    this.#options = options;
  }

  /**
   * Starts the schedule. `ownsStoreAlone`: no other process shares the store (the data-dir lock), so the
   * leases of earlier processes are void and their interrupted runs resume now.
   */
  async start(ownsStoreAlone: boolean): Promise<void> {
    if (ownsStoreAlone) {
      const lapsed = await lapseLeases(this.#meta, this.#options.holder);
      if (lapsed > 0) this.#options.log.info({ msg: 'resuming jobs interrupted by an earlier stop', lapsed });
    }
    this.wake();
  }

  /**
   * The server's clock was set or moved (the test clock): a run in progress decided its earlier pages on
   * the old time, so it runs again once it ends, and what is due on the new time is looked at now.
   */
  clockMoved(): void {
    for (const name of this.#running.keys()) this.#stale.add(name);
    this.wake();
  }

  /** Looks at the schedule now. */
  wake(): void {
    if (this.#closed) return;
    if (this.#ticking) {
      this.#wakeAgain = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#ticking = this.#tick().finally(() => {
      this.#ticking = undefined;
      if (this.#wakeAgain) {
        this.#wakeAgain = false;
        this.wake();
      }
    });
  }

  /** Every job's state, with the jobs never run yet as due now. */
  async states(): Promise<JobState[]> {
    const stored = new Map((await this.#meta.listJobs()).map((state) => [state.name, state]));
    return [...this.#jobs.keys()].sort().map((name) => stored.get(name) ?? { name, nextRunAt: this.#options.clock() });
  }

  has(name: string): boolean {
    return this.#jobs.has(name);
  }

  /**
   * Runs the job now, after its run in progress in this process if any, and resolves with how it ended;
   * undefined while another process holds it.
   */
  async runNow(name: string): Promise<JobOutcome | undefined> {
    const job = this.#jobs.get(name);
    if (!job) return undefined;
    await this.#running.get(name);
    return this.#run(job, true);
  }

  /** Stops scheduling and waits for the step in progress; an unfinished run resumes at the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#ticking;
    await Promise.all(this.#running.values());
  }

  async #tick(): Promise<void> {
    try {
      for (const state of await this.states()) {
        const job = this.#jobs.get(state.name);
        if (this.#closed || !job || this.#running.has(job.name)) continue;
        if (state.run || state.nextRunAt <= this.#options.clock()) await this.#run(job, false);
      }
      this.#sleep(await this.states());
    } catch (error) {
      this.#options.log.error({ msg: 'job schedule: could not read the jobs\' state; trying again', error: String(error) });
      this.#sleep([]);
    }
  }

  #sleep(states: readonly JobState[]): void {
    if (this.#closed) return;
    const now = this.#options.clock();
    const soonest = Math.min(MAX_SLEEP_MS, ...states.map((s) => (s.lease && s.lease.holder !== this.#options.holder ? MAX_SLEEP_MS : s.nextRunAt - now)));
    this.#timer = setTimeout(() => this.wake(), Math.max(0, soonest)).unref();
  }

  /** `now`: run it even if not due (runNow). */
  #run(job: Job, now: boolean): Promise<JobOutcome | undefined> {
    const run = this.#runSteps(job, now).finally(() => this.#running.delete(job.name));
    this.#running.set(job.name, run);
    return run;
  }

  #me(release = false): LeaseHolder & { release: boolean; firstRunAt: number } {
    return { holder: this.#options.holder, realNow: this.#options.realClock(), ttlMs: LEASE_MS, release, firstRunAt: this.#options.clock() };
  }

  async #runSteps(job: Job, now: boolean): Promise<JobOutcome | undefined> {
    const { clock, log } = this.#options;
    // An interrupted run (this job's `run` survived a crash) resumes from its cursor. The schedule that
    // found the job due was read outside this transaction: another process may have run it since.
    const taken = await changeLeased(this.#meta, job.name, this.#me(), (s) => (s.run || now || s.nextRunAt <= clock() ? { ...s, run: s.run ?? { startedAt: clock() } } : undefined));
    if (!taken?.run) return undefined;
    const { startedAt } = taken.run;
    let cursor = taken.run.cursor;
    let error: unknown;
    try {
      do {
        const before = performance.eventLoopUtilization();
        cursor = await job.step(cursor, clock());
        const at = cursor;
        const saved = await changeLeased(this.#meta, job.name, this.#me(), (s) => ({ ...s, run: { startedAt, ...(at !== undefined && { cursor: at }) } }));
        if (!saved) throw new LeaseLost(`job ${job.name}: another process took it over`);
        // Rest as long as the event loop was busy during the step (not while it waited on I/O, an fsync): requests
        // get at least half the loop while a job runs. A setImmediate would not do: a request takes several
        // turns of the loop (read, handler, write), and the memory engine's steps never wait on I/O at all.
        await sleep(Math.min(MAX_REST_MS, performance.eventLoopUtilization(before).active));
      } while (cursor !== undefined && !this.#closed);
    } catch (thrown) {
      if (thrown instanceof LeaseLost) return undefined;
      error = thrown;
    }
    if (cursor !== undefined && error === undefined) {
      // Closing: the next start resumes from the cursor saved.
      await changeLeased(this.#meta, job.name, this.#me(true), (s) => s);
      return undefined;
    }
    const outcome: JobOutcome = { startedAt, endedAt: clock(), outcome: error === undefined ? 'success' : 'failure', ...(error !== undefined && { error: String(error) }) };
    if (error !== undefined) log.error({ msg: `job ${job.name} failed; it runs again at its next time`, job: job.name, error: String(error) });
    const nextRunAt = this.#stale.delete(job.name) ? outcome.endedAt : outcome.endedAt + job.intervalMs;
    // A failed run starts over next time: its cursor may point at what made it fail.
    await changeLeased(this.#meta, job.name, this.#me(true), () => ({ name: job.name, nextRunAt, lastRun: outcome }));
    this.#options.observer.jobFinished(job.name, outcome);
    return outcome;
  }
}
