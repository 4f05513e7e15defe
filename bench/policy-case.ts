// The policy case: 4 KiB GETs on a bucket whose policy has 100 statements (wildcards, conditions)
// against the same GETs on a bucket with no policy, in the same run (issue 4's target: ≥ 0.9×).
import { call, makeTarget } from './load.ts';
import { hundredStatementPolicy } from './hundred-statements.ts';
import { BENCH_GRANTEE, BENCH_SECRET_ID, BENCH_SECRET_KEY, type ServerProcess } from './servers.ts';
import { abba, getHalf, populate, ratioRow, type Side } from './side-by-side.ts';

const PLAIN = 'bplain-1250000000';
const POLICY = 'bp-1250000000';

export async function runPolicyCase(server: ServerProcess): Promise<string> {
  const owner = makeTarget('owner', server.hostPort, BENCH_SECRET_ID, BENCH_SECRET_KEY);
  const grantee = makeTarget('grantee', server.hostPort, BENCH_GRANTEE.secretId, BENCH_GRANTEE.secretKey);
  try {
    await populate(owner, PLAIN);
    await populate(owner, POLICY);
    const put = await call(owner, { method: 'PUT', path: `/${POLICY}/`, query: [['policy', '']], body: Buffer.from(hundredStatementPolicy(POLICY, '1250000000', BENCH_GRANTEE.uin)) });
    if (put.status !== 204) throw new Error(`PUT Bucket policy: ${put.status}`);
    const lines = ['| case | no policy ops/s | 100-statement policy ops/s | ratio | target | pass? |', '| --- | --- | --- | --- | --- | --- |'];
    // The owner: no statement names it, so both passes (its own and the anonymous one) walk all 100 for a Deny.
    lines.push(ratioRow('4 KiB GET, owner', await abba({ caller: owner, bucket: PLAIN, puts: 0 }, { caller: owner, bucket: POLICY, puts: 0 }, getHalf), 0.9));
    // Another account, admitted by the last statement only after all 99 others were tried; without the
    // policy it could not read at all, so the owner on the plain bucket stays the baseline.
    const granteeSide: Side = { caller: grantee, bucket: POLICY, puts: 0 };
    lines.push(ratioRow('4 KiB GET, grantee via statement 100 vs owner', await abba({ caller: owner, bucket: PLAIN, puts: 0 }, granteeSide, getHalf), 0.9));
    return lines.join('\n');
  } finally {
    owner.agent.destroy();
    grantee.agent.destroy();
  }
}
