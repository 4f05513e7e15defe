// S3's x-amz-expected-bucket-owner: a request that names the account it expects to own the bucket is refused when another owns it.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
import type { Bucket } from '../domain/bucket.ts';
import { camId } from '../domain/identity.ts';
import { cosError } from '../errors/cos-error.ts';

/**
 * S3 answers a mismatch 403 AccessDenied whoever asks. The owner is named as S3 clients see it: the
 * root account's UIN (S3's account id) or the Owner ID of an ACL (`qcs::cam::uin/<uin>:uin/<uin>`).
 * A missing bucket is left to the operation.
 */
export function checkExpectedOwner(headers: Readonly<Record<string, string | undefined>>, bucket: Bucket | undefined): void {
  const expected = headers['x-amz-expected-bucket-owner'];
  if (expected === undefined || !bucket) return;
  if (expected !== bucket.ownerUin && expected !== camId(bucket.ownerUin, bucket.ownerUin)) {
    throw cosError('AccessDenied', { detail: `x-amz-expected-bucket-owner ${expected}: ${bucket.name} is owned by ${bucket.ownerUin}` });
  }
}
