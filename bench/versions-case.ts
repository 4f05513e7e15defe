// The versions case: GET Bucket Object versions (GET /?versions) paging through 10 000 versions
// (2 500 keys x 4 versions, so pages end inside a key's history), coslocal only.
import { randomBytes } from 'node:crypto';
import { call, makeTarget, runLoad, type Target } from './load.ts';
import { percentile } from './report.ts';
import { BENCH_SECRET_ID, BENCH_SECRET_KEY, type ServerProcess } from './servers.ts';

const BUCKET = 'benchversions-1250000000';
const KEYS = 2500;
const VERSIONS_PER_KEY = 4;
const TOTAL = KEYS * VERSIONS_PER_KEY;
const PAGE = 1000;
const CONCURRENCY = 8;
const MAX_PAGES = 300;
const MAX_MS = 10_000;
const body = randomBytes(1024);
const key = (n: number): string => `v/${String(n).padStart(6, '0')}`;

interface Marker {
  key: string;
  versionId: string;
}

const listQuery = (m: Marker | undefined): [string, string][] => [
  ['versions', ''],
  ['max-keys', String(PAGE)],
  ...(m ? ([['key-marker', m.key], ['version-id-marker', m.versionId]] as [string, string][]) : []),
];

const textOf = (xml: string, tag: string): string | undefined => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

async function setUp(owner: Target): Promise<void> {
  for (const [path, query, payload] of [
    [`/${BUCKET}/`, [], undefined],
    [`/${BUCKET}/`, [['versioning', '']], Buffer.from('<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>')],
  ] as const) {
    const r = await call(owner, { method: 'PUT', path, query, ...(payload && { body: payload }) });
    if (r.status !== 200) throw new Error(`set-up PUT ${path}?${query.map(([n]) => n).join('&')}: HTTP ${r.status}`);
  }
  // The i-th PUT writes key i mod KEYS: one key's versions are KEYS requests apart, so in order.
  const result = await runLoad(owner, { concurrency: 64, maxOps: TOTAL, maxMs: 600_000, next: (i) => ({ method: 'PUT', path: `/${BUCKET}/${key(i % KEYS)}`, body }) });
  if (result.errors > 0) throw new Error(`populating ${BUCKET}: ${result.firstError ?? ''}`);
}

/** One sequential walk: the marker each page starts at, checking that every version is listed once. */
async function walk(owner: Target): Promise<(Marker | undefined)[]> {
  const starts: (Marker | undefined)[] = [];
  let marker: Marker | undefined;
  let seen = 0;
  for (;;) {
    starts.push(marker);
    const r = await call(owner, { method: 'GET', path: `/${BUCKET}/`, query: listQuery(marker) }, true);
    const xml = r.body?.toString() ?? '';
    if (r.status !== 200) throw new Error(`GET ?versions: HTTP ${r.status}`);
    seen += xml.split('<Version>').length - 1;
    if (textOf(xml, 'IsTruncated') !== 'true') break;
    marker = { key: textOf(xml, 'NextKeyMarker') ?? '', versionId: textOf(xml, 'NextVersionIdMarker') ?? '' };
  }
  if (seen !== TOTAL) throw new Error(`the versions walk saw ${seen} versions, not ${TOTAL}`);
  return starts;
}

export async function runVersionsCase(server: ServerProcess): Promise<string> {
  const owner = makeTarget('owner', server.hostPort, BENCH_SECRET_ID, BENCH_SECRET_KEY);
  try {
    await setUp(owner);
    const starts = await walk(owner);
    // Pages fetched concurrently at the markers of the walk, round-robin over all of them.
    const result = await runLoad(owner, {
      concurrency: CONCURRENCY,
      maxOps: MAX_PAGES,
      maxMs: MAX_MS,
      next: (i) => ({ method: 'GET', path: `/${BUCKET}/`, query: listQuery(starts[i % starts.length]) }),
    });
    const pagesPerSec = (result.ops * 1000) / result.elapsedMs;
    const versionsPerSec = (pagesPerSec * TOTAL) / starts.length;
    return [
      `| case | pages/s | versions/s | p50 ms | p99 ms | pages | errors |`,
      `| --- | --- | --- | --- | --- | --- | --- |`,
      `| GET ?versions, max-keys=${PAGE}, ${TOTAL} versions (${KEYS} keys x ${VERSIONS_PER_KEY}), concurrency ${CONCURRENCY} | ${pagesPerSec.toFixed(1)} | ${versionsPerSec.toFixed(0)} | ${percentile(result.latencies, 50).toFixed(1)} | ${percentile(result.latencies, 99).toFixed(1)} | ${result.ops} | ${result.errors}${result.firstError ? ` (${result.firstError})` : ''} |`,
    ].join('\n');
  } finally {
    owner.agent.destroy();
  }
}
