// kill -9 in the middle of a lifecycle run: the restarted server resumes the run from its cursor, and in
// the end every version due went exactly once (one delete marker per expired key of a versioned bucket),
// every upload due was aborted, and nothing not due was touched.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import type { JobState } from '../../src/storage/metadata.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort, startServer } from '../helpers/child-server.ts';
import { openStoredTables } from '../helpers/stored-tables.ts';
import { inParallel } from '../helpers/in-parallel.ts';
import { jobSucceeded } from '../helpers/jobs.ts';
import { send } from '../helpers/raw.ts';
import { onDiskOnly, OWNER } from '../helpers/server.ts';

const DAY = 24 * 3600 * 1000;
/** Keys per kind: enough pages (100 versions each) that the kill lands inside the run. */
const KEYS = 700;
const KEPT = 50;
const UPLOADS = 150;

const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-lifecycle-crash-'));
after(() => rm(dataDir, { recursive: true, force: true }));

const numbered = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

/** Every version of the bucket as `key:object` or `key:marker`, each key's newest first. */
async function versionsOf(cos: COS, Bucket: string, Region: string): Promise<string[]> {
  const all: string[] = [];
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  for (;;) {
    // The SDK forwards KeyMarker and VersionIdMarker; its index.d.ts omits them.
    const page = (await cos.listObjectVersions({ Bucket, Region, MaxKeys: '1000', KeyMarker, VersionIdMarker } as COS.ListObjectVersionsParams)) as COS.ListObjectVersionsResult & { NextKeyMarker?: string; NextVersionIdMarker?: string };
    const entries = [...page.Versions.map((v) => ({ ...v, what: 'object' })), ...page.DeleteMarkers.map((m) => ({ ...m, what: 'marker' }))];
    entries.sort((a, b) => (a.Key === b.Key ? Date.parse(b.LastModified) - Date.parse(a.LastModified) : a.Key < b.Key ? -1 : 1));
    all.push(...entries.map((e) => `${e.Key}:${e.what}`));
    if (page.IsTruncated !== 'true') return all;
    KeyMarker = page.NextKeyMarker;
    VersionIdMarker = page.NextVersionIdMarker;
  }
}

it('resumes a lifecycle run killed mid-way, doing nothing twice and losing nothing', { skip: onDiskOnly('restarts after kill -9') }, async () => {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const admin = (method: string, path: string, body?: object) => send(hostPort, { method, url: `/_coslocal/v1/${path}`, ...(body && { body: JSON.stringify(body) }), signAs: OWNER });
  let server = await startServer(port, dataDir, { args: ['--test-controls'] });
  try {
    let cos = new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: hostPort });
    const Region = 'ap-guangzhou';
    const versioned = `crashver-${OWNER.appid}`;
    const plain = `crashplain-${OWNER.appid}`;
    const rules: COS.LifecycleRule[] = [
      { ID: 'due', Status: 'Enabled', Filter: { Prefix: 'due/' }, Expiration: { Days: '1' }, NoncurrentVersionExpiration: { NoncurrentDays: '1' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: '1' } },
    ];
    for (const Bucket of [versioned, plain]) {
      await cos.putBucket({ Bucket, Region });
      await cos.putBucketLifecycle({ Bucket, Region, Rules: rules });
    }
    await cos.putBucketVersioning({ Bucket: versioned, Region, VersioningConfiguration: { Status: 'Enabled' } });
    const due = numbered('due/', KEYS);
    const kept = numbered('keep/', KEPT);
    // Two versions per key in the versioned bucket: the older is noncurrent once the newer is written.
    await inParallel([...due, ...kept], async (Key) => {
      await cos.putObject({ Bucket: versioned, Region, Key, Body: 'v1' });
      await cos.putObject({ Bucket: versioned, Region, Key, Body: 'v2' });
      await cos.putObject({ Bucket: plain, Region, Key, Body: 'x' });
    });
    await inParallel([...numbered('due/upload-', UPLOADS), ...numbered('keep/upload-', KEPT)], (Key) => cos.multipartInit({ Bucket: plain, Region, Key }));

    // Three days on: everything under due/ is due. Moving the clock starts the run; kill it once it is under way.
    const later = Date.now() + 3 * DAY;
    assert.equal((await admin('POST', 'clock', { set: later })).status, 200);
    await eventually('the run is under way', async () => (JSON.parse((await admin('GET', 'jobs')).text) as { jobs: { name: string; running: boolean }[] }).jobs.find((j) => j.name === 'lifecycle')?.running === true);
    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));

    const db = await openStoredTables(dataDir);
    const stored = JSON.parse(await db.value<string>('SELECT state FROM jobs WHERE name = ?', 'lifecycle')) as JobState;
    const markersBefore = await db.value<number>('SELECT count(*) FROM versions WHERE delete_marker = 1');
    await db.close();
    assert.ok(stored.run, 'killed inside the run');
    assert.ok(markersBefore < KEYS, `killed before the run was done (${markersBefore} of ${KEYS} markers)`);

    // The clock starts where it stood: the resumed run decides on the same day.
    server = await startServer(port, dataDir, { args: ['--test-controls', '--clock', String(later)] });
    cos = new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: hostPort, SystemClockOffset: later - Date.now() });
    await jobSucceeded(hostPort, 'lifecycle');

    const expectedVersioned = [...due.map((key) => [`${key}:marker`, `${key}:object`]), ...kept.map((key) => [`${key}:object`, `${key}:object`])].flat();
    assert.deepEqual(await versionsOf(cos, versioned, Region), expectedVersioned, 'one marker per due key above its newest version, the noncurrent one gone; keep/ untouched');
    assert.deepEqual(await versionsOf(cos, plain, Region), kept.map((key) => `${key}:object`));
    const uploads = await cos.multipartList({ Bucket: plain, Region, MaxUploads: 1000 } as COS.MultipartListParams);
    assert.deepEqual(uploads.Upload.map((u) => u.Key), numbered('keep/upload-', KEPT));
  } finally {
    server.kill('SIGKILL');
  }
});
