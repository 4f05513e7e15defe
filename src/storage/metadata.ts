// The metadata store interface: state-shaped reads and writes; the COS rules live above it (domain/, api/).
import type { Acl } from '../domain/acl.ts';
import type { Bucket } from '../domain/bucket.ts';
import type { CorsConfiguration } from '../domain/cors.ts';
import type { Account, Credential, SubAccount, UserPolicy } from '../domain/identity.ts';
import type { ObjectRecord } from '../domain/object.ts';

export interface ListObjectsQuery {
  bucket: string;
  prefix: string;
  /** Return keys strictly greater than this. */
  after: string;
  limit: number;
}

export interface MetadataReader {
  getCredential(secretId: string): Promise<Credential | undefined>;
  getAccount(uin: string): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;
  listSubAccounts(ownerUin: string): Promise<SubAccount[]>;
  /** The identity's permanent keys (temporary ones are found by getCredential only). */
  listCredentials(uin: string): Promise<Credential[]>;
  getSubAccount(uin: string): Promise<SubAccount | undefined>;
  /** The user policies attached to a sub-account, by name. */
  listUserPolicies(uin: string): Promise<UserPolicy[]>;
  getBucket(name: string): Promise<Bucket | undefined>;
  listBuckets(ownerUin: string): Promise<Bucket[]>;
  countBuckets(ownerUin: string): Promise<number>;
  bucketIsEmpty(name: string): Promise<boolean>;
  getObject(bucket: string, key: string): Promise<ObjectRecord | undefined>;
  /** Objects in key order (UTF-8 byte order, as COS lists them). */
  listObjects(query: ListObjectsQuery): Promise<ObjectRecord[]>;
  /** Whether any object refers to this blob (for the orphan sweep). */
  blobInUse(ref: string): Promise<boolean>;
}

export interface MetadataTx extends MetadataReader {
  putAccount(account: Account): Promise<void>;
  putSubAccount(sub: SubAccount): Promise<void>;
  putCredential(credential: Credential): Promise<void>;
  /** Inserts or replaces the policy of that name. */
  putUserPolicy(policy: UserPolicy): Promise<void>;
  /** Returns false when no such policy exists. */
  deleteUserPolicy(uin: string, name: string): Promise<boolean>;
  insertBucket(bucket: Bucket): Promise<void>;
  deleteBucket(name: string): Promise<void>;
  setBucketAcl(name: string, acl: Acl | undefined): Promise<void>;
  setBucketPolicy(name: string, policy: string | undefined): Promise<void>;
  setBucketCors(name: string, cors: CorsConfiguration | undefined): Promise<void>;
  /** Returns false when no such object exists. */
  setObjectAcl(bucket: string, key: string, acl: Acl | undefined): Promise<boolean>;
  /** Inserts or replaces; returns the replaced record's blob, if any. */
  putObject(record: ObjectRecord): Promise<string | undefined>;
  /** Returns the deleted record's blob, if any. */
  deleteObject(bucket: string, key: string): Promise<string | undefined>;
}

export interface MetadataStore extends MetadataReader {
  /**
   * Runs fn atomically. The promise resolves only once the transaction is durable. Implementations
   * may require fn to await nothing but the tx's own methods (see storage/sqlite).
   */
  tx<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
