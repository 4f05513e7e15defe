// kill -9 in the middle of a replication run: the restarted server copies what was left, and in the end the
// destination holds exactly the source's versions (same ids, same order, none twice, none missing) and
// every source version says COMPLETED.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import { eventually } from '../helpers/eventually.ts';
import { freePort, startServer } from '../helpers/child-server.ts';
import { openStoredTables } from '../helpers/stored-tables.ts';
import { inParallel } from '../helpers/in-parallel.ts';
import { send } from '../helpers/raw.ts';
import { onDiskOnly, OWNER } from '../helpers/server.ts';

/** Keys, two versions each: enough pages (100 versions each) that the kill lands inside the run. */
const KEYS = 1000;
const Region = 'ap-guangzhou';

const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-replication-crash-'));
after(() => rm(dataDir, { recursive: true, force: true }));

/** Every version of the bucket as `key:versionId`, in listing order (each key's newest first). */
async function versionsOf(cos: COS, Bucket: string): Promise<string[]> {
  const all: string[] = [];
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  for (;;) {
    // The SDK forwards KeyMarker and VersionIdMarker; its index.d.ts omits them.
    const page = (await cos.listObjectVersions({ Bucket, Region, MaxKeys: '1000', KeyMarker, VersionIdMarker } as COS.ListObjectVersionsParams)) as COS.ListObjectVersionsResult & { NextKeyMarker?: string; NextVersionIdMarker?: string };
    all.push(...page.Versions.map((v) => `${v.Key}:${v.VersionId}`));
    if (page.IsTruncated !== 'true') return all;
    KeyMarker = page.NextKeyMarker;
    VersionIdMarker = page.NextVersionIdMarker;
  }
}

/** How many source versions have each replication status, read from the stopped server's database. */
async function statusCounts(): Promise<Record<string, number>> {
  const db = await openStoredTables(dataDir);
  const rows = await db.rows<{ replication: string; n: number }>('SELECT replication, count(*) AS n FROM versions WHERE replication IS NOT NULL GROUP BY replication');
  await db.close();
  return Object.fromEntries(rows.map((row) => [row.replication, row.n]));
}

it('resumes a replication run killed mid-way: no version copied twice, none lost', { skip: onDiskOnly('restarts after kill -9') }, async () => {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const admin = (method: string, path: string, body?: object) => send(hostPort, { method, url: `/_coslocal/v1/${path}`, ...(body && { body: JSON.stringify(body) }), signAs: OWNER });
  const replicationRunning = async (): Promise<boolean> =>
    (JSON.parse((await admin('GET', 'jobs')).text) as { jobs: { name: string; running: boolean }[] }).jobs.some((job) => job.name === 'replication' && job.running);
  let server = await startServer(port, dataDir, { args: ['--test-controls'] });
  try {
    const cos = new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: hostPort });
    const source = `replsource-${OWNER.appid}`;
    const target = `repltarget-${OWNER.appid}`;
    for (const Bucket of [source, target]) {
      await cos.putBucket({ Bucket, Region });
      await cos.putBucketVersioning({ Bucket, Region, VersioningConfiguration: { Status: 'Enabled' } });
    }
    await cos.putBucketReplication({
      Bucket: source,
      Region,
      ReplicationConfiguration: { Role: `qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}`, Rules: [{ ID: 'all', Status: 'Enabled', Prefix: '', Destination: { Bucket: `qcs::cos:${Region}::${target}` } }] },
    });
    // The job stays put on a frozen clock while the writes queue up; letting the clock run starts it.
    assert.equal((await admin('POST', 'clock', { freeze: true })).status, 200);
    const keys = Array.from({ length: KEYS }, (_, i) => `k${String(i).padStart(4, '0')}`);
    await inParallel(keys, async (Key) => {
      await cos.putObject({ Bucket: source, Region, Key, Body: `${Key} v1` });
      await cos.putObject({ Bucket: source, Region, Key, Body: `${Key} v2` });
    });
    assert.equal((await admin('POST', 'clock', { freeze: false })).status, 200);
    await eventually('the run is under way', replicationRunning);
    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));

    const killed = await statusCounts();
    assert.ok((killed['PENDING'] ?? 0) > 0 && (killed['COMPLETED'] ?? 0) + (killed['PENDING'] ?? 0) === 2 * KEYS, `killed inside the run: ${JSON.stringify(killed)}`);

    server = await startServer(port, dataDir, { args: ['--test-controls'] });
    // Runs after the resumed run (if any) has ended: by then the queue is empty.
    const run = await admin('POST', 'jobs/replication/run');
    assert.equal(run.status, 200, run.text);

    const sourceVersions = await versionsOf(cos, source);
    assert.equal(sourceVersions.length, 2 * KEYS);
    assert.deepEqual(await versionsOf(cos, target), sourceVersions, 'the same versions, in the same order, once each');
    const last = keys[KEYS - 1] ?? '';
    assert.equal((await cos.getObject({ Bucket: target, Region, Key: last })).Body.toString(), `${last} v2`);
    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));
    assert.deepEqual(await statusCounts(), { COMPLETED: 2 * KEYS, REPLICA: 2 * KEYS });
  } finally {
    server.kill('SIGKILL');
  }
});
