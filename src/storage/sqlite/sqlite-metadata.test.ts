// tx() reports the error that failed a transaction, also when SQLite rolled the transaction back itself
// (as it may on SQLITE_FULL): a trigger's RAISE(ROLLBACK) ends the transaction the same way. Processes
// opening a new store at once migrate it once.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, it } from 'node:test';
import Database from 'better-sqlite3';
import { SyncBatcher } from '../fs/sync-batcher.ts';
import { MIGRATIONS } from './migrations.ts';
import { SqliteMetadata } from './sqlite-metadata.ts';

const run = promisify(execFile);

const dir = mkdtempSync(join(tmpdir(), 'coslocal-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('a statement that ends the transaction itself fails the tx with its own error, and the store goes on', async () => {
  const path = join(dir, 'meta.db');
  const meta = new SqliteMetadata(path, new SyncBatcher());
  const saboteur = new Database(path);
  saboteur.exec(`CREATE TRIGGER full_disk BEFORE INSERT ON accounts WHEN NEW.name = 'too-big'
    BEGIN SELECT RAISE(ROLLBACK, 'database or disk is full (simulated)'); END`);
  saboteur.close();

  await assert.rejects(
    meta.tx(async (tx) => {
      await tx.putAccount({ uin: '100000000001', appid: '1250000000', name: 'fits' });
      await tx.putAccount({ uin: '100000000002', appid: '1250000002', name: 'too-big' });
    }),
    /database or disk is full \(simulated\)/,
  );
  assert.equal(await meta.getAccount('100000000001'), undefined, 'the whole transaction was rolled back');
  await meta.tx((tx) => tx.putAccount({ uin: '100000000003', appid: '1250000003', name: 'next' }));
  assert.equal((await meta.getAccount('100000000003'))?.name, 'next');
  await meta.close();
});

it('processes opening a new store at once run each migration once, and agree on its deployment id', async () => {
  const path = join(dir, 'opened-at-once.db');
  // Each child waits for the same moment (their start-ups take different times), then opens the file.
  const open = `import { SqliteMetadata } from './src/storage/sqlite/sqlite-metadata.ts';
import { SyncBatcher } from './src/storage/fs/sync-batcher.ts';
await new Promise((resolve) => setTimeout(resolve, Number(process.argv[2]) - Date.now()));
const meta = new SqliteMetadata(process.argv[1], new SyncBatcher());
process.stdout.write(await meta.deploymentId());
await meta.close();`;
  const at = String(Date.now() + 3_000);
  const opened = await Promise.all(
    Array.from({ length: 4 }, async () => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', open, path, at]);
      return stdout;
    }),
  );
  assert.equal(new Set(opened).size, 1, `one deployment id: ${opened.join(', ')}`);
  const db = new Database(path);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  db.close();
});
