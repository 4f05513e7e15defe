// Expired temporary keys are kept for EXPIRED_KEY_RETENTION_SECONDS (answered ExpiredToken), then removed at start-up.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { startApp } from '../app.ts';
import { parseConfig } from '../config.ts';
import { EXPIRED_KEY_RETENTION_SECONDS } from '../domain/identity.ts';
import { silentLogger } from '../http/log.ts';
import { openMetadata } from '../storage/sqlite/open.ts';
import { ensureDefaultAccount } from './accounts.ts';
import { issueTemporaryKey } from './temporary-keys.ts';

const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-tempkeys-'));
after(() => rm(dataDir, { recursive: true, force: true }));

it('removes temporary keys expired longer than the retention at start-up, and keeps the rest', async () => {
  const now = 2_000_000_000;
  const meta = await openMetadata(dataDir);
  const root = await ensureDefaultAccount(meta, {});
  const issue = (issuedAt: number) => issueTemporaryKey(meta, { ownerUin: root.ownerUin, uin: root.uin, durationSeconds: 1800, now: issuedAt });
  const longExpired = await issue(now - EXPIRED_KEY_RETENTION_SECONDS - 1800 - 1);
  const recentlyExpired = await issue(now - 1800 - 60);
  const live = await issue(now - 60);
  await meta.close();

  const app = await startApp(parseConfig(['--port', '0', '--data-dir', dataDir], {}), { log: silentLogger, clock: () => now * 1000 });
  await app.close();

  const reopened = await openMetadata(dataDir);
  assert.equal(await reopened.getCredential(longExpired.secretId), undefined, 'expired beyond the retention: gone');
  assert.ok(await reopened.getCredential(recentlyExpired.secretId), 'recently expired: kept, so it is still answered ExpiredToken');
  assert.ok(await reopened.getCredential(live.secretId));
  assert.ok(await reopened.getCredential(root.secretId), 'permanent keys are never touched');
  await reopened.close();
});
