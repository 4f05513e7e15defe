// Two buckets on one coslocal, measured A-B-B-A then B-A-A-B with the same 4 KiB GET/PUT load: what one bucket's
// authorization data (a large ACL, a large policy) costs against a plain bucket, in the same run.
import { randomBytes } from 'node:crypto';
import { call, runLoad, type LoadResult, type Target } from './load.ts';

export const OBJECTS = 2000;
const CONCURRENCY = 64;
/** Short halves, many of them (see abba()): at most this many requests or this long, whichever comes first. */
const HALF_MAX_OPS = 2_000;
const HALF_MS = 1_000;
/**
 * A-B-B-A-B-A-A-B this many times: 96 halves, 192,000 requests at most per comparison. The
 * comparisons' targets sit a few percent from their expected ratios (ACL 0.95x, policy 0.9x, SigV4 0.95x;
 * the last costs ~2-4% more server CPU per PUT), and one comparison of 32 halves spread that much on this
 * shared machine: the same SigV4 code read 0.94x-1.00x in eight of them.
 */
const ROUNDS = 12;
const body = randomBytes(4096);

export interface Side {
  caller: Target;
  bucket: string;
  puts: number;
}

/** Creates the bucket (with these PUT Bucket headers) and OBJECTS objects `obj/<i>` (with these PUT Object headers). */
export async function populate(owner: Target, bucket: string, bucketHeaders: Record<string, string> = {}, objectHeaders: Record<string, string> = {}): Promise<void> {
  const created = await call(owner, { method: 'PUT', path: `/${bucket}/`, headers: bucketHeaders });
  if (created.status !== 200) throw new Error(`PUT Bucket ${bucket}: ${created.status}`);
  const result = await runLoad(owner, {
    concurrency: CONCURRENCY,
    maxOps: OBJECTS,
    maxMs: 120_000,
    next: (i) => ({ method: 'PUT', path: `/${bucket}/obj/${i}`, body, headers: objectHeaders }),
  });
  if (result.errors > 0) throw new Error(`populating ${bucket}: ${result.firstError ?? ''}`);
}

export const getHalf = (side: Side): Promise<LoadResult> =>
  runLoad(side.caller, {
    concurrency: CONCURRENCY,
    maxOps: HALF_MAX_OPS,
    maxMs: HALF_MS,
    next: (i) => ({ method: 'GET', path: `/${side.bucket}/obj/${(i * 7919) % OBJECTS}` }),
  });

export const putHalf = (side: Side): Promise<LoadResult> =>
  runLoad(side.caller, {
    concurrency: CONCURRENCY,
    maxOps: HALF_MAX_OPS,
    maxMs: HALF_MS,
    next: () => ({ method: 'PUT', path: `/${side.bucket}/new/${side.puts++}`, body }),
  });

/** A-B-B-A-B-A-A-B, `rounds` times: each side runs first, second, third and fourth equally often. */
export const abbaOrder = <T>(a: T, b: T, rounds: number): T[] => Array.from({ length: rounds }, () => [a, b, b, a, b, a, a, b]).flat();

/**
 * A-B-B-A-B-A-A-B, ROUNDS times, over the two sides; ops/s summed over all halves of each. A 4 KiB PUT
 * comparison of two identical loads on one server favoured whichever side ran first and last under
 * A-B-B-A alone (0.84x one way round, 1.20x the other, server CPU per request equal); the B-A-A-B pass
 * gives each side every position equally often. Other work sharing the cores comes and goes over
 * seconds, so the halves are short and many: the same two identical loads (q-sign PUTs against q-sign
 * PUTs, ~5,000/s) measured 0.95x, 1.13x and 0.99x in three runs of 8 halves of up to 8,000 requests, and
 * 0.98x-1.02x in five runs of 32 halves of up to 2,000.
 */
export async function abba(a: Side, b: Side, half: (side: Side) => Promise<LoadResult>): Promise<{ a: number; b: number; errors: number }> {
  const totals = new Map<Side, { ops: number; ms: number }>([
    [a, { ops: 0, ms: 0 }],
    [b, { ops: 0, ms: 0 }],
  ]);
  let errors = 0;
  for (const side of abbaOrder(a, b, ROUNDS)) {
    const result = await half(side);
    const total = totals.get(side);
    if (total) {
      total.ops += result.ops;
      total.ms += result.elapsedMs;
    }
    errors += result.errors;
  }
  const rate = (side: Side): number => {
    const t = totals.get(side);
    return t && t.ms > 0 ? (t.ops * 1000) / t.ms : 0;
  };
  return { a: rate(a), b: rate(b), errors };
}

/** One table row: the ratio of side b to side a against a target. */
export function ratioRow(name: string, r: { a: number; b: number; errors: number }, target: number): string {
  const ratio = r.a > 0 ? r.b / r.a : 0;
  const pass = ratio >= target && r.errors === 0 ? 'yes' : `**NO**${r.errors ? ` (${r.errors} errors)` : ''}`;
  return `| ${name} | ${r.a.toFixed(0)} | ${r.b.toFixed(0)} | ${ratio.toFixed(2)}× | ≥ ${target}× | ${pass} |`;
}
