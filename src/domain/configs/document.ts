// What a bucket configuration document is: its root element, its schema, its cross-field rules and what
// GET answers when none is set. Each kind in this folder is one of these; api/common/config-document.ts
// runs PUT/GET/DELETE for all of them.
import type { CosErrorCode } from '../../errors/catalogue.ts';
import type { Bucket } from '../bucket.ts';
import type { DocumentKind } from '../bucket-config.ts';
import type { ConfigTree, GroupRule } from '../config-schema.ts';

/** What a cross-field rule may look at besides the document: the bucket, and other buckets by name. */
export interface CheckFacts {
  readonly bucket: Bucket;
  findBucket(name: string): Promise<Bucket | undefined>;
  /** Whether the principal a replication Role names may put objects under each prefix in `target` (api/common/role-write.ts). */
  roleMayWrite(role: string, target: Bucket, prefixes: readonly string[]): Promise<boolean>;
}

export interface ConfigDocument {
  readonly kind: DocumentKind;
  readonly root: string;
  readonly schema: GroupRule;
  /** Rules the schema cannot say ("Days and Date not both"); throws the COS error. */
  readonly check?: (tree: ConfigTree, facts: CheckFacts) => void | Promise<void>;
  /** GET with none set: the 404 COS answers, or `empty`: 200 with an empty root element. */
  readonly absent: CosErrorCode | 'empty';
  /** S3's name for that 404 where it differs, for S3 callers, whose clients test for it (as NoSuchBucketPolicy). */
  readonly absentForS3?: CosErrorCode;
  /** A document without elements turns the setting off instead of being stored (PUT Bucket logging). */
  readonly emptyDeletes?: true;
  /**
   * A PUT with no body at all stores a document without elements, which GET answers as an empty root
   * element instead of the `absent` 404 (cos-python-sdk-v5's delete_bucket_referer is such a PUT, and its
   * test expects the empty root back). An empty root element sent is still checked against the schema.
   */
  readonly emptyBodyClears?: true;
}

/** 1 MB: the largest documents (1000 lifecycle or replication rules of a few hundred bytes each) fit. */
export const CONFIG_BODY_LIMIT = 1024 * 1024;
