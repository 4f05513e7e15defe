// Per-process CPU time and memory from /proc (Linux only): what a server spent on a phase, and its peak RSS.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

function clockTicksPerSecond(): number {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

const TICKS_PER_SECOND = clockTicksPerSecond();

export interface CpuTimes {
  /** User-mode CPU, µs. */
  user: number;
  /** Kernel-mode CPU, µs. */
  sys: number;
}

function readCpu(statPath: string): CpuTimes {
  const stat = readFileSync(statPath, 'utf8');
  // The command name (field 2) may contain spaces and parentheses; fields after the last ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at indexes 11 and 12.
  const toMicros = (ticks: string | undefined): number => (Number(ticks) * 1_000_000) / TICKS_PER_SECOND;
  return { user: toMicros(fields[11]), sys: toMicros(fields[12]) };
}

/** CPU time the whole process (all threads) has used so far (resolution: one clock tick, usually 10 ms). */
export const processCpu = (pid: number): CpuTimes => readCpu(`/proc/${pid}/stat`);

/** CPU time of the process's main thread alone: the event loop, where all JavaScript runs. */
export const mainThreadCpu = (pid: number): CpuTimes => readCpu(`/proc/${pid}/task/${pid}/stat`);

/** A `VmXxx:   1234 kB` line of /proc/<pid>/status, in bytes; undefined if the process is gone. */
export function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

/**
 * Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux ≥ 4.0), so a later VmHWM is the
 * peak of one phase. Returns false where that is not allowed; the 100 ms sampler still bounds it.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS every `intervalMs` and keeps the maximum. */
export class RssSampler {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  #max = 0;

  constructor(pid: number, intervalMs = 100) {
    this.#pid = pid;
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
  }

  #sample(): void {
    const rss = statusBytes(this.#pid, 'VmRSS');
    if (rss !== undefined && rss > this.#max) this.#max = rss;
  }

  /** Stops sampling; the maximum seen, including one last sample. */
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    return this.#max;
  }
}

/** What a server process spent during one measured interval. */
export interface ProcessUsage {
  cpuMicros: number;
  userMicros: number;
  sysMicros: number;
  /** Main-thread (event loop) share of cpuMicros; the rest is libuv's thread pool, GC helpers and the like. */
  mainThreadMicros: number;
  /** Peak RSS in bytes: VmHWM after a reset if that worked, else the 100 ms VmRSS samples; the larger of both. */
  peakRss: number;
  /** True when the peak is the kernel's exact VmHWM for this interval, false when only sampled. */
  exactPeak: boolean;
}

export interface UsageMeter {
  stop(): ProcessUsage;
}

export function meterProcess(pid: number): UsageMeter {
  const exactPeak = resetPeakRss(pid);
  const before = processCpu(pid);
  const mainBefore = mainThreadCpu(pid);
  const sampler = new RssSampler(pid);
  return {
    stop() {
      const after = processCpu(pid);
      const mainAfter = mainThreadCpu(pid);
      const sampled = sampler.stop();
      const hwm = exactPeak ? (statusBytes(pid, 'VmHWM') ?? 0) : 0;
      const userMicros = after.user - before.user;
      const sysMicros = after.sys - before.sys;
      return {
        cpuMicros: userMicros + sysMicros,
        userMicros,
        sysMicros,
        mainThreadMicros: mainAfter.user + mainAfter.sys - mainBefore.user - mainBefore.sys,
        peakRss: Math.max(sampled, hwm),
        exactPeak,
      };
    },
  };
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, ...values] = line.trim().split(/\s+/);
  const n = values.map(Number);
  // user nice system idle iowait irq softirq steal ...: idle + iowait are not busy.
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - (n[3] ?? 0) - (n[4] ?? 0), total };
}

/** The share of all CPUs busy over the next `ms` (anything else running skews a benchmark on a small machine). */
export async function machineBusy(ms = 1000): Promise<number> {
  const before = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineTicks();
  return (after.busy - before.busy) / Math.max(1, after.total - before.total);
}

/** The pid and its descendants, found through each process's parent in /proc/<pid>/stat. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // After the command name: state, then the parent pid.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] ?? 0) ?? []));
  return tree;
}

/**
 * CPU time (µs, user + kernel) the process and all its descendants have used so far, as one number: a
 * primary with its workers, a PostgreSQL server with its backends. A process that exited meanwhile is
 * left out, so take the tree once and read it before and after.
 */
export function treeCpuMicros(pids: readonly number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      const { user, sys } = processCpu(pid);
      sum += user + sys;
    } catch {
      // exited
    }
  }
  return sum;
}
