// Prometheus metrics (prom-client), served at GET /_coslocal/metrics: requests, latency, bytes, denials,
// what is stored, background job runs, and Node's own (event-loop lag, heap, GC).
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DenyLayer } from '../authz/decide.ts';
import type { JobObserver } from '../jobs/runner.ts';
import type { JobOutcome } from '../storage/metadata.ts';

/** What one finished request adds. */
export interface FinishedRequest {
  /** The COS operation, `Admin` for the admin endpoint, `Unresolved` when the request never reached one. */
  operation: string;
  status: number;
  durationSeconds: number;
  bytesIn: number;
  bytesOut: number;
}

/** Objects and their bytes, counted when scraped. */
export type StoredTotals = () => Promise<{ objects: number; bytes: number }>;

/** A --workers process's: every worker's metrics added up (the primary gathers them: workers.ts). */
export type ClusterMetrics = () => Promise<string>;

/**
 * One registry per server, so servers started side by side in one process (tests) keep apart. Labels are
 * operations, statuses and deciding layers only: never a bucket, key or account, which would both leak
 * names to whoever scrapes and grow without bound.
 */
export class ServerMetrics implements JobObserver {
  readonly registry = new Registry();
  readonly #requests: Counter<'operation' | 'status'>;
  readonly #duration: Histogram<'operation'>;
  readonly #bytesIn: Counter<'operation'>;
  readonly #bytesOut: Counter<'operation'>;
  readonly #denials: Counter<'layer'>;
  readonly #objects: Gauge;
  readonly #bytes: Gauge;
  readonly #stored: StoredTotals;
  /** The count under way, shared by the two gauges of one scrape. */
  #counting: ReturnType<StoredTotals> | undefined;
  readonly #cluster: ClusterMetrics | undefined;
  readonly #jobRuns: Counter<'job' | 'outcome'>;
  readonly #jobLastSuccess: Gauge<'job'>;

  /**
   * `cluster`: this is a worker; a scrape answers with every worker's metrics added up, and the store's
   * gauges, which every worker reads alike from the shared store, are the same in each (aggregator 'first').
   */
  constructor(stored: StoredTotals, cluster?: ClusterMetrics) {
    const registers = [this.registry];
    this.#requests = new Counter({ name: 'coslocal_requests_total', help: 'Requests answered, by operation and HTTP status', labelNames: ['operation', 'status'], registers });
    this.#duration = new Histogram({
      name: 'coslocal_request_duration_seconds',
      help: 'Time from a request arriving to its response ending, by operation',
      labelNames: ['operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#bytesIn = new Counter({ name: 'coslocal_received_bytes_total', help: 'Bytes received on requests\' connections, by operation', labelNames: ['operation'], registers });
    this.#bytesOut = new Counter({ name: 'coslocal_sent_bytes_total', help: 'Bytes sent on requests\' connections, by operation', labelNames: ['operation'], registers });
    this.#denials = new Counter({ name: 'coslocal_denials_total', help: 'Authorization decisions that denied, by the layer that decided (authz/decide.ts DenyLayer); a request may be decided more than once (a refused GET also asks whether the caller may list)', labelNames: ['layer'], registers });
    // Read when scraped (in every worker asked, with --workers), both from one count of the store.
    this.#objects = new Gauge({ name: 'coslocal_stored_objects', help: 'Objects stored (every version; delete markers not counted)', registers, aggregator: 'first', collect: async () => this.#objects.set((await this.#totals()).objects) });
    this.#bytes = new Gauge({ name: 'coslocal_stored_bytes', help: 'Bytes of the objects stored', registers, aggregator: 'first', collect: async () => this.#bytes.set((await this.#totals()).bytes) });
    this.#jobRuns = new Counter({ name: 'coslocal_job_runs_total', help: 'Background job runs finished (jobs/runner.ts), by job and outcome (success, failure)', labelNames: ['job', 'outcome'], registers });
    this.#jobLastSuccess = new Gauge({
      name: 'coslocal_job_last_success_timestamp_seconds',
      help: 'When each background job last finished a run successfully, on the server\'s clock (the test clock with --test-controls)',
      labelNames: ['job'],
      registers,
      // The latest success of any worker.
      aggregator: 'max',
    });
    this.#stored = stored;
    this.#cluster = cluster;
    collectDefaultMetrics({ register: this.registry });
    if (cluster) {
      // prom-client answers the primary's requests for a worker's metrics from these registries, once an
      // AggregatorRegistry was made in the worker (its constructor adds the listener: prom-client lib/cluster.js).
      AggregatorRegistry.setRegistries(this.registry);
      new AggregatorRegistry();
    }
  }

  requestFinished(r: FinishedRequest): void {
    this.#requests.inc({ operation: r.operation, status: String(r.status) });
    this.#duration.observe({ operation: r.operation }, r.durationSeconds);
    if (r.bytesIn > 0) this.#bytesIn.inc({ operation: r.operation }, r.bytesIn);
    if (r.bytesOut > 0) this.#bytesOut.inc({ operation: r.operation }, r.bytesOut);
  }

  denied(layer: DenyLayer): void {
    this.#denials.inc({ layer });
  }

  jobFinished(name: string, outcome: JobOutcome): void {
    this.#jobRuns.inc({ job: name, outcome: outcome.outcome });
    if (outcome.outcome === 'success') this.#jobLastSuccess.set({ job: name }, outcome.endedAt / 1000);
  }

  /** The text a scrape gets: this process's metrics, or with --workers every worker's added up. */
  render(): Promise<string> {
    return this.#cluster ? this.#cluster() : this.registry.metrics();
  }

  #totals(): ReturnType<StoredTotals> {
    this.#counting ??= this.#stored().finally(() => (this.#counting = undefined));
    return this.#counting;
  }
}
