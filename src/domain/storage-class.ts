// Storage classes: COS's names, the S3 names its S3 dialect uses for them, and which one a request asks for.
import { cosError } from '../errors/cos-error.ts';
import type { ApiDialect } from './api-dialect.ts';

/**
 * COS's classes [doc: Storage Class Overview, https://cloud.tencent.com/document/product/436/33417;
 * the same list as cos-nodejs-sdk-v5 index.d.ts `StorageClass`]. ARCHIVE and DEEP_ARCHIVE objects are
 * read only once restored (domain/restore.ts); the others are a label that is stored and returned.
 */
export const STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'ARCHIVE',
  'DEEP_ARCHIVE',
  'INTELLIGENT_TIERING',
  'MAZ_STANDARD',
  'MAZ_STANDARD_IA',
  'MAZ_INTELLIGENT_TIERING',
] as const;

export type StorageClass = (typeof STORAGE_CLASSES)[number];

const COS_CLASSES: ReadonlySet<string> = new Set(STORAGE_CLASSES);
const isStorageClass = (name: string): name is StorageClass => COS_CLASSES.has(name);

/**
 * S3 spells COS's ARCHIVE as GLACIER; STANDARD, STANDARD_IA, DEEP_ARCHIVE and INTELLIGENT_TIERING are
 * the same word in both. S3's other classes (REDUCED_REDUNDANCY, ONEZONE_IA, GLACIER_IR, ...) have no
 * COS counterpart, and the MAZ_* classes no S3 one (S3 clients see them under their COS names).
 */
const FROM_S3: ReadonlyMap<string, StorageClass> = new Map([['GLACIER', 'ARCHIVE']]);
const TO_S3: ReadonlyMap<string, string> = new Map([...FROM_S3].map(([s3, cos]) => [cos, s3]));

/**
 * The class an upload asks for (`x-cos-storage-class`, or `x-amz-storage-class` read as its twin);
 * STANDARD when absent. Matched case-insensitively: the COS SDKs document `Standard_IA`-style
 * spellings, and COS answers with the upper-case name. Anything else is COS's InvalidArgument.
 */
export function requestedStorageClass(value: string | undefined): StorageClass {
  if (value === undefined || value === '') return 'STANDARD';
  const upper = value.toUpperCase();
  const named = FROM_S3.get(upper) ?? (isStorageClass(upper) ? upper : undefined);
  if (named === undefined) throw cosError('InvalidArgument', { message: `Invalid storage class: ${value}` });
  return named;
}

/** The name a caller of that dialect reads in headers and listings. */
export function storageClassName(storageClass: string, dialect: ApiDialect): string {
  return dialect === 's3' ? (TO_S3.get(storageClass) ?? storageClass) : storageClass;
}
