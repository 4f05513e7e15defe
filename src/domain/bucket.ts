// Buckets: the full COS name `<BucketName>-<APPID>` and the rules it must follow (spec/api-common.md §1.1).
import { cosError } from '../errors/cos-error.ts';
import type { BucketConfigs } from './bucket-config.ts';

/** What every bucket has, fixed at creation. */
export interface BucketRecord {
  name: string;
  ownerUin: string;
  region: string;
  createdAt: number;
}

/** A bucket with its settings (acl, policy, cors, versioning, ...), as the request path reads it. */
export type Bucket = BucketRecord & BucketConfigs;

const FULL_NAME = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)-(\d+)$/;

/**
 * The APPID suffix of a bucket name, else undefined. Taken even from otherwise invalid names, so that
 * the account owning that APPID is the one told InvalidBucketName.
 */
export function bucketAppid(fullName: string): string | undefined {
  return /-(\d+)$/.exec(fullName)?.[1];
}

/**
 * S3's bucket-name limit, which COS enforces on the full `<BucketName>-<APPID>` name: the official
 * suites create `cos-python-v5-test-3-11-ap-guangzhou-1250000000` (a 77-character host), so the
 * 60-character host-name rule COS documents (spec/api-common.md §1.1) is not what production checks.
 */
export const MAX_BUCKET_NAME_LENGTH = 63;

/** Validates a full bucket name as PUT Bucket would. */
export function checkBucketName(fullName: string): void {
  const match = FULL_NAME.exec(fullName);
  if (!match) throw cosError('InvalidBucketName', { detail: `bad bucket name ${JSON.stringify(fullName)}` });
  if (fullName.length > MAX_BUCKET_NAME_LENGTH) {
    throw cosError('BucketNameTooLong', { detail: `${fullName} is ${fullName.length} > ${MAX_BUCKET_NAME_LENGTH} characters` });
  }
}
