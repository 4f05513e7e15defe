// The scale case (issue #21): aggregate 4 KiB PUT and GET throughput of 1, 2 and 4 coslocal processes
// (`--workers N`, one port) on the embedded default (SQLite) and on PostgreSQL, in one run, with the server
// CPU each request cost: coslocal's processes, and for PostgreSQL its backends too (they are part of the
// server). The bare node:http server of the same run (one process) is the yardstick.
//
// PostgreSQL runs durable (fsync and synchronous_commit on, scripts/pg-test-cluster.sh `durable`), as
// SQLite commits here are. One load generator (this process, one thread) drives every configuration: on a
// 2-core machine it competes with the servers for the cores, which bounds what more processes can add.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { call, makeTarget, runLoad, type LoadResult } from './load.ts';
import { processTree, treeCpuMicros } from './proc-stats.ts';
import { percentile } from './report.ts';
import { BENCH_BUCKET, BENCH_SECRET_ID, BENCH_SECRET_KEY, ROOT, startBare, startCoslocal, tempDir, type ServerProcess } from './servers.ts';

const PROCESS_COUNTS = [1, 2, 4];
const CONCURRENCY = 64;
const PHASE_MS = 5_000;
const PHASE_MAX_OPS = 40_000;
const body = randomBytes(4096);
const keyOf = (n: number): string => `/${BENCH_BUCKET}/scale/${String(n).padStart(8, '0')}`;

interface Phase {
  opsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU per request, µs: coslocal's processes, and PostgreSQL's when it is the engine. */
  cpuPerRequest: number;
  databaseCpuPerRequest: number;
}

interface Row {
  engine: string;
  processes: number | 'bare';
  put: Phase;
  get: Phase;
}

/** A PostgreSQL cluster for the run, or why there is none. */
interface Cluster {
  url: string;
  dir: string;
  postmaster: number;
}

function startCluster(): Cluster | string {
  // The directory itself, not one inside it: the script hands it to the postgres user, who could not
  // enter a directory of root's made by mkdtemp.
  const dir = tempDir('postgres');
  const started = spawnSync('bash', [join(ROOT, 'scripts/pg-test-cluster.sh'), 'start', dir, 'durable'], { encoding: 'utf8' });
  if (started.status !== 0) return `PostgreSQL did not start (Debian package postgresql): ${started.stderr.trim()}`;
  // postmaster.pid's first line is the server's pid; its backends are its children.
  const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
  return { url: started.stdout.trim(), dir, postmaster };
}

async function newDatabase(cluster: Cluster, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function measure(serverPids: readonly number[], databasePids: readonly number[], run: () => Promise<LoadResult>): Promise<Phase> {
  const server = treeCpuMicros(serverPids);
  const database = treeCpuMicros(databasePids);
  const load = await run();
  const requests = Math.max(1, load.ops);
  return {
    opsPerSecond: (load.ops * 1000) / load.elapsedMs,
    p50: percentile(load.latencies, 50),
    p99: percentile(load.latencies, 99),
    errors: load.errors,
    cpuPerRequest: (treeCpuMicros(serverPids) - server) / requests,
    databaseCpuPerRequest: (treeCpuMicros(databasePids) - database) / requests,
  };
}

async function measureServer(server: ServerProcess, engine: string, processes: Row['processes'], postmaster?: number): Promise<Row> {
  const target = makeTarget(server.name, server.hostPort, BENCH_SECRET_ID, BENCH_SECRET_KEY);
  try {
    const created = await call(target, { method: 'PUT', path: `/${BENCH_BUCKET}/` }, true);
    if (created.status !== 200) throw new Error(`${server.name}: PUT Bucket returned ${created.status}: ${created.body?.toString()}`);
    // Warm up every worker (connections spread over them) and the database's caches.
    await runLoad(target, { concurrency: CONCURRENCY, maxOps: 3000, maxMs: 1500, next: (i) => ({ method: 'PUT', path: `/${BENCH_BUCKET}/warm/${i % 1000}`, body }) });
    // Workers and backends are all running now: take the trees once, read them before and after each phase.
    const serverPids = processTree(server.pid);
    const databasePids = postmaster === undefined ? [] : processTree(postmaster);
    let written = 0;
    const put = await measure(serverPids, databasePids, () =>
      runLoad(target, {
        concurrency: CONCURRENCY,
        maxOps: PHASE_MAX_OPS,
        maxMs: PHASE_MS,
        next: (i) => {
          written = Math.max(written, i + 1);
          return { method: 'PUT', path: keyOf(i), body };
        },
      }),
    );
    const get = await measure(serverPids, databasePids, () =>
      runLoad(target, { concurrency: CONCURRENCY, maxOps: PHASE_MAX_OPS, maxMs: PHASE_MS, next: (i) => ({ method: 'GET', path: keyOf((i * 7919) % Math.max(1, written)) }) }),
    );
    return { engine, processes, put, get };
  } finally {
    target.agent.destroy();
  }
}

const fixed = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function renderRows(rows: readonly Row[]): string {
  const bare = rows.find((r) => r.processes === 'bare');
  const ratio = (value: number, of: number | undefined): string => (of ? `${(value / of).toFixed(2)}×` : '-');
  const cpu = (p: Phase): string => (p.databaseCpuPerRequest > 0 ? `${fixed(p.cpuPerRequest + p.databaseCpuPerRequest)} (${fixed(p.databaseCpuPerRequest)} PostgreSQL)` : fixed(p.cpuPerRequest));
  const lines = [
    '| engine | processes | PUT/s | vs bare | PUT p50 / p99 ms | server CPU µs/PUT | GET/s | vs bare | GET p50 / p99 ms | server CPU µs/GET | errors |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.engine} | ${r.processes} | ${fixed(r.put.opsPerSecond)} | ${ratio(r.put.opsPerSecond, bare?.put.opsPerSecond)} | ${fixed(r.put.p50, 1)} / ${fixed(r.put.p99, 1)} | ${cpu(r.put)} | ` +
        `${fixed(r.get.opsPerSecond)} | ${ratio(r.get.opsPerSecond, bare?.get.opsPerSecond)} | ${fixed(r.get.p50, 1)} / ${fixed(r.get.p99, 1)} | ${cpu(r.get)} | ${r.put.errors + r.get.errors} |`,
    );
  }
  return lines.join('\n');
}

export async function runScaleCase(log: (msg: string) => void): Promise<string> {
  const rows: Row[] = [];
  log('scale: bare node:http, 1 process');
  const bare = await startBare();
  try {
    rows.push(await measureServer(bare, 'bare node:http', 'bare'));
  } finally {
    await bare.stop();
  }
  const cluster = startCluster();
  const notes: string[] = [];
  if (typeof cluster === 'string') notes.push(`PostgreSQL rows missing: ${cluster}`);
  try {
    for (const engine of ['SQLite', 'PostgreSQL'] as const) {
      if (engine === 'PostgreSQL' && typeof cluster === 'string') continue;
      for (const workers of PROCESS_COUNTS) {
        log(`scale: ${engine}, ${workers} process(es)`);
        const onPostgres = engine === 'PostgreSQL' && typeof cluster !== 'string' ? cluster : undefined;
        const metadataUrl = onPostgres && (await newDatabase(onPostgres, `coslocal_bench_${workers}`));
        const server = await startCoslocal({ workers, ...(metadataUrl !== undefined && { metadataUrl }) });
        try {
          rows.push(await measureServer(server, engine, workers, onPostgres?.postmaster));
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    if (typeof cluster !== 'string') spawnSync('bash', [join(ROOT, 'scripts/pg-test-cluster.sh'), 'stop', cluster.dir]);
  }
  return [
    `c=${CONCURRENCY}, ${PHASE_MS / 1000} s per phase (PUT new keys, then GET them), one load generator; "vs bare" is the aggregate over the bare server's (one process, same run).`,
    'Server CPU counts every coslocal process (primary and workers) and, on PostgreSQL, the database backends.',
    ...notes,
    '',
    renderRows(rows),
  ].join('\n');
}
