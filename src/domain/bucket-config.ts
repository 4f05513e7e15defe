// Bucket settings (the subresources PUT/GET/DELETE Bucket <kind> manage) as documents: the metadata store
// keeps each bucket's setting of each kind as text, and the kind's codec turns that text into its value.
// A new setting is a row here (its kind and codec) plus its operations; the store does not change.
import { ACL_CODEC } from './acl.ts';
import { TEXT_CODEC, type DocumentCodec } from './codec.ts';
import { CONFIG_CODEC, CONFIG_LIST_CODEC } from './config-schema.ts';
import { CORS_CODEC } from './cors.ts';
import { TAGGING_CODEC } from './tagging.ts';
import { VERSIONING_CODEC } from './versioning.ts';

export const BUCKET_CONFIG_CODECS = {
  /** Absent: private. */
  acl: ACL_CODEC,
  /** The policy as written; compiled above the store (api/common/policy-cache.ts). */
  policy: TEXT_CODEC,
  cors: CORS_CODEC,
  /** Absent: versioning never enabled (a bucket can never return there). */
  versioning: VERSIONING_CODEC,
  tagging: TAGGING_CODEC,
  // Documents validated against their schema (domain/configs/): stored and returned; some acted on
  // (lifecycle, logging and inventory by jobs/, website and referer by the request path).
  lifecycle: CONFIG_CODEC,
  website: CONFIG_CODEC,
  referer: CONFIG_CODEC,
  domain: CONFIG_CODEC,
  origin: CONFIG_CODEC,
  /** Absent: logging off. */
  logging: CONFIG_CODEC,
  accelerate: CONFIG_CODEC,
  encryption: CONFIG_CODEC,
  replication: CONFIG_CODEC,
  /** v1's document: also v2's `default` rule. */
  intelligentTiering: CONFIG_CODEC,
  /** v2's other (archive) rules, in the order they were made (domain/configs/intelligent-tiering-rules.ts). */
  intelligentTieringRules: CONFIG_LIST_CODEC,
  objectLock: CONFIG_CODEC,
  /** The bucket's inventory configurations, in the order they were made (older versions kept Id order). */
  inventory: CONFIG_LIST_CODEC,
  /** One-time inventory jobs (POST Bucket inventory), in the order they were made, reported by jobs/inventory.ts. */
  inventoryJobs: CONFIG_LIST_CODEC,
  /** What GET Bucket DomainCertificate answers for each custom domain with a certificate, in domain order. */
  domainCertificate: CONFIG_LIST_CODEC,
} as const satisfies Record<string, DocumentCodec<unknown>>;

export type BucketConfigKind = keyof typeof BUCKET_CONFIG_CODECS;
export type BucketConfigValue<K extends BucketConfigKind> = ReturnType<(typeof BUCKET_CONFIG_CODECS)[K]['decode']>;
/** A bucket's settings, decoded; an absent kind is not set. */
export type BucketConfigs = { readonly [K in BucketConfigKind]?: BucketConfigValue<K> };

/** The kinds kept as one schema-validated document (domain/configs/document.ts). */
export type DocumentKind = { [K in BucketConfigKind]: (typeof BUCKET_CONFIG_CODECS)[K] extends typeof CONFIG_CODEC ? K : never }[BucketConfigKind];

export const BUCKET_CONFIG_KINDS = Object.keys(BUCKET_CONFIG_CODECS) as BucketConfigKind[];

/** False for a kind this version does not know (a row written by a newer one): readers skip it. */
export const isBucketConfigKind = (kind: string): kind is BucketConfigKind => Object.hasOwn(BUCKET_CONFIG_CODECS, kind);

export function encodeBucketConfig<K extends BucketConfigKind>(kind: K, value: BucketConfigValue<K>): string {
  return (BUCKET_CONFIG_CODECS[kind] as DocumentCodec<BucketConfigValue<K>>).encode(value);
}

export function decodeBucketConfig<K extends BucketConfigKind>(kind: K, text: string): BucketConfigValue<K> {
  return (BUCKET_CONFIG_CODECS[kind] as DocumentCodec<BucketConfigValue<K>>).decode(text);
}
