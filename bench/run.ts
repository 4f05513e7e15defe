// `npm run bench`: coslocal against a bare node:http server with the same per-object durability, one load
// generator for both, every request COS-signed. Prints a markdown table with ratios to the bare server.
//
// `npm run bench -- put get` runs only the named cases (names in CASES below).
// Cases (each run A-B-B-A, i.e. bare, coslocal, coslocal, bare, so drift and ordering effects cancel):
//   4 KiB PUT   concurrency 64, per half min(5 s, 10 000 requests), fresh keys put/<n>
//   4 KiB GET   concurrency 64, per half min(5 s, 10 000 requests), over the keys that server wrote
//   LIST        concurrency 8, 100 requests per half, pages of 1000 keys (max-keys=1000) at markers
//               spread over ≥ 5000 keys under put/, three times: GET Bucket (marker), ListObjectsV2
//               (list-type=2, start-after) and GET Bucket Object versions (?versions, key-marker; the
//               bucket is unversioned, so every key is one `null` version); each once on the default engine
//               and once on a third server started --in-memory ("…, in memory" rows), both against bare
//   1 GiB PUT   two sequential streamed requests per half (1 MiB chunk written 1024 times, Content-Length set)
//   1 GiB GET   two sequential requests per half, the bodies drained
//   1 GiB multipart  8 x 128 MiB parts in parallel + Initiate/Complete; bare: 8 parallel 128 MiB PUTs;
//               one upload per half, A-B-B-A-B-A-A-B
//   scale       4 KiB PUT then GET, c=64, 5 s each, against 1, 2 and 4 processes (--workers) on SQLite and on
//               PostgreSQL (a durable throwaway cluster), and the bare server (bench/scale-case.ts)
// Server CPU comes from /proc/<pid>/stat, peak RSS from VmHWM (reset per half) and 100 ms VmRSS samples.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { call, makeTarget, runLoad, type LoadResult, type Target } from './load.ts';
import { runAclCase } from './acl-case.ts';
import { partEtag, uploadMultipart } from './multipart-case.ts';
import { runPolicyCase } from './policy-case.ts';
import { abbaOrder } from './side-by-side.ts';
import { runSigV4Case } from './sigv4-case.ts';
import { runScaleCase } from './scale-case.ts';
import { runVersionsCase } from './versions-case.ts';
import { machineBusy, meterProcess } from './proc-stats.ts';
import { renderNotes, renderTable, renderTargets, summarize, type CaseResult, type Sample } from './report.ts';
import { BENCH_BUCKET, BENCH_SECRET_ID, BENCH_SECRET_KEY, ROOT, diskWarning, killAllSync, startBare, startCoslocal, type ServerProcess } from './servers.ts';

const SMALL = 4096;
const CONCURRENCY = 64;
const HALF_MS = 5_000;
const HALF_MAX_OPS = 10_000;
const LIST_PAGE = 1000;
const LIST_MIN_KEYS = 5000;
/** GET reads the keys PUT wrote; a run without the PUT case writes this many first. */
const GET_MIN_KEYS = 2000;
const LIST_HALF_OPS = 100;
const BIG_CHUNK = 1024 * 1024;
const BIG_CHUNKS = 1024;
/** One 1 GiB request per half left each side with two samples on a noisy machine; each half does two. */
const BIG_PUTS_PER_HALF = 2;
const BIG_GETS_PER_HALF = 2;

interface Side {
  server: ServerProcess;
  target: Target;
  /** Keys this server holds under put/, in write (= sorted) order. */
  keys: string[];
}

const log = (msg: string): void => void process.stderr.write(`bench: ${msg}\n`);
const smallBody = randomBytes(SMALL);
const bigChunk = randomBytes(BIG_CHUNK);
const keyName = (n: number): string => `put/${String(n).padStart(8, '0')}`;
const objectPath = (key: string): string => `/${BENCH_BUCKET}/${key}`;

async function measure(side: Side, run: () => Promise<LoadResult>): Promise<Sample> {
  const meter = meterProcess(side.server.pid);
  const clientBefore = process.cpuUsage();
  const load = await run();
  const client = process.cpuUsage(clientBefore);
  return { load, usage: meter.stop(), clientCpuMicros: client.user + client.system };
}

/** Runs `half` A-B-B-A (or in the given order) and returns each side's samples. */
async function abba(bare: Side, cos: Side, half: (side: Side) => Promise<LoadResult>, order = [bare, cos, cos, bare]): Promise<{ bare: Sample[]; coslocal: Sample[] }> {
  const out = { bare: [] as Sample[], coslocal: [] as Sample[] };
  for (const side of order) {
    const sample = await measure(side, () => half(side));
    (side === bare ? out.bare : out.coslocal).push(sample);
  }
  return out;
}

async function putSmall(side: Side, maxOps: number, maxMs: number): Promise<LoadResult> {
  const first = side.keys.length;
  let attempted = 0;
  const result = await runLoad(side.target, {
    concurrency: CONCURRENCY,
    maxOps,
    maxMs,
    next: (i) => {
      attempted = Math.max(attempted, i + 1);
      return { method: 'PUT', path: objectPath(keyName(first + i)), body: smallBody };
    },
  });
  // Failed PUTs are counted as errors in the report; GETs of their keys would show up as errors too.
  for (let i = 0; i < attempted; i++) side.keys.push(keyName(first + i));
  return result;
}

function getSmall(side: Side): Promise<LoadResult> {
  const keys = side.keys;
  return runLoad(side.target, {
    concurrency: CONCURRENCY,
    maxOps: HALF_MAX_OPS,
    maxMs: HALF_MS,
    // A stride co-prime with most key counts spreads reads over all keys.
    next: (i) => ({ method: 'GET', path: objectPath(keys[(i * 7919) % keys.length] ?? '') }),
  });
}

/** The listings LIST measures: the case's name, and the query parameters that ask for it from a marker. */
const LISTINGS: { name: string; query: (marker: string) => [string, string][] }[] = [
  { name: 'LIST 1000 keys', query: (marker) => [['marker', marker]] },
  { name: 'ListObjectsV2 1000 keys', query: (marker) => [['list-type', '2'], ['start-after', marker]] },
  { name: 'LIST ?versions 1000 keys', query: (marker) => [['versions', ''], ['key-marker', marker]] },
];

function listPages(side: Side, listing: (typeof LISTINGS)[number]): Promise<LoadResult> {
  const markers = [''];
  for (let at = LIST_PAGE - 1; at + LIST_PAGE < side.keys.length; at += LIST_PAGE) markers.push(side.keys[at] ?? '');
  return runLoad(side.target, {
    concurrency: 8,
    maxOps: LIST_HALF_OPS,
    maxMs: 30_000,
    next: (i) => ({
      method: 'GET',
      path: `/${BENCH_BUCKET}/`,
      query: [['prefix', 'put/'], ['max-keys', String(LIST_PAGE)], ...listing.query(markers[i % markers.length] ?? '')],
    }),
  });
}

const putBig = (side: Side): Promise<LoadResult> =>
  runLoad(side.target, {
    concurrency: 1,
    maxOps: BIG_PUTS_PER_HALF,
    maxMs: 600_000,
    next: () => ({ method: 'PUT', path: objectPath('big/1gib'), body: { chunk: bigChunk, repeat: BIG_CHUNKS } }),
  });

async function getBig(side: Side): Promise<LoadResult> {
  const result = await runLoad(side.target, { concurrency: 1, maxOps: BIG_GETS_PER_HALF, maxMs: 600_000, next: () => ({ method: 'GET', path: objectPath('big/1gib') }) });
  if (result.bytes !== result.ops * BIG_CHUNK * BIG_CHUNKS) {
    result.errors++;
    result.firstError ??= `GET big/1gib returned ${result.bytes} bytes in ${result.ops} responses`;
  }
  return result;
}

async function ensureKeys(side: Side, count: number): Promise<void> {
  const missing = count - side.keys.length;
  if (missing > 0) await putSmall(side, missing, 600_000);
}

async function warmUp(side: Side): Promise<void> {
  const warm = (i: number): string => `/${BENCH_BUCKET}/warm/${i % 2000}`;
  await runLoad(side.target, { concurrency: CONCURRENCY, maxOps: 4000, maxMs: 1500, next: (i) => ({ method: 'PUT', path: warm(i), body: smallBody }) });
  await runLoad(side.target, { concurrency: CONCURRENCY, maxOps: 4000, maxMs: 1000, next: (i) => ({ method: 'GET', path: warm(i % 500) }) });
}

function runAuthzBench(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/authz.bench.ts'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`authz.bench.ts exited with ${code}`))));
  });
}

/** What `npm run bench -- <name>...` may select; without names every case runs, in this order. */
const CASES = ['put', 'get', 'list', 'bigput', 'bigget', 'multipart', 'acl', 'policy', 'versions', 'sigv4', 'scale', 'authz'] as const;
type CaseName = (typeof CASES)[number];

/** The cases runSideBySide() measures. */
const SIDE_BY_SIDE_CASES: readonly CaseName[] = ['put', 'get', 'list', 'bigput', 'bigget', 'multipart'];

/** The cases that measure coslocal against itself (one server of their own, two configurations), with their report headings. */
const COSLOCAL_ONLY_CASES: { name: CaseName; title: string; intro?: string; run: (server: ServerProcess) => Promise<string> }[] = [
  {
    name: 'acl',
    title: 'ACL evaluation: 100-grant ACLs vs private, coslocal only',
    intro: "The grantee's grants come after 97-98 non-matching ones, so every request walks the whole list.\n\n",
    run: runAclCase,
  },
  { name: 'policy', title: 'Bucket policy evaluation: 100 statements vs no policy, coslocal only', run: runPolicyCase },
  { name: 'versions', title: 'GET Bucket Object versions, coslocal only', run: runVersionsCase },
  { name: 'sigv4', title: 'SigV4 (S3 clients) vs COS q-sign, and streaming-signed vs unsigned 1 GiB PUT, coslocal only', run: runSigV4Case },
];

function selectedCases(args: readonly string[]): Set<CaseName> {
  const unknown = args.filter((a) => !(CASES as readonly string[]).includes(a));
  if (unknown.length > 0) throw new Error(`unknown case ${unknown.join(', ')}; cases: ${CASES.join(' ')}`);
  return new Set((args.length > 0 ? args : CASES) as CaseName[]);
}

/** The cases that compare coslocal with the bare server, both started here and warmed up together. */
async function runSideBySide(only: ReadonlySet<CaseName>, idleBusy: number): Promise<void> {
  log('starting servers');
  // LIST runs on the in-memory engine too, as a third server (the other cases measure the default engine).
  const [bareServer, cosServer, memoryServer] = await Promise.all([startBare(), startCoslocal(), only.has('list') ? startCoslocal({ inMemory: true }) : undefined]);
  const sideOf = (server: ServerProcess): Side => ({ server, target: makeTarget(server.name, server.hostPort, BENCH_SECRET_ID, BENCH_SECRET_KEY), keys: [] });
  const bare = sideOf(bareServer);
  const cos = sideOf(cosServer);
  const memory = memoryServer && sideOf(memoryServer);
  const sides = memory ? [bare, cos, memory] : [bare, cos];
  try {
    for (const side of sides) {
      const created = await call(side.target, { method: 'PUT', path: `/${BENCH_BUCKET}/` }, true);
      if (created.status !== 200) throw new Error(`${side.server.name}: PUT Bucket returned ${created.status}: ${created.body?.toString()}`);
    }
    log('warming up');
    for (const side of sides) await warmUp(side);

    const cases: CaseResult[] = [];
    if (only.has('put')) {
      log('4 KiB PUT');
      const put = await abba(bare, cos, (side) => putSmall(side, HALF_MAX_OPS, HALF_MS));
      cases.push({ name: '4 KiB PUT', unit: 'ops', bare: summarize(put.bare, 'ops'), coslocal: summarize(put.coslocal, 'ops'), minRatio: 0.5 });
    }
    if (only.has('get')) {
      log('4 KiB GET');
      for (const side of [bare, cos]) await ensureKeys(side, GET_MIN_KEYS);
      const get = await abba(bare, cos, getSmall);
      cases.push({ name: '4 KiB GET', unit: 'ops', bare: summarize(get.bare, 'ops'), coslocal: summarize(get.coslocal, 'ops'), minRatio: 0.6 });
    }
    if (only.has('list')) {
      for (const side of sides) await ensureKeys(side, LIST_MIN_KEYS);
      for (const listing of LISTINGS) {
        for (const engine of memory ? [cos, memory] : [cos]) {
          const name = engine === memory ? `${listing.name}, in memory` : listing.name;
          log(`${name} (1000-key pages)`);
          const list = await abba(bare, engine, (side) => listPages(side, listing));
          cases.push({ name, unit: 'ops', bare: summarize(list.bare, 'ops'), coslocal: summarize(list.coslocal, 'ops'), minRatio: 0.5 });
        }
      }
    }
    if (only.has('bigput') || only.has('bigget')) {
      // GET needs the 1 GiB object: a GET-only run still writes it (unmeasured).
      log('1 GiB PUT');
      const bigPut = await abba(bare, cos, putBig);
      if (only.has('bigput')) cases.push({ name: '1 GiB PUT', unit: 'MB', bare: summarize(bigPut.bare, 'MB'), coslocal: summarize(bigPut.coslocal, 'MB'), minRatio: 0.8, maxRssMiB: 200 });
    }
    if (only.has('bigget')) {
      log('1 GiB GET');
      const bigGet = await abba(bare, cos, getBig);
      cases.push({ name: '1 GiB GET', unit: 'MB', bare: summarize(bigGet.bare, 'MB'), coslocal: summarize(bigGet.coslocal, 'MB'), minRatio: 0.8, maxRssMiB: 200 });
    }
    if (only.has('multipart')) {
      log('1 GiB multipart (8 x 128 MiB parts in parallel)');
      partEtag(bigChunk);
      // One upload per half, so A-B-B-A-B-A-A-B: four uploads a side. With two, one fast upload of the bare
      // server's (disk-bound; 514-907 MB/s seen across runs) could move the ratio by ~0.1.
      const order = abbaOrder(bare, cos, 1);
      const multipart = await abba(bare, cos, (side) => uploadMultipart(side.target, BENCH_BUCKET, bigChunk, side === bare), order);
      cases.push({ name: '1 GiB multipart, 8 parallel parts', unit: 'MB', bare: summarize(multipart.bare, 'MB'), coslocal: summarize(multipart.coslocal, 'MB'), minRatio: 0.7, maxRssMiB: 250 });
    }

    if (cases.length > 0) {
      process.stdout.write(`\n## coslocal vs bare node:http (same run, same load generator)\n\n`);
      process.stdout.write(`${cpus().length} CPUs shared by the load generator and both servers; ${(idleBusy * 100).toFixed(0)}% busy with other work just before the run.\n\n`);
      process.stdout.write(
        'bare = bench/bare-server.ts: body to a new file, fsync, rename (no directory fsync, no hashing, no metadata); ' +
          'LIST from an in-memory sorted key array. coslocal additionally hashes (MD5 + CRC-64), fsyncs the blob directory ' +
          'and commits SQLite with a WAL fsync (both grouped across concurrent requests). Every request is COS-signed.\n\n',
      );
      process.stdout.write(`${renderTable(cases)}\n\n`);
      process.stdout.write(`Targets (a measurement: misses do not fail the run):\n${renderTargets(cases)}\n\n`);
      process.stdout.write(`Details:\n${renderNotes(cases)}\n\n`);
    }
  } finally {
    for (const side of sides) side.target.agent.destroy();
    await Promise.all(sides.map((side) => side.server.stop()));
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const only = selectedCases(process.argv.slice(2));
  const idleBusy = await machineBusy();
  if (idleBusy > 0.1) log(`CPUs are ${(idleBusy * 100).toFixed(0)}% busy before starting: other work on this machine will skew the numbers`);
  const disk = diskWarning();
  if (disk !== undefined) log(disk);
  try {
    if (SIDE_BY_SIDE_CASES.some((name) => only.has(name))) await runSideBySide(only, idleBusy);
    for (const c of COSLOCAL_ONLY_CASES) {
      if (!only.has(c.name)) continue;
      log(`${c.name} case`);
      // A server of its own, started fresh: the case then measures the same server state whether it runs
      // alone or after the others. On the side-by-side cases' server, after 1 GiB bodies and thousands of
      // objects, the SigV4 case's streaming ratio read ~0.05 lower (0.70-0.78 in full runs, 0.74-0.80 alone).
      const server = await startCoslocal();
      try {
        process.stdout.write(`## ${c.title}\n\n${c.intro ?? ''}${await c.run(server)}\n\n`);
      } finally {
        await server.stop();
      }
    }
    if (only.has('scale')) process.stdout.write(`## Scale out: 1, 2 and 4 processes on SQLite and on PostgreSQL\n\n${await runScaleCase(log)}\n\n`);
  } finally {
    killAllSync();
  }
  if (only.has('authz')) {
    process.stdout.write('## authz decide() micro-benchmark\n\n');
    await runAuthzBench();
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

process.on('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllSync();
    process.exit(130);
  });
}
main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  killAllSync();
  process.exitCode = 1;
});
