// Issue #21: three coslocal nodes on loopback (one of them a primary with two workers), one PostgreSQL database, one shared blob directory. Whatever
// node a request lands on, it sees the others' writes, their policy changes and key revocations; a multipart
// upload may travel over all three; a node killed -9 mid-upload loses no acknowledged write and leaves nothing
// the others trip over; a background job runs once.
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import { freePort, startServer } from '../helpers/child-server.ts';
import { eventually } from '../helpers/eventually.ts';
import { freshDatabase, postgresUnavailable } from '../helpers/postgres.ts';
import { send } from '../helpers/raw.ts';
import { OWNER, SUB, codeOf, uniqueBucket } from '../helpers/server.ts';

const REGION = 'ap-chengdu';
/** The key cache's recheck interval (src/auth/store-keyring.ts) is 250 ms; a revoked key must be refused everywhere within a second. */
const REVOCATION_BOUND_MS = 1000;

interface Node {
  name: string;
  port: number;
  hostPort: string;
  child: ChildProcess;
  cos(identity?: { secretId: string; secretKey: string }): COS;
}

const md5 = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');

describe('three nodes on one PostgreSQL database and one blob directory', { skip: postgresUnavailable() }, () => {
  let metadataUrl = '';
  let dir = '';
  let dataDir = '';
  let seedFile = '';
  const nodes: Node[] = [];
  let bucket = '';

  /** `workers`: the node is itself several processes (--workers) sharing its port. */
  async function startNode(name: string, port: number, workers?: number): Promise<Node> {
    const flags = ['--node', '--metadata', metadataUrl, '--seed', seedFile, '--region', REGION, ...(workers === undefined ? [] : ['--workers', String(workers)])];
    const child = await startServer(port, dataDir, { args: flags });
    const hostPort = `127.0.0.1:${port}`;
    return { name, port, hostPort, child, cos: (id = OWNER) => new COS({ SecretId: id.secretId, SecretKey: id.secretKey, Protocol: 'http:', Ip: hostPort }) };
  }

  function cli(...args: string[]): Promise<string> {
    return promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, '--metadata', metadataUrl, '--data-dir', dataDir]).then((r) => r.stdout);
  }

  const node = (i: number): Node => nodes[i] ?? assert.fail(`no node ${i}`);

  before(async () => {
    metadataUrl = await freshDatabase();
    dir = await mkdtemp(join(tmpdir(), 'coslocal-nodes-'));
    dataDir = join(dir, 'shared');
    seedFile = join(dir, 'seed.json');
    await writeFile(
      seedFile,
      JSON.stringify({ accounts: [{ uin: OWNER.uin, appid: OWNER.appid, name: 'owner', keys: [{ secretId: OWNER.secretId, secretKey: OWNER.secretKey }], subAccounts: [{ uin: SUB.uin, name: 'dev', keys: [{ secretId: SUB.secretId, secretKey: SUB.secretKey }] }] }] }),
    );
    // All three at once: their migrations and seeds race on one empty database. node2 is a primary with two
    // workers, as a node on a machine with cores to spare runs.
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    nodes.push(...(await Promise.all(ports.map((port, i) => startNode(`node${i + 1}`, port, i === 1 ? 2 : undefined)))));
    bucket = uniqueBucket();
    await node(0).cos().putBucket({ Bucket: bucket, Region: REGION });
  });

  after(async () => {
    for (const n of nodes) n.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('serves on every node what any node wrote', async () => {
    for (const [i, writer] of nodes.entries()) {
      const body = randomBytes(100_000 + i);
      await writer.cos().putObject({ Bucket: bucket, Region: REGION, Key: `from/${writer.name}`, Body: body });
      for (const reader of nodes) {
        const got = await reader.cos().getObject({ Bucket: bucket, Region: REGION, Key: `from/${writer.name}` });
        assert.equal(md5(got.Body), md5(body), `${writer.name}'s object read on ${reader.name}`);
      }
    }
    const listed = await node(2).cos().getBucket({ Bucket: bucket, Region: REGION, Prefix: 'from/' });
    assert.deepEqual(listed.Contents.map((c) => c.Key), ['from/node1', 'from/node2', 'from/node3']);
  });

  it('enforces on the other nodes, at once, a bucket policy set or removed on one', async () => {
    await node(0).cos().putObject({ Bucket: bucket, Region: REGION, Key: 'public/page', Body: 'hello' });
    const anonymousGet = (n: Node): Promise<number> => send(n.hostPort, { method: 'GET', url: `/${bucket}/public/page` }).then((r) => r.status);
    assert.equal(await anonymousGet(node(1)), 403);
    const policy = { version: '2.0', statement: [{ effect: 'allow', principal: { qcs: ['qcs::cam::anyone:anyone'] }, action: ['name/cos:GetObject'], resource: [`qcs::cos:${REGION}:uid/${OWNER.appid}:${bucket}/public/*`] }] };
    await node(0).cos().putBucketPolicy({ Bucket: bucket, Region: REGION, Policy: policy });
    assert.equal(await anonymousGet(node(1)), 200);
    assert.equal(await anonymousGet(node(2)), 200);
    await node(2).cos().deleteBucketPolicy({ Bucket: bucket, Region: REGION });
    assert.equal(await anonymousGet(node(0)), 403);
    assert.equal(await anonymousGet(node(1)), 403);
  });

  it('refuses everywhere, within a second, a key revoked through one node\'s store', async () => {
    const created = JSON.parse(await cli('keys', 'create', '--owner', OWNER.uin)) as { secretId: string; secretKey: string };
    const key = { secretId: created.secretId, secretKey: created.secretKey };
    // Every node has the key cached before it is revoked.
    for (const n of nodes) assert.equal(await codeOf(n.cos(key).headBucket({ Bucket: bucket, Region: REGION })), undefined);
    await cli('keys', 'delete', '--secret-id', key.secretId);
    const revokedAt = Date.now();
    for (const n of nodes) {
      await eventually(`${n.name} refuses the revoked key`, async () => (await codeOf(n.cos(key).getBucket({ Bucket: bucket, Region: REGION }))) === 'InvalidAccessKeyId');
    }
    const took = Date.now() - revokedAt;
    assert.ok(took <= REVOCATION_BOUND_MS, `the last node refused the revoked key after ${took} ms`);
  });

  it('completes on a third node a multipart upload whose parts went to two others', async () => {
    const Key = 'multipart/spread';
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(1234)];
    const { UploadId } = await node(0).cos().multipartInit({ Bucket: bucket, Region: REGION, Key });
    const uploaded = [];
    for (const [i, part] of parts.entries()) {
      const via = node(i % 2); // parts on node1 and node2
      const { ETag } = await via.cos().multipartUpload({ Bucket: bucket, Region: REGION, Key, UploadId, PartNumber: i + 1, Body: part });
      uploaded.push({ PartNumber: i + 1, ETag });
    }
    const listedParts = await node(2).cos().multipartListPart({ Bucket: bucket, Region: REGION, Key, UploadId });
    assert.equal(listedParts.Part.length, 3);
    await node(2).cos().multipartComplete({ Bucket: bucket, Region: REGION, Key, UploadId, Parts: uploaded });
    const whole = Buffer.concat(parts);
    for (const n of nodes) {
      const got = await n.cos().getObject({ Bucket: bucket, Region: REGION, Key });
      assert.equal(md5(got.Body), md5(whole), `read on ${n.name}`);
    }
  });

  it('runs a background job once across the nodes', async () => {
    // Every node's runner wakes at start; the lifecycle job is due at once, then an hour later. Only the
    // node that took its lease runs it, so across the three nodes it ran once.
    const runs = async (): Promise<number> => {
      let sum = 0;
      for (const n of nodes) {
        const text = (await send(n.hostPort, { method: 'GET', url: '/_coslocal/metrics' })).body.toString();
        for (const [, count] of text.matchAll(/^coslocal_job_runs_total\{job="lifecycle",outcome="success"\} (\d+)$/gm)) sum += Number(count);
      }
      return sum;
    };
    await eventually('the lifecycle job has run', async () => (await runs()) >= 1);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(await runs(), 1);
  });

  it('loses no acknowledged write when a node is killed -9 mid-upload, and the others carry on', async () => {
    const victim = node(2);
    const acknowledged = new Map<string, string>();
    let stop = false;
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const Key = `crash/w${w}/${i}`;
        const body = randomBytes(64 * 1024 + w);
        try {
          await victim.cos().putObject({ Bucket: bucket, Region: REGION, Key, Body: body });
          acknowledged.set(Key, md5(body));
        } catch {
          return; // the node is gone
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    await eventually('some uploads acknowledged', async () => acknowledged.size >= 20);
    victim.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    for (const [Key, sum] of acknowledged) {
      const got = await node(0).cos().getObject({ Bucket: bucket, Region: REGION, Key });
      assert.equal(md5(got.Body), sum, `${Key} after the kill`);
    }
    // The survivors carry on: write, list, overwrite what the dead node wrote, delete.
    await node(1).cos().putObject({ Bucket: bucket, Region: REGION, Key: 'crash/after', Body: 'still here' });
    const listed = await node(0).cos().getBucket({ Bucket: bucket, Region: REGION, Prefix: 'crash/', MaxKeys: 1000 });
    assert.ok(listed.Contents.length >= acknowledged.size + 1);
    const [first] = acknowledged.keys();
    assert.ok(first);
    await node(1).cos().putObject({ Bucket: bucket, Region: REGION, Key: first, Body: 'replaced' });
    await node(0).cos().deleteObject({ Bucket: bucket, Region: REGION, Key: 'crash/after' });
    // The dead node comes back as a node of the same deployment and serves what it wrote.
    nodes[2] = await startNode('node3', victim.port);
    const got = await node(2).cos().getObject({ Bucket: bucket, Region: REGION, Key: first });
    assert.equal(got.Body.toString(), 'replaced');
  });
});
