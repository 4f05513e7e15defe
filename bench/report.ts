// Aggregates measured samples per case and server, and prints the markdown table and target lines.
import type { LoadResult } from './load.ts';
import type { ProcessUsage } from './proc-stats.ts';

export const MiB = 1024 * 1024;

/** One measured run of one case against one server. */
export interface Sample {
  load: LoadResult;
  usage: ProcessUsage;
  /** CPU the load generator (this process) used meanwhile, µs. */
  clientCpuMicros: number;
}

export interface Summary {
  /** ops/s, or MB/s (10^6 bytes) for throughput cases. */
  throughput: number;
  p50: number;
  p99: number;
  cpuPerReq: number;
  userPerReq: number;
  sysPerReq: number;
  mainThreadPerReq: number;
  /** Main-thread CPU over wall time: near 1 means the event loop was saturated. */
  mainThreadBusy: number;
  clientCpuPerReq: number;
  peakRssMiB: number;
  exactPeak: boolean;
  ops: number;
  errors: number;
  firstError: string | undefined;
  /** Throughput of each sample (run), in order, to show the spread. */
  perRun: number[];
  /** Server CPU µs/req of each sample. */
  cpuPerRun: number[];
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

export function summarize(samples: readonly Sample[], unit: 'ops' | 'MB'): Summary {
  let ops = 0;
  let errors = 0;
  let elapsedMs = 0;
  let bytes = 0;
  let cpu = 0;
  let user = 0;
  let sys = 0;
  let main = 0;
  let clientCpu = 0;
  let peak = 0;
  let exactPeak = true;
  let firstError: string | undefined;
  const latencies: number[] = [];
  for (const s of samples) {
    ops += s.load.ops;
    errors += s.load.errors;
    elapsedMs += s.load.elapsedMs;
    bytes += s.load.bytes;
    cpu += s.usage.cpuMicros;
    user += s.usage.userMicros;
    sys += s.usage.sysMicros;
    main += s.usage.mainThreadMicros;
    clientCpu += s.clientCpuMicros;
    peak = Math.max(peak, s.usage.peakRss);
    exactPeak &&= s.usage.exactPeak;
    firstError ??= s.load.firstError;
    for (const l of s.load.latencies) latencies.push(l);
  }
  const seconds = elapsedMs / 1000;
  const rate = (ops: number, bytes: number, ms: number): number => (unit === 'ops' ? ops / (ms / 1000) : bytes / 1e6 / (ms / 1000));
  return {
    perRun: samples.map((s) => rate(s.load.ops, s.load.bytes, s.load.elapsedMs)),
    cpuPerRun: samples.map((s) => s.usage.cpuMicros / s.load.ops),
    throughput: unit === 'ops' ? ops / seconds : bytes / 1e6 / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuPerReq: ops === 0 ? NaN : cpu / ops,
    userPerReq: ops === 0 ? NaN : user / ops,
    sysPerReq: ops === 0 ? NaN : sys / ops,
    mainThreadPerReq: ops === 0 ? NaN : main / ops,
    mainThreadBusy: main / 1000 / elapsedMs,
    clientCpuPerReq: ops === 0 ? NaN : clientCpu / ops,
    peakRssMiB: peak / MiB,
    exactPeak,
    ops,
    errors,
    firstError,
  };
}

export interface CaseResult {
  name: string;
  unit: 'ops' | 'MB';
  bare: Summary;
  coslocal: Summary;
  /** Minimum coslocal/bare throughput ratio, if the issue sets one. */
  minRatio?: number;
  /** Maximum coslocal peak RSS in MiB, if the issue sets one. */
  maxRssMiB?: number;
}

const num = (n: number): string => {
  if (!Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
};
const ratio = (a: number, b: number): number => a / b;
const withRatio = (value: number, bare: number): string => `${num(value)} (${num(ratio(value, bare))}×)`;

function targetText(c: CaseResult): string {
  const parts: string[] = [];
  if (c.minRatio !== undefined) parts.push(`≥ ${c.minRatio.toFixed(2)}× ${c.unit === 'ops' ? 'ops/s' : 'MB/s'}`);
  if (c.maxRssMiB !== undefined) parts.push(`RSS ≤ ${c.maxRssMiB} MiB`);
  return parts.length === 0 ? '—' : parts.join(', ');
}

interface TargetCheck {
  text: string;
  pass: boolean;
}

export function checks(c: CaseResult): TargetCheck[] {
  const out: TargetCheck[] = [];
  const unit = c.unit === 'ops' ? 'ops/s' : 'MB/s';
  if (c.minRatio !== undefined) {
    const r = ratio(c.coslocal.throughput, c.bare.throughput);
    out.push({
      text: `${c.name} ${unit} ≥ ${c.minRatio}× bare: coslocal ${num(c.coslocal.throughput)} vs bare ${num(c.bare.throughput)} = ${num(r)}×`,
      pass: r >= c.minRatio,
    });
  }
  if (c.maxRssMiB !== undefined) {
    out.push({
      text: `${c.name} coslocal peak RSS ≤ ${c.maxRssMiB} MiB: ${num(c.coslocal.peakRssMiB)} MiB${c.coslocal.exactPeak ? '' : ' (sampled every 100 ms)'}`,
      pass: c.coslocal.peakRssMiB <= c.maxRssMiB,
    });
  }
  return out;
}

export function renderTable(cases: readonly CaseResult[]): string {
  const header = ['case', 'server', 'ops/s or MB/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'peak RSS MiB', 'ratio vs bare (throughput)', 'target', 'pass?'];
  const rows: string[][] = [];
  for (const c of cases) {
    const unit = c.unit === 'ops' ? 'ops/s' : 'MB/s';
    const b = c.bare;
    const s = c.coslocal;
    rows.push([c.name, 'bare', `${num(b.throughput)} ${unit}`, num(b.p50), num(b.p99), num(b.cpuPerReq), num(b.peakRssMiB), '1.00×', '', '']);
    const cs = checks(c);
    rows.push([
      c.name,
      'coslocal',
      `${withRatio(s.throughput, b.throughput)} ${unit}`,
      withRatio(s.p50, b.p50),
      withRatio(s.p99, b.p99),
      withRatio(s.cpuPerReq, b.cpuPerReq),
      withRatio(s.peakRssMiB, b.peakRssMiB),
      `${num(ratio(s.throughput, b.throughput))}×`,
      targetText(c),
      cs.length === 0 ? '—' : cs.every((x) => x.pass) ? 'yes' : '**NO**',
    ]);
  }
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderTargets(cases: readonly CaseResult[]): string {
  const lines: string[] = [];
  for (const c of cases) for (const t of checks(c)) lines.push(`${t.pass ? 'PASS' : 'MISS'}  ${t.text}`);
  return lines.join('\n');
}

export function renderNotes(cases: readonly CaseResult[]): string {
  const lines: string[] = [];
  for (const c of cases) {
    const unit = c.unit === 'ops' ? 'ops/s' : 'MB/s';
    for (const [server, s] of [['bare', c.bare], ['coslocal', c.coslocal]] as const) {
      lines.push(`- ${c.name} / ${server}: ${s.ops} requests, ${s.errors} errors${s.firstError ? ` (first: ${s.firstError})` : ''}`);
      lines.push(`    per run (A-B-B-A order): ${s.perRun.map(num).join(', ')} ${unit}; server CPU ${s.cpuPerRun.map(num).join(', ')} µs/req`);
      lines.push(
        `    server CPU µs/req: user ${num(s.userPerReq)} + sys ${num(s.sysPerReq)}; main thread ${num(s.mainThreadPerReq)} ` +
          `(event loop ${(s.mainThreadBusy * 100).toFixed(0)}% busy); load generator ${num(s.clientCpuPerReq)} µs/req` +
          `${s.exactPeak ? '' : '; RSS peak sampled, not exact'}`,
      );
    }
  }
  return lines.join('\n');
}
