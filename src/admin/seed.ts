// The seed file: accounts, sub-accounts, keys and buckets applied idempotently at every start.
import { readFile } from 'node:fs/promises';
import { aclFromHeaders } from '../api/common/acl-io.ts';
import type { Acl } from '../domain/acl.ts';
import { checkBucketName } from '../domain/bucket.ts';
import { encodeBucketConfig } from '../domain/bucket-config.ts';
import { isRegionName } from '../domain/region.ts';
import type { MetadataStore, MetadataTx } from '../storage/metadata.ts';
import { compileCappedPolicy } from '../authz/policy/compile.ts';
import { parseFaultRule, type FaultRuleSpec } from './faults.ts';
import { attachUserPolicy } from './user-policies.ts';

export interface SeedKey {
  secretId: string;
  secretKey: string;
}
export interface SeedSubAccount {
  uin: string;
  name: string;
  keys: SeedKey[];
  /** User policies by name, as JSON text. */
  policies: { name: string; document: string }[];
}
export interface SeedAccount {
  uin: string;
  appid: string;
  name: string;
  keys: SeedKey[];
  subAccounts: SeedSubAccount[];
}
export interface SeedBucket {
  name: string;
  owner: string;
  /** Its own `region`; undefined: the server's --region. */
  region: string | undefined;
  /** The ACL in header form (x-cos-acl / x-cos-grant-*), parsed by the same code as a PUT Bucket acl. */
  aclHeaders: Record<string, string> | undefined;
}
export interface Seed {
  accounts: SeedAccount[];
  buckets: SeedBucket[];
  /** Fault rules in force from the start (and after every reset); only with --test-controls. */
  faults: FaultRuleSpec[];
}

export class SeedError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(obj: Record<string, unknown>, field: string, where: string, pattern?: RegExp): string {
  const value = obj[field];
  if (typeof value !== 'string' || value === '') throw new SeedError(`${where}.${field} must be a non-empty string`);
  if (pattern && !pattern.test(value)) throw new SeedError(`${where}.${field} ${JSON.stringify(value)} must match ${pattern}`);
  return value;
}

function list(obj: Record<string, unknown>, field: string, where: string): Record<string, unknown>[] {
  const value = obj[field] ?? [];
  if (!Array.isArray(value) || !value.every(isRecord)) throw new SeedError(`${where}.${field} must be an array of objects`);
  return value;
}

const UIN = /^\d{5,20}$/;

const PERMISSION_HEADER: Record<string, string> = {
  READ: 'x-cos-grant-read',
  WRITE: 'x-cos-grant-write',
  READ_ACP: 'x-cos-grant-read-acp',
  WRITE_ACP: 'x-cos-grant-write-acp',
  FULL_CONTROL: 'x-cos-grant-full-control',
};

/**
 * A bucket's `acl`: a canned name (`"public-read"`) or `{ "canned"?, "grants": [{ "id" | "uri", "permission" }] }`,
 * turned into the equivalent request headers.
 */
function seedAclHeaders(acl: unknown, where: string): Record<string, string> | undefined {
  if (acl === undefined) return undefined;
  if (typeof acl === 'string') return { 'x-cos-acl': acl };
  if (!isRecord(acl)) throw new SeedError(`${where}.acl must be a canned ACL name or { canned, grants }`);
  const headers: Record<string, string> = {};
  if (acl['canned'] !== undefined) headers['x-cos-acl'] = text(acl, 'canned', `${where}.acl`);
  for (const [i, grant] of list(acl, 'grants', `${where}.acl`).entries()) {
    const at = `${where}.acl.grants[${i}]`;
    const header = PERMISSION_HEADER[text(grant, 'permission', at)];
    if (!header) throw new SeedError(`${at}.permission must be one of ${Object.keys(PERMISSION_HEADER).join(', ')}`);
    const grantee = typeof grant['uri'] === 'string' ? `uri="${grant['uri']}"` : `id="${text(grant, 'id', at)}"`;
    headers[header] = headers[header] ? `${headers[header]},${grantee}` : grantee;
  }
  return headers;
}
const keysOf = (obj: Record<string, unknown>, where: string): SeedKey[] =>
  list(obj, 'keys', where).map((k, i) => ({
    secretId: text(k, 'secretId', `${where}.keys[${i}]`),
    secretKey: text(k, 'secretKey', `${where}.keys[${i}]`),
  }));

/** A sub-account's `policies`: `[{ "name": "...", "policy": { "version": "2.0", "statement": [...] } }]`. */
function policiesOf(sub: Record<string, unknown>, where: string): SeedSubAccount['policies'] {
  return list(sub, 'policies', where).map((p, i) => {
    const at = `${where}.policies[${i}]`;
    if (!isRecord(p['policy'])) throw new SeedError(`${at}.policy must be a policy document (an object)`);
    const document = JSON.stringify(p['policy']);
    try {
      compileCappedPolicy(document, 'user');
    } catch (error) {
      throw new SeedError(`${at}.policy: ${(error as Error).message}`);
    }
    return { name: text(p, 'name', at), document };
  });
}

/** Validates a parsed seed document; unknown fields are left for later extensions (ACLs, policies). */
export function parseSeed(doc: unknown): Seed {
  if (!isRecord(doc)) throw new SeedError('seed must be a JSON object');
  const accounts = list(doc, 'accounts', 'seed').map((a, i): SeedAccount => {
    const where = `accounts[${i}]`;
    return {
      uin: text(a, 'uin', where, UIN),
      appid: text(a, 'appid', where, /^\d{1,20}$/),
      name: typeof a['name'] === 'string' ? a['name'] : '',
      keys: keysOf(a, where),
      subAccounts: list(a, 'subAccounts', where).map((s, j) => ({
        uin: text(s, 'uin', `${where}.subAccounts[${j}]`, UIN),
        name: typeof s['name'] === 'string' ? s['name'] : '',
        keys: keysOf(s, `${where}.subAccounts[${j}]`),
        policies: policiesOf(s, `${where}.subAccounts[${j}]`),
      })),
    };
  });
  const buckets = list(doc, 'buckets', 'seed').map((b, i): SeedBucket => {
    const where = `buckets[${i}]`;
    const region = b['region'] === undefined ? undefined : text(b, 'region', where);
    if (region !== undefined && !isRegionName(region)) throw new SeedError(`${where}.region ${JSON.stringify(region)} is not a COS region name (e.g. ap-guangzhou)`);
    const bucket = { name: text(b, 'name', where), owner: text(b, 'owner', where, UIN), region, aclHeaders: seedAclHeaders(b['acl'], where) };
    try {
      checkBucketName(bucket.name);
    } catch {
      throw new SeedError(`${where}.name ${JSON.stringify(bucket.name)} is not a valid COS bucket name (<name>-<appid>)`);
    }
    return bucket;
  });
  const faults = list(doc, 'faults', 'seed').map((rule, i) => {
    try {
      return parseFaultRule(rule, `faults[${i}]`);
    } catch (error) {
      throw new SeedError((error as Error).message);
    }
  });
  return { accounts, buckets, faults };
}

/** The first key the seed gives the root account `uin`, if it gives one. */
export function seedKey(seed: Seed, uin: string): SeedKey | undefined {
  return seed.accounts.find((account) => account.uin === uin)?.keys[0];
}

export async function loadSeedFile(path: string): Promise<Seed> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new SeedError(`cannot read seed file ${path}: ${(error as Error).message}`);
  }
  return parseSeed(doc);
}

function bucketAcl(bucket: SeedBucket): Acl | undefined {
  if (!bucket.aclHeaders) return undefined;
  try {
    const choice = aclFromHeaders(bucket.aclHeaders, 'bucket', bucket.owner, 'cos');
    return choice?.kind === 'acl' ? choice.acl : undefined;
  } catch (error) {
    throw new SeedError(`bucket ${bucket.name}: invalid acl: ${(error as Error).message}`);
  }
}

/** Upserts everything in the seed; running it twice changes nothing the second time. Buckets without a region get defaultRegion. */
export async function applySeed(meta: MetadataStore, seed: Seed, defaultRegion: string, now: number): Promise<void> {
  await meta.tx((tx) => writeSeed(tx, seed, defaultRegion, now));
}

/** applySeed inside a transaction of the caller's (a reset clears the store and seeds it in one). */
export async function writeSeed(tx: MetadataTx, seed: Seed, defaultRegion: string, now: number): Promise<void> {
  for (const account of seed.accounts) {
    await tx.putAccount({ uin: account.uin, appid: account.appid, name: account.name });
    for (const key of account.keys) await tx.putCredential({ ...key, ownerUin: account.uin, uin: account.uin });
    for (const sub of account.subAccounts) {
      await tx.putSubAccount({ uin: sub.uin, ownerUin: account.uin, name: sub.name });
      for (const key of sub.keys) await tx.putCredential({ ...key, ownerUin: account.uin, uin: sub.uin });
      for (const p of sub.policies) await attachUserPolicy(tx, account.uin, { uin: sub.uin, ...p });
    }
  }
  for (const bucket of seed.buckets) {
    const owner = await tx.getAccount(bucket.owner);
    if (!owner) throw new SeedError(`bucket ${bucket.name}: owner ${bucket.owner} is not an account`);
    if (!bucket.name.endsWith(`-${owner.appid}`)) throw new SeedError(`bucket ${bucket.name} must end with its owner's appid -${owner.appid}`);
    const existing = await tx.getBucket(bucket.name);
    if (existing && existing.ownerUin !== bucket.owner) throw new SeedError(`bucket ${bucket.name} already belongs to ${existing.ownerUin}`);
    const region = bucket.region ?? defaultRegion;
    // A bucket's region is fixed at creation [doc]; a seed cannot move it.
    if (existing && existing.region !== region) throw new SeedError(`bucket ${bucket.name} exists in ${existing.region}, not ${region}`);
    const acl = bucketAcl(bucket);
    if (!existing) await tx.insertBucket({ name: bucket.name, ownerUin: bucket.owner, region, createdAt: now });
    if (acl) await tx.putBucketConfig(bucket.name, 'acl', encodeBucketConfig('acl', acl));
    else if (existing && bucket.aclHeaders) await tx.deleteBucketConfig(bucket.name, 'acl');
  }
}
