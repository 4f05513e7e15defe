// The ACL case: 4 KiB GET and PUT by a grantee whose grants come last in 100-grant ACLs, against the owner on private ones.
import { makeTarget } from './load.ts';
import { BENCH_GRANTEE, BENCH_SECRET_ID, BENCH_SECRET_KEY, type ServerProcess } from './servers.ts';
import { abba, getHalf, populate, putHalf, ratioRow, type Side } from './side-by-side.ts';

const id = (uin: string): string => `id="qcs::cam::uin/${uin}:uin/${uin}"`;
/** n filler grantees that never match, so the caller's grant is evaluated after all of them. */
const fillers = (n: number): string[] => Array.from({ length: n }, (_, i) => id(String(200000000000 + i)));
const GRANTEE = id(BENCH_GRANTEE.uin);

/** With the owner's FULL_CONTROL from the canned `private`, each ACL holds exactly 100 grants. */
const BUCKET_ACL = { 'x-cos-grant-read': [...fillers(97), GRANTEE].join(','), 'x-cos-grant-write': GRANTEE };
const OBJECT_ACL = { 'x-cos-grant-read': [...fillers(98), GRANTEE].join(',') };

export async function runAclCase(server: ServerProcess): Promise<string> {
  const owner = makeTarget('owner', server.hostPort, BENCH_SECRET_ID, BENCH_SECRET_KEY);
  const grantee = makeTarget('grantee', server.hostPort, BENCH_GRANTEE.secretId, BENCH_GRANTEE.secretKey);
  try {
    await populate(owner, 'benchprivate-1250000000');
    await populate(owner, 'benchacl-1250000000', BUCKET_ACL, OBJECT_ACL);
    const priv: Side = { caller: owner, bucket: 'benchprivate-1250000000', puts: 0 };
    const acl: Side = { caller: grantee, bucket: 'benchacl-1250000000', puts: 0 };
    const lines = ['| case | private (owner) ops/s | 100-grant ACLs (grantee) ops/s | ratio | target | pass? |', '| --- | --- | --- | --- | --- | --- |'];
    lines.push(ratioRow('4 KiB GET', await abba(priv, acl, getHalf), 0.95));
    lines.push(ratioRow('4 KiB PUT', await abba(priv, acl, putHalf), 0.95));
    return lines.join('\n');
  } finally {
    owner.agent.destroy();
    grantee.agent.destroy();
  }
}
