// The inventory job: for each enabled inventory configuration with a schedule, one report per scheduled
// time (domain/inventory-report.ts), made at the first run at or after it: gzip-compressed CSV data files,
// a page of versions each, then manifest.checksum and manifest.json in the destination bucket.
//
// Across a kill -9: every file's name is fixed by the configuration and the scheduled time, and the cursor
// records the files written so far. A step done again after a crash lists its page again and finds its
// file already written (only this report writes that name): it keeps that file rather than write it twice.
// manifest.json is written last and marks the report made: a run finding it skips the report.
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { bucketAppid } from '../domain/bucket.ts';
import type { ObjectRecord } from '../domain/object.ts';
import {
  csvRow,
  inPeriod,
  manifestJson,
  reportKey,
  reportPaths,
  reportsDue,
  type DueReport,
  type InventoryEntry,
  type InventorySpec,
  type ReportCounts,
  type ReportFile,
} from '../domain/inventory-report.ts';
import type { MetadataReader } from '../storage/metadata.ts';
import { allBucketNames } from './bucket-names.ts';
import type { Job } from './runner.ts';
import { writeServiceObject, type ServiceObject, type ServiceWriter } from './service-object.ts';

const HOUR = 3_600_000;

/** Versions per data file (and per step). */
export const INVENTORY_FILE_ROWS = 1000;

/** Fields only a version's full record has (a listing does not). */
const RECORD_FIELDS = /^(IsMultipartUploaded|Tag|Crc64|x-cos-meta-.+)$/;

/** The report being made: whose, for when, and how far. */
interface InventoryCursor {
  bucket: string;
  id: string;
  at: number;
  /** A one-time job's report (POST Bucket inventory). */
  once?: true;
  /** The next data file's index, and the version its listing starts after. */
  index: number;
  after?: { key: string; versionId?: string };
  files: ReportFile[];
  counts: ReportCounts;
  /** Every data file is written: the manifest is next. */
  listed?: true;
}

export interface InventoryDeps extends ServiceWriter {
  /** How often the job looks for reports due; they are due daily or weekly. */
  intervalMs?: number;
}

export function inventoryJob(deps: InventoryDeps): Job {
  return {
    name: 'inventory',
    intervalMs: deps.intervalMs ?? HOUR,
    step: (text, now) => inventoryStep(deps, text === undefined ? undefined : (JSON.parse(text) as InventoryCursor), now),
  };
}

async function inventoryStep(deps: InventoryDeps, cursor: InventoryCursor | undefined, now: number): Promise<string | undefined> {
  if (!cursor) return nextReport(deps.meta, undefined, now);
  const spec = (await bucketReports(deps.meta, cursor.bucket, now)).find((report) => isCursorsReport(cursor, report))?.spec;
  // The configuration was deleted or disabled, or its destination deleted, meanwhile: no report.
  if (!spec || !(await deps.meta.getBucket(spec.destination))) return nextReport(deps.meta, cursor, now);
  if (!cursor.listed) return JSON.stringify(await writeDataFile(deps, spec, cursor, now));
  await writeManifest(deps, spec, cursor, now);
  return nextReport(deps.meta, cursor, now);
}

/** A periodic configuration is the same across scheduled times (a run may cross midnight); a one-time job is its own. */
const isCursorsReport = (cursor: InventoryCursor, report: DueReport): boolean =>
  report.spec.id === cursor.id && report.once === (cursor.once === true) && (!report.once || report.at === cursor.at);

async function bucketReports(meta: MetadataReader, bucket: string, now: number): Promise<DueReport[]> {
  const found = await meta.getBucket(bucket);
  return found ? reportsDue(found.inventory, found.inventoryJobs, now) : [];
}

/** The first report not made yet after the given one, in (bucket, reportKey) order, as a fresh cursor. */
async function nextReport(meta: MetadataReader, after: InventoryCursor | undefined, now: number): Promise<string | undefined> {
  const afterKey = after && reportKey({ spec: { id: after.id }, at: after.at, once: after.once === true });
  for (const bucket of await allBucketNames(meta)) {
    if (after && bucket < after.bucket) continue;
    for (const report of await bucketReports(meta, bucket, now)) {
      if (afterKey !== undefined && bucket === after?.bucket && reportKey(report) <= afterKey) continue;
      const { spec, at } = report;
      const made = await meta.getObject(spec.destination, reportPaths(spec, appidOf(bucket), bucket, at).manifest);
      if (!made && (await meta.getBucket(spec.destination))) {
        const fresh: InventoryCursor = { bucket, id: spec.id, at, ...(report.once && { once: true }), index: 0, files: [], counts: { listed: 0, listedBytes: 0, filtered: 0, filteredBytes: 0 } };
        return JSON.stringify(fresh);
      }
    }
  }
  return undefined;
}

const appidOf = (bucket: string): string => bucketAppid(bucket) ?? '';

async function writeDataFile(deps: InventoryDeps, spec: InventorySpec, cursor: InventoryCursor, now: number): Promise<InventoryCursor> {
  const page = await listPage(deps.meta, spec, cursor);
  const last = page[page.length - 1];
  const counts = { ...cursor.counts };
  const rows: string[] = [];
  for (const entry of page) {
    counts.listed++;
    counts.listedBytes += entry.size;
    if (!inPeriod(spec, entry.lastModified)) continue;
    counts.filtered++;
    counts.filteredBytes += entry.size;
    rows.push(csvRow(spec, appidOf(cursor.bucket), cursor.bucket, entry));
  }
  const files = [...cursor.files];
  if (rows.length > 0) {
    const key = reportPaths(spec, appidOf(cursor.bucket), cursor.bucket, cursor.at).dataFile(cursor.index);
    const written = await writeOnce(deps, { bucket: spec.destination, key, body: () => gzipSync(`${rows.join('\n')}\n`), contentType: 'application/x-gzip', now });
    files.push({ key, size: written.size, md5: written.etag.replaceAll('"', '') });
  }
  const done = page.length < INVENTORY_FILE_ROWS || !last;
  return {
    ...cursor,
    index: rows.length > 0 ? cursor.index + 1 : cursor.index,
    files,
    counts,
    ...(last && { after: { key: last.key, ...(last.versionId !== undefined && { versionId: last.versionId }) } }),
    ...(done && { listed: true }),
  };
}

/** The next page of the report's versions (or current objects), with what its fields need. */
async function listPage(meta: MetadataReader, spec: InventorySpec, cursor: InventoryCursor): Promise<InventoryEntry[]> {
  const base = { bucket: cursor.bucket, prefix: spec.filterPrefix, limit: INVENTORY_FILE_ROWS };
  const listed: InventoryEntry[] = spec.allVersions
    ? (await meta.listVersions({ ...base, after: { key: cursor.after?.key ?? '', ...(cursor.after?.versionId !== undefined && { versionId: cursor.after.versionId }) } })).map((v) =>
        v.deleteMarker
          ? { key: v.key, versionId: v.versionId, isLatest: v.isLatest, deleteMarker: true, size: 0, lastModified: v.lastModified }
          : { ...v, isLatest: v.isLatest, deleteMarker: false },
      )
    : (await meta.listObjects({ ...base, after: cursor.after?.key ?? '' })).map((o) => ({ ...o, isLatest: true, deleteMarker: false }));
  if (!spec.fields.some((field) => RECORD_FIELDS.test(field))) return listed;
  const entries: InventoryEntry[] = [];
  for (const entry of listed) {
    const record = entry.deleteMarker ? undefined : await meta.getVersion(cursor.bucket, entry.key, entry.versionId);
    entries.push(
      record && !record.deleteMarker
        ? { ...entry, multipart: record.uploadId !== undefined, crc64: record.crc64, tags: record.tags ?? [], headers: record.headers }
        : entry,
    );
  }
  return entries;
}

async function writeManifest(deps: InventoryDeps, spec: InventorySpec, cursor: InventoryCursor, now: number): Promise<void> {
  const paths = reportPaths(spec, appidOf(cursor.bucket), cursor.bucket, cursor.at);
  const manifest = Buffer.from(manifestJson(spec, { appid: appidOf(cursor.bucket), bucket: cursor.bucket }, cursor.at, cursor.files, cursor.counts));
  const checksum = Buffer.from(createHash('md5').update(manifest).digest('hex'));
  // The checksum first: manifest.json, once there, says the report is complete.
  await writeOnce(deps, { bucket: spec.destination, key: paths.checksum, body: () => checksum, contentType: 'text/plain', now });
  // A step done again after its manifest was written (the crash came before the cursor moved on) keeps it.
  await writeOnce(deps, { bucket: spec.destination, key: paths.manifest, body: () => manifest, contentType: 'application/json', now });
}

/** The report's file of this name: the one an interrupted step wrote, else written now. */
async function writeOnce(deps: InventoryDeps, file: Omit<ServiceObject, 'body'> & { body: () => Buffer }): Promise<Pick<ObjectRecord, 'size' | 'etag'>> {
  const written = await deps.meta.getObject(file.bucket, file.key);
  return written ?? writeServiceObject(deps, { ...file, body: file.body() });
}
