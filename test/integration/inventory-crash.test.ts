// kill -9 in the middle of an inventory run (jobs/inventory.ts): the restarted server resumes it, and in the
// end every configuration has its one report listing every object, and no report file was written twice
// (the destination bucket is versioned, so a second write would leave a second version).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import { eventually } from '../helpers/eventually.ts';
import { freePort, startServer } from '../helpers/child-server.ts';
import { openStoredTables } from '../helpers/stored-tables.ts';
import { inParallel } from '../helpers/in-parallel.ts';
import { adminRequest, jobSucceeded } from '../helpers/jobs.ts';
import { onDiskOnly, OWNER } from '../helpers/server.ts';

const DAY = 86_400_000;
/** Objects: two data files (1000 rows each) per report. */
const OBJECTS = 1500;
/** Configurations, each a report of three steps (two data files, the manifest): enough that the kill lands inside the run. */
const CONFIGS = 30;

const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-inventory-crash-'));
after(() => rm(dataDir, { recursive: true, force: true }));

it('resumes an inventory run killed mid-way: one report per configuration, each file written once, every object listed', { skip: onDiskOnly('restarts after kill -9') }, async () => {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const admin = adminRequest(hostPort);
  let server = await startServer(port, dataDir, { args: ['--test-controls'] });
  try {
    let cos = new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: hostPort });
    const Region = 'ap-guangzhou';
    const source = `invcrash-source-${OWNER.appid}`;
    const destination = `invcrash-dest-${OWNER.appid}`;
    await cos.putBucket({ Bucket: source, Region });
    await cos.putBucket({ Bucket: destination, Region });
    await cos.putBucketVersioning({ Bucket: destination, Region, VersioningConfiguration: { Status: 'Enabled' } });
    const keys = Array.from({ length: OBJECTS }, (_, i) => `k${String(i).padStart(5, '0')}`);
    await inParallel(keys, (Key) => cos.putObject({ Bucket: source, Region, Key, Body: 'x' }));
    const ids = Array.from({ length: CONFIGS }, (_, i) => `inv${String(i).padStart(2, '0')}`);
    for (const Id of ids) {
      await cos.putBucketInventory({
        Bucket: source,
        Region,
        Id,
        InventoryConfiguration: {
          Id,
          IsEnabled: 'true',
          IncludedObjectVersions: 'Current',
          Schedule: { Frequency: 'Daily' },
          Destination: { COSBucketDestination: { Bucket: `qcs::cos:${Region}::${destination}`, Format: 'CSV' } },
          OptionalFields: ['Size', 'ETag'],
        },
      });
    }

    // The next day: every configuration is due. Moving the clock starts the run; kill it once a few reports are made.
    const later = Date.now() + DAY;
    assert.equal((await admin('POST', 'clock', { set: later })).status, 200);
    const watcher = await openStoredTables(dataDir);
    const manifests = (): Promise<number> => watcher.value<number>("SELECT count(*) FROM versions WHERE bucket = ? AND key LIKE '%/manifest.json'", destination);
    await eventually('a few reports are made', async () => (await manifests()) >= 3);
    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));
    const madeBefore = await manifests();
    await watcher.close();
    assert.ok(madeBefore < CONFIGS, `killed mid-way (${madeBefore} of ${CONFIGS} reports made)`);

    server = await startServer(port, dataDir, { args: ['--test-controls', '--clock', String(later)] });
    cos = new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: hostPort, SystemClockOffset: later - Date.now() });
    await jobSucceeded(hostPort, 'inventory');

    const versions: string[] = [];
    let KeyMarker: string | undefined;
    for (;;) {
      const page = (await cos.listObjectVersions({ Bucket: destination, Region, MaxKeys: '1000', KeyMarker } as COS.ListObjectVersionsParams)) as COS.ListObjectVersionsResult & { NextKeyMarker?: string };
      versions.push(...page.Versions.map((v) => v.Key));
      if (page.IsTruncated !== 'true') break;
      KeyMarker = page.NextKeyMarker;
    }
    assert.equal(new Set(versions).size, versions.length, 'no file written twice');
    const stamp = new Date(later).toISOString().slice(0, 10).replaceAll('-', '');
    for (const id of ids) {
      const base = `${OWNER.appid}/${source}/${id}`;
      assert.ok(versions.includes(`${base}/${stamp}/manifest.json`), `${id}'s report`);
      const manifest = JSON.parse((await cos.getObject({ Bucket: destination, Region, Key: `${base}/${stamp}/manifest.json` })).Body.toString()) as { files: { key: string }[] };
      const listed: string[] = [];
      for (const file of manifest.files) {
        const rows = gunzipSync((await cos.getObject({ Bucket: destination, Region, Key: file.key })).Body).toString().trimEnd().split('\n');
        listed.push(...rows.map((row) => row.split(',')[2]?.slice(1, -1) ?? ''));
      }
      assert.deepEqual(listed, keys, `${id}: every object once`);
    }
    assert.equal(versions.length, CONFIGS * (2 + Math.ceil(OBJECTS / 1000)), 'the data files, checksum and manifest of each report, nothing else');
  } finally {
    server.kill('SIGKILL');
  }
});
