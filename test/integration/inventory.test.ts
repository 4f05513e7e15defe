// Inventory reports made (jobs/inventory.ts) through cos-nodejs-sdk-v5 on the test clock: one report per
// scheduled time of each enabled configuration, gzip CSV data files with the configured fields and prefix
// filter, then manifest.checksum and manifest.json, under <prefix>/<appid>/<bucket>/<id>/.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { after, before, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import { freezeClockAt, runJob } from '../helpers/jobs.ts';
import { send } from '../helpers/raw.ts';
import { OWNER, startTestServer, type TestServer } from '../helpers/server.ts';

const DAY = 86_400_000;
/** A Wednesday midnight (UTC) well ahead of the real time: 1970-01-01 was a Thursday. */
const WEDNESDAY = Math.ceil((Date.now() + 2 * DAY) / (7 * DAY)) * 7 * DAY + 6 * DAY;

let server: TestServer;
let cos: COS;
const Region = (): string => server.region;

async function setClock(at: number): Promise<void> {
  cos = await freezeClockAt(server.hostPort, at);
}

const runInventory = (): Promise<void> => runJob(server.hostPort, 'inventory');

const keysOf = async (Bucket: string): Promise<string[]> => (await cos.getBucket({ Bucket, Region: Region() })).Contents.map((c) => c.Key);
const bodyOf = async (Bucket: string, Key: string): Promise<Buffer> => (await cos.getObject({ Bucket, Region: Region(), Key })).Body;

interface Manifest {
  sourceBucket: string;
  destinationBucket: string;
  fileFormat: string;
  fileSchema: string;
  filterObjectCount: number;
  files: { key: string; size: number; MD5checksum: string }[];
}

/** The report's manifest (checked against manifest.checksum) and its rows, each a list of unquoted values. */
async function reportOf(Bucket: string, base: string): Promise<{ manifest: Manifest; rows: string[][] }> {
  const text = await bodyOf(Bucket, `${base}/manifest.json`);
  assert.equal((await bodyOf(Bucket, `${base}/manifest.checksum`)).toString(), createHash('md5').update(text).digest('hex'));
  const manifest = JSON.parse(text.toString()) as Manifest;
  const rows: string[][] = [];
  for (const file of manifest.files) {
    const data = await bodyOf(Bucket, file.key);
    assert.equal(createHash('md5').update(data).digest('hex'), file.MD5checksum);
    rows.push(...gunzipSync(data).toString().trimEnd().split('\n').map((row) => row.slice(1, -1).split('","')));
  }
  return { manifest, rows };
}

const day = (at: number): string => new Date(at).toISOString().slice(0, 10).replaceAll('-', '');

function configuration(Id: string, destination: string, more: Partial<COS.InventoryConfiguration>): COS.InventoryConfiguration {
  return {
    Id,
    IsEnabled: 'true',
    IncludedObjectVersions: 'Current',
    Schedule: { Frequency: 'Daily' },
    Destination: { COSBucketDestination: { Bucket: `qcs::cos:${Region()}::${destination}`, Format: 'CSV', Prefix: 'reports' } },
    ...more,
  };
}

before(async () => {
  server = await startTestServer({ args: ['--test-controls'] });
  cos = server.sdk();
});
after(() => server.close());

it('makes a daily report of the current objects under the filter prefix with the configured fields, once a day', async () => {
  const [source, destination] = [await server.newBucket(), await server.newBucket()];
  await setClock(WEDNESDAY + 3_600_000);
  await cos.putObject({ Bucket: source, Region: Region(), Key: 'logs/a b.txt', Body: 'hello', Headers: { 'x-cos-meta-color': 'red' } });
  await cos.putObject({ Bucket: source, Region: Region(), Key: 'logs/c.txt', Body: 'hi', StorageClass: 'STANDARD_IA' });
  await cos.putObject({ Bucket: source, Region: Region(), Key: 'other/d.txt', Body: 'not listed' });
  const OptionalFields = ['Size', 'ETag', 'StorageClass', 'IsMultipartUploaded', 'x-cos-meta-color'];
  await cos.putBucketInventory({ Bucket: source, Region: Region(), Id: 'daily', InventoryConfiguration: configuration('daily', destination, { Filter: { Prefix: 'logs/' }, OptionalFields }) });

  await runInventory();
  const base = `reports/${OWNER.appid}/${source}/daily/${day(WEDNESDAY)}`;
  const { manifest, rows } = await reportOf(destination, base);
  assert.equal(manifest.sourceBucket, source);
  assert.equal(manifest.fileFormat, 'CSV');
  assert.equal(manifest.fileSchema, 'AppID, Bucket, Key, Size, ETag, StorageClass, IsMultipartUploaded, x-cos-meta-color');
  assert.equal(manifest.filterObjectCount, 2);
  const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
  assert.deepEqual(rows, [
    [OWNER.appid, source, 'logs%2Fa%20b.txt', '5', md5('hello'), 'STANDARD', 'false', 'red'],
    [OWNER.appid, source, 'logs%2Fc.txt', '2', md5('hi'), 'STANDARD_IA', 'false', ''],
  ]);

  const made = await keysOf(destination);
  await setClock(WEDNESDAY + 20 * 3_600_000);
  await runInventory();
  assert.deepEqual(await keysOf(destination), made, 'one report a day');

  await cos.deleteObject({ Bucket: source, Region: Region(), Key: 'logs/a b.txt' });
  await setClock(WEDNESDAY + DAY + 60_000);
  await runInventory();
  const next = await reportOf(destination, `reports/${OWNER.appid}/${source}/daily/${day(WEDNESDAY + DAY)}`);
  assert.deepEqual(next.rows.map((row) => row[2]), ['logs%2Fc.txt'], 'the next day\'s report lists what is there then');
});

it('lists every version with VersionId, IsLatest and IsDeleteMarker for All; a weekly report waits for Monday; a disabled one never comes', async () => {
  const [source, destination] = [await server.newBucket(), await server.newBucket()];
  await setClock(WEDNESDAY + 3_600_000);
  await cos.putBucketVersioning({ Bucket: source, Region: Region(), VersioningConfiguration: { Status: 'Enabled' } });
  const first = await cos.putObject({ Bucket: source, Region: Region(), Key: 'k', Body: 'v1' });
  const second = await cos.putObject({ Bucket: source, Region: Region(), Key: 'k', Body: 'v2' });
  const marker = await cos.deleteObject({ Bucket: source, Region: Region(), Key: 'k' });
  await cos.putBucketInventory({ Bucket: source, Region: Region(), Id: 'all', InventoryConfiguration: configuration('all', destination, { IncludedObjectVersions: 'All', Schedule: { Frequency: 'Weekly' }, OptionalFields: ['Size'] }) });
  await cos.putBucketInventory({ Bucket: source, Region: Region(), Id: 'off', InventoryConfiguration: configuration('off', destination, { IsEnabled: 'false' }) });

  await runInventory();
  const monday = WEDNESDAY - 2 * DAY;
  const { manifest, rows } = await reportOf(destination, `reports/${OWNER.appid}/${source}/all/${day(monday)}`);
  assert.equal(manifest.fileSchema, 'AppID, Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size');
  const versionIdOf = (result: { headers?: Record<string, string> }): string => result.headers?.['x-cos-version-id'] ?? '';
  assert.deepEqual(rows.map((row) => row.slice(2)), [
    ['k', versionIdOf(marker), 'true', 'true', '0'],
    ['k', versionIdOf(second), 'false', 'false', '2'],
    ['k', versionIdOf(first), 'false', 'false', '2'],
  ]);
  const made = await keysOf(destination);
  assert.ok(made.every((key) => key.includes('/all/')), `no report for the disabled configuration: ${made.join(', ')}`);

  await setClock(WEDNESDAY + 2 * DAY);
  await runInventory();
  assert.deepEqual(await keysOf(destination), made, 'the same week: no new report');
  await setClock(monday + 7 * DAY);
  await runInventory();
  assert.ok((await keysOf(destination)).includes(`reports/${OWNER.appid}/${source}/all/${day(monday + 7 * DAY)}/manifest.json`), 'next Monday\'s report');
});

it('makes the report of a one-time job (POST Bucket inventory) at the next run, once', async () => {
  const [source, destination] = [await server.newBucket(), await server.newBucket()];
  const at = WEDNESDAY + 10 * DAY + 3_600_000;
  await setClock(at);
  await cos.putObject({ Bucket: source, Region: Region(), Key: 'filterPrefix/a', Body: 'abc' });
  await cos.putObject({ Bucket: source, Region: Region(), Key: 'other', Body: 'abc' });
  const body = `<InventoryConfiguration><Id>now</Id><Destination><COSBucketDestination><Bucket>qcs::cos:${Region()}::${destination}</Bucket><Format>CSV</Format><Prefix>once</Prefix></COSBucketDestination></Destination><Filter><Prefix>filterPrefix</Prefix></Filter><IncludedObjectVersions>Current</IncludedObjectVersions><OptionalFields><Field>Size</Field></OptionalFields></InventoryConfiguration>`;
  const seconds = Math.floor(at / 1000);
  const posted = await send(server.hostPort, { method: 'POST', url: `/${source}/?inventory&id=now`, signAs: OWNER, signWindow: { start: seconds - 60, end: seconds + 3600 }, headers: { 'content-type': 'application/xml' }, body });
  assert.equal(posted.status, 200, posted.text);

  await runInventory();
  const { rows } = await reportOf(destination, `once/${OWNER.appid}/${source}/now/${day(at)}`);
  assert.deepEqual(rows, [[OWNER.appid, source, 'filterPrefix%2Fa', '3']]);
  const made = await keysOf(destination);
  await setClock(at + 2 * DAY);
  await runInventory();
  assert.deepEqual(await keysOf(destination), made, 'a one-time job makes one report');
});
