// The seed file's sub-account `policies`: validated with the policy engine, applied idempotently.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { openMetadata } from '../storage/sqlite/open.ts';
import { applySeed, parseSeed, SeedError } from './seed.ts';

const policy = { version: '2.0', statement: [{ effect: 'allow', action: ['name/cos:GetObject'], resource: ['*'] }] };
const seedWith = (policies: unknown): unknown => ({
  accounts: [{ uin: '100000000001', appid: '1250000000', name: 'main', keys: [], subAccounts: [{ uin: '100000000011', name: 'dev', keys: [], policies }] }],
});

it('attaches sub-account policies, and applying the seed twice changes nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'coslocal-seed-'));
  const meta = await openMetadata(dir);
  try {
    const seed = parseSeed(seedWith([{ name: 'read', policy }]));
    await applySeed(meta, seed, 'ap-guangzhou', 0);
    await applySeed(meta, seed, 'ap-guangzhou', 0);
    const attached = await meta.listUserPolicies('100000000011');
    assert.deepEqual(attached.map((p) => [p.name, JSON.parse(p.document)]), [['read', policy]]);
  } finally {
    await meta.close();
    await rm(dir, { recursive: true, force: true });
  }
});

it('names an invalid policy by its place in the seed', () => {
  const bad = { version: '2.0', statement: [{ effect: 'allow', principal: { qcs: ['*'] }, action: ['*'], resource: ['*'] }] };
  assert.throws(
    () => parseSeed(seedWith([{ name: 'bad', policy: bad }])),
    (e: unknown) => e instanceof SeedError && /accounts\[0\]\.subAccounts\[0\]\.policies\[0\]\.policy: statement\[0\]\.principal: not allowed in a user policy/.test(e.message),
  );
  assert.throws(() => parseSeed(seedWith([{ name: 'x', policy: 'text' }])), /must be a policy document/);
});

it("creates a seeded bucket in its own region, else --region's, and never moves one", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'coslocal-seed-'));
  const meta = await openMetadata(dir);
  const account = { uin: '100000000001', appid: '1250000000', name: 'main' };
  const doc = (chengdu: string): unknown => ({
    accounts: [account],
    buckets: [
      { name: 'plain-1250000000', owner: account.uin },
      { name: 'west-1250000000', owner: account.uin, region: chengdu },
    ],
  });
  try {
    await applySeed(meta, parseSeed(doc('ap-chengdu')), 'ap-guangzhou', 0);
    assert.equal((await meta.getBucket('plain-1250000000'))?.region, 'ap-guangzhou');
    assert.equal((await meta.getBucket('west-1250000000'))?.region, 'ap-chengdu');
    await assert.rejects(applySeed(meta, parseSeed(doc('ap-beijing')), 'ap-guangzhou', 0), /west-1250000000 exists in ap-chengdu, not ap-beijing/);
    assert.throws(() => parseSeed(doc('chengdu')), (e: unknown) => e instanceof SeedError && /buckets\[1\]\.region "chengdu"/.test(e.message));
  } finally {
    await meta.close();
    await rm(dir, { recursive: true, force: true });
  }
});
