import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigTree } from './config-schema.ts';
import { csvRow, inPeriod, reportPaths, reportsDue, scheduledAt, type InventorySpec } from './inventory-report.ts';

const NOW = Date.parse('2026-12-09T12:00:00Z');
const specsOf = (configs: ConfigTree[]): InventorySpec[] => reportsDue(configs, undefined, NOW).map((report) => report.spec);

const tree = (over: ConfigTree = {}): ConfigTree => ({
  Id: 'list1',
  IsEnabled: 'True',
  Destination: { COSBucketDestination: { Format: 'CSV', Bucket: 'qcs::cos:ap-guangzhou::dest-1250000000', Prefix: 'reports/' } },
  Schedule: { Frequency: 'Weekly' },
  Filter: { Prefix: 'logs/', Period: { StartTime: '100', EndTime: '200' } },
  IncludedObjectVersions: 'All',
  OptionalFields: { Field: ['Size', 'x-cos-meta-a'] },
  ...over,
});

test('reads an enabled scheduled configuration; a disabled one makes no report', () => {
  const [spec, ...others] = specsOf([tree(), tree({ Id: 'off', IsEnabled: 'false' })]);
  assert.deepEqual(others, []);
  assert.deepEqual(spec, {
    id: 'list1',
    frequency: 'Weekly',
    destination: 'dest-1250000000',
    prefix: 'reports/',
    filterPrefix: 'logs/',
    period: { start: 100, end: 200 },
    allVersions: true,
    fields: ['Size', 'x-cos-meta-a'],
  });
});

test('a daily report is due at midnight UTC, a weekly one at Monday midnight', () => {
  const wednesdayNoon = Date.parse('2026-12-09T12:00:00Z');
  assert.equal(scheduledAt('Daily', wednesdayNoon), Date.parse('2026-12-09T00:00:00Z'));
  assert.equal(scheduledAt('Weekly', wednesdayNoon), Date.parse('2026-12-07T00:00:00Z'));
  assert.equal(scheduledAt('Weekly', Date.parse('2026-12-07T00:00:00Z')), Date.parse('2026-12-07T00:00:00Z'));
  assert.equal(scheduledAt('Weekly', Date.parse('2026-12-13T23:59:59Z')), Date.parse('2026-12-07T00:00:00Z'), 'Sunday is the week\'s last day');
});

const SPEC = specsOf([tree()])[0] as InventorySpec;

test('a report\'s files are named by configuration and scheduled time alone', () => {
  const paths = reportPaths(SPEC, '1250000000', 'src-1250000000', Date.parse('2026-12-07T00:00:00Z'));
  assert.equal(paths.manifest, 'reports/1250000000/src-1250000000/list1/20261207/manifest.json');
  assert.equal(paths.checksum, 'reports/1250000000/src-1250000000/list1/20261207/manifest.checksum');
  assert.equal(paths.dataFile(2), 'reports/1250000000/src-1250000000/list1/data/20261207-2.csv.gz');
  assert.equal(reportPaths({ ...SPEC, prefix: '' }, '1', 'b-1', 0).manifest, '1/b-1/list1/19700101/manifest.json');
});

test('rows quote every value, URL-encode the key, and blank what a delete marker lacks', () => {
  const entry = { key: 'a "b",c', versionId: 'v1', isLatest: true, deleteMarker: false, size: 5, lastModified: 0, headers: { 'x-cos-meta-a': 'x"y' } };
  assert.equal(csvRow(SPEC, '1250000000', 'src-1250000000', entry), '"1250000000","src-1250000000","a%20%22b%22%2Cc","v1","true","false","5","x""y"');
  const marker = { key: 'k', versionId: 'v2', isLatest: true, deleteMarker: true, size: 0, lastModified: 0 };
  assert.equal(csvRow(SPEC, '1', 'b-1', marker), '"1","b-1","k","v2","true","true","0",""');
});

test('the Period filter takes both ends, in seconds', () => {
  assert.deepEqual([99_999, 100_000, 200_999, 201_000].map((ms) => inPeriod(SPEC, ms)), [false, true, true, false]);
});

test('a one-time job is a report due at the time it was made, before the periodic ones', () => {
  const { IsEnabled: _enabled, Schedule: _schedule, ...once } = tree({ Id: 'now' });
  const job = (created: number): ConfigTree => ({ JobId: 'j', Created: String(created), InventoryConfiguration: once });
  const due = reportsDue([tree()], [job(NOW - 1000), job(NOW + 1000)], NOW);
  assert.deepEqual(due.map((r) => [r.spec.id, r.spec.frequency, r.at, r.once]), [
    ['now', 'Once', NOW - 1000, true],
    ['list1', 'Weekly', Date.parse('2026-12-07T00:00:00Z'), false],
  ], 'a job made after now is not due yet');
});
