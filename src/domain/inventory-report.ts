// Inventory reports as COS writes them (jobs/inventory.ts produces them): which configurations are due when,
// where a report's files go, its CSV rows and its manifest. Pure.
// [doc: Inventory Overview, https://cloud.tencent.com/document/product/436/30624; PUT Bucket inventory, .../33707]
import { childOf, textOfChild, type ConfigTree } from './config-schema.ts';

/** An enabled, scheduled inventory configuration, read once from its stored tree. */
export interface InventorySpec {
  id: string;
  /** Once: a one-time job's (POST Bucket inventory). */
  frequency: 'Daily' | 'Weekly' | 'Once';
  /** The destination bucket's name (from `qcs::cos:<region>::<bucket>`). */
  destination: string;
  /** The destination prefix, '' for none. */
  prefix: string;
  filterPrefix: string;
  /** Filter/Period, epoch seconds, both ends included. */
  period: { start?: number; end?: number };
  allVersions: boolean;
  /** The optional fields in the order configured. */
  fields: string[];
}

const DAY = 86_400_000;

/** The periodic configurations a report is made for: IsEnabled true (in any case, as PUT takes it) and a schedule. */
function periodicReports(configs: readonly ConfigTree[] | undefined, now: number): DueReport[] {
  return (configs ?? []).flatMap((tree): DueReport[] => {
    const frequency = textOfChild(childOf(tree, 'Schedule') ?? {}, 'Frequency');
    if (textOfChild(tree, 'IsEnabled')?.toLowerCase() !== 'true' || (frequency !== 'Daily' && frequency !== 'Weekly')) return [];
    return readSpec(tree, frequency).map((spec) => ({ spec, at: scheduledAt(frequency, now), once: false }));
  });
}

/** A report to make: its configuration and its scheduled time. */
export interface DueReport {
  spec: InventorySpec;
  at: number;
  /** A one-time job's (POST Bucket inventory), not a periodic configuration's. */
  once: boolean;
}

/** Tells one report of a bucket from the others, and orders them: one-time jobs (asked for now) first, then periodic ones, by Id. */
export const reportKey = (report: { spec: Pick<InventorySpec, 'id'>; at: number; once: boolean }): string => `${report.once ? 'once' : 'periodic'}/${report.spec.id}/${report.at}`;

/**
 * The reports a bucket's configurations ask for at `now`: each periodic one's latest scheduled time, and
 * each one-time job's (`{ JobId, Created, InventoryConfiguration }`, api/post-bucket-inventory.ts) at the
 * time it was made - a one-time job is a report made as soon as the job runs [doc: POST Bucket inventory].
 */
export function reportsDue(configs: readonly ConfigTree[] | undefined, jobs: readonly ConfigTree[] | undefined, now: number): DueReport[] {
  const periodic = periodicReports(configs, now);
  const once = (jobs ?? []).flatMap((job): DueReport[] => {
    const at = Number(textOfChild(job, 'Created'));
    const tree = childOf(job, 'InventoryConfiguration');
    return tree && Number.isFinite(at) && at <= now ? readSpec(tree, 'Once').map((spec) => ({ spec, at, once: true })) : [];
  });
  return [...periodic, ...once].sort((a, b) => (reportKey(a) < reportKey(b) ? -1 : 1));
}

function readSpec(tree: ConfigTree, frequency: InventorySpec['frequency']): InventorySpec[] {
  const destination = childOf(childOf(tree, 'Destination') ?? {}, 'COSBucketDestination') ?? {};
  const bucket = /::([^:]+)$/.exec(textOfChild(destination, 'Bucket') ?? '')?.[1];
  if (!bucket) return [];
  const filter = childOf(tree, 'Filter') ?? {};
  const period = childOf(filter, 'Period') ?? {};
  const [start, end] = [textOfChild(period, 'StartTime'), textOfChild(period, 'EndTime')];
  const listed = childOf(tree, 'OptionalFields')?.['Field'] ?? [];
  return [
    {
      id: textOfChild(tree, 'Id') ?? '',
      frequency,
      destination: bucket,
      prefix: textOfChild(destination, 'Prefix') ?? '',
      filterPrefix: textOfChild(filter, 'Prefix') ?? '',
      period: { ...(start !== undefined && { start: Number(start) }), ...(end !== undefined && { end: Number(end) }) },
      allVersions: textOfChild(tree, 'IncludedObjectVersions') === 'All',
      fields: (Array.isArray(listed) ? listed : [listed]).filter((field): field is string => typeof field === 'string'),
    },
  ];
}

/**
 * The scheduled time of the report due at `now`: midnight UTC for Daily, Monday's for Weekly. One report
 * is made per scheduled time, at the first run of the job at or after it.
 */
export function scheduledAt(frequency: 'Daily' | 'Weekly', now: number): number {
  const midnight = now - (now % DAY);
  if (frequency === 'Daily') return midnight;
  // 1970-01-01 was a Thursday: Monday is 4 days on from it.
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  return midnight - sinceMonday * DAY;
}

/** `YYYYMMDD` of the scheduled time: the report's folder name. */
const stamp = (at: number): string => new Date(at).toISOString().slice(0, 10).replaceAll('-', '');

/**
 * Where a report's files go: `<prefix>/<appid>/<bucket>/<id>/<YYYYMMDD>/manifest.json` (and
 * manifest.checksum) with its data files in `<prefix>/<appid>/<bucket>/<id>/data/`. Every name is fixed
 * by the configuration and the scheduled time, so a report made again after a crash replaces its own files.
 */
export function reportPaths(spec: InventorySpec, appid: string, bucket: string, at: number): { manifest: string; checksum: string; dataFile: (index: number) => string } {
  const base = `${spec.prefix === '' ? '' : `${spec.prefix.replace(/\/+$/, '')}/`}${appid}/${bucket}/${spec.id}`;
  return {
    manifest: `${base}/${stamp(at)}/manifest.json`,
    checksum: `${base}/${stamp(at)}/manifest.checksum`,
    dataFile: (index) => `${base}/data/${stamp(at)}-${index}.csv.gz`,
  };
}

/** One version as a report row shows it; fields not stored locally are blank. */
export interface InventoryEntry {
  key: string;
  versionId?: string;
  isLatest: boolean;
  deleteMarker: boolean;
  size: number;
  lastModified: number;
  /** Quoted, as stored. */
  etag?: string;
  storageClass?: string;
  multipart?: boolean;
  crc64?: string;
  tags?: readonly { key: string; value: string }[];
  headers?: Readonly<Record<string, string>>;
}

/** The columns of a report's rows, in order: COS's fixed ones, then the configured fields. */
export function fileSchema(spec: InventorySpec): string[] {
  return ['AppID', 'Bucket', 'Key', ...(spec.allVersions ? ['VersionId', 'IsLatest', 'IsDeleteMarker'] : []), ...spec.fields];
}

function fieldValue(field: string, entry: InventoryEntry): string {
  switch (field) {
    case 'Size':
      return String(entry.size);
    case 'LastModifiedDate':
      return new Date(entry.lastModified).toISOString();
    case 'ETag':
      return entry.etag?.replaceAll('"', '') ?? '';
    case 'StorageClass':
      return entry.storageClass ?? '';
    case 'IsMultipartUploaded':
      return entry.deleteMarker ? '' : String(entry.multipart === true);
    case 'Crc64':
      return entry.crc64 ?? '';
    case 'Tag':
      return (entry.tags ?? []).map((t) => `${encodeURIComponent(t.key)}=${encodeURIComponent(t.value)}`).join('&');
    default:
      // x-cos-meta-<name>; ReplicationStatus, which no version here has.
      return entry.headers?.[field.toLowerCase()] ?? '';
  }
}

const quoted = (value: string): string => `"${value.replaceAll('"', '""')}"`;

/** A CSV row: every value quoted; "the key name is URL-encoded" [doc]. */
export function csvRow(spec: InventorySpec, appid: string, bucket: string, entry: InventoryEntry): string {
  const versionColumns = spec.allVersions ? [entry.versionId ?? 'null', String(entry.isLatest), String(entry.deleteMarker)] : [];
  return [appid, bucket, encodeURIComponent(entry.key), ...versionColumns, ...spec.fields.map((field) => fieldValue(field, entry))].map(quoted).join(',');
}

/** Whether the version passes the filter's Period (its last modification, in seconds, within both ends). */
export function inPeriod(spec: InventorySpec, lastModified: number): boolean {
  const seconds = Math.floor(lastModified / 1000);
  return (spec.period.start === undefined || seconds >= spec.period.start) && (spec.period.end === undefined || seconds <= spec.period.end);
}

export interface ReportFile {
  key: string;
  size: number;
  md5: string;
}

export interface ReportCounts {
  /** Versions under the filter prefix. */
  listed: number;
  listedBytes: number;
  /** Of those, the ones in the report (the Period filter passed). */
  filtered: number;
  filteredBytes: number;
}

/** manifest.json: what the report holds and where. */
export function manifestJson(spec: InventorySpec, source: { appid: string; bucket: string }, at: number, files: readonly ReportFile[], counts: ReportCounts): string {
  return JSON.stringify(
    {
      appId: source.appid,
      sourceBucket: source.bucket,
      destinationBucket: spec.destination,
      inventoryId: spec.id,
      creationTimestamp: String(Math.floor(at / 1000)),
      fileFormat: 'CSV',
      fileSchema: fileSchema(spec).join(', '),
      listObjectCount: counts.listed,
      listStorageSize: counts.listedBytes,
      filterObjectCount: counts.filtered,
      filterStorageSize: counts.filteredBytes,
      files: files.map((file) => ({ key: file.key, size: file.size, MD5checksum: file.md5 })),
    },
    null,
    2,
  );
}
