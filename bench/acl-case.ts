// The ACL case: 4 KiB GET and PUT by a grantee whose grants come last in 100-grant ACLs, against the owner on private ones.
import { randomBytes } from 'node:crypto';
import { call, makeTarget, runLoad, type LoadResult, type Target } from './load.ts';
import { BENCH_GRANTEE, BENCH_SECRET_ID, BENCH_SECRET_KEY, type ServerProcess } from './servers.ts';

const OBJECTS = 2000;
const CONCURRENCY = 64;
const HALF_MS = 4_000;
const HALF_MAX_OPS = 8_000;
const body = randomBytes(4096);

const id = (uin: string): string => `id="qcs::cam::uin/${uin}:uin/${uin}"`;
/** n filler grantees that never match, so the caller's grant is evaluated after all of them. */
const fillers = (n: number): string[] => Array.from({ length: n }, (_, i) => id(String(200000000000 + i)));
const GRANTEE = id(BENCH_GRANTEE.uin);

/** With the owner's FULL_CONTROL from the canned `private`, each ACL holds exactly 100 grants. */
const BUCKET_ACL = { 'x-cos-grant-read': [...fillers(97), GRANTEE].join(','), 'x-cos-grant-write': GRANTEE };
const OBJECT_ACL = { 'x-cos-grant-read': [...fillers(98), GRANTEE].join(',') };

interface AclSide {
  name: string;
  caller: Target;
  bucket: string;
  puts: number;
}

async function setUp(owner: Target, bucket: string, acl: boolean): Promise<void> {
  const created = await call(owner, { method: 'PUT', path: `/${bucket}/`, ...(acl && { headers: BUCKET_ACL }) });
  if (created.status !== 200) throw new Error(`PUT Bucket ${bucket}: ${created.status}`);
  const result = await runLoad(owner, {
    concurrency: CONCURRENCY,
    maxOps: OBJECTS,
    maxMs: 120_000,
    next: (i) => ({ method: 'PUT', path: `/${bucket}/obj/${i}`, body, ...(acl && { headers: OBJECT_ACL }) }),
  });
  if (result.errors > 0) throw new Error(`populating ${bucket}: ${result.firstError ?? ''}`);
}

const get = (side: AclSide): Promise<LoadResult> =>
  runLoad(side.caller, {
    concurrency: CONCURRENCY,
    maxOps: HALF_MAX_OPS,
    maxMs: HALF_MS,
    next: (i) => ({ method: 'GET', path: `/${side.bucket}/obj/${(i * 7919) % OBJECTS}` }),
  });

const put = (side: AclSide): Promise<LoadResult> =>
  runLoad(side.caller, {
    concurrency: CONCURRENCY,
    maxOps: HALF_MAX_OPS,
    maxMs: HALF_MS,
    next: () => ({ method: 'PUT', path: `/${side.bucket}/new/${side.puts++}`, body }),
  });

/** A-B-B-A over the two sides; ops/s summed over both halves of each. */
async function abba(priv: AclSide, acl: AclSide, half: (side: AclSide) => Promise<LoadResult>): Promise<{ priv: number; acl: number; errors: number }> {
  const totals = new Map<AclSide, { ops: number; ms: number }>([
    [priv, { ops: 0, ms: 0 }],
    [acl, { ops: 0, ms: 0 }],
  ]);
  let errors = 0;
  for (const side of [priv, acl, acl, priv]) {
    const result = await half(side);
    const total = totals.get(side);
    if (total) {
      total.ops += result.ops;
      total.ms += result.elapsedMs;
    }
    errors += result.errors;
  }
  const rate = (side: AclSide): number => {
    const t = totals.get(side);
    return t && t.ms > 0 ? (t.ops * 1000) / t.ms : 0;
  };
  return { priv: rate(priv), acl: rate(acl), errors };
}

export async function runAclCase(server: ServerProcess): Promise<string> {
  const owner = makeTarget('owner', server.hostPort, BENCH_SECRET_ID, BENCH_SECRET_KEY);
  const grantee = makeTarget('grantee', server.hostPort, BENCH_GRANTEE.secretId, BENCH_GRANTEE.secretKey);
  try {
    await setUp(owner, 'benchprivate-1250000000', false);
    await setUp(owner, 'benchacl-1250000000', true);
    const priv: AclSide = { name: 'owner, private ACLs', caller: owner, bucket: 'benchprivate-1250000000', puts: 0 };
    const acl: AclSide = { name: 'grantee, 100-grant ACLs', caller: grantee, bucket: 'benchacl-1250000000', puts: 0 };
    const lines = ['| case | private (owner) ops/s | 100-grant ACLs (grantee) ops/s | ratio | target | pass? |', '| --- | --- | --- | --- | --- | --- |'];
    for (const [name, half] of [
      ['4 KiB GET', get],
      ['4 KiB PUT', put],
    ] as const) {
      const r = await abba(priv, acl, half);
      const ratio = r.priv > 0 ? r.acl / r.priv : 0;
      lines.push(`| ${name} | ${r.priv.toFixed(0)} | ${r.acl.toFixed(0)} | ${ratio.toFixed(2)}× | ≥ 0.95× | ${ratio >= 0.95 && r.errors === 0 ? 'yes' : `**NO**${r.errors ? ` (${r.errors} errors)` : ''}`} |`);
    }
    return lines.join('\n');
  } finally {
    owner.agent.destroy();
    grantee.agent.destroy();
  }
}
