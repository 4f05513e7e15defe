// The SQLite engine runs the MetadataStore contract, each test on a new database file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { SyncBatcher } from '../../src/storage/fs/sync-batcher.ts';
import { SqliteMetadata } from '../../src/storage/sqlite/sqlite-metadata.ts';
import { describeMetadataStore } from './metadata-store.contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'coslocal-contract-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let stores = 0;
describeMetadataStore('sqlite', async () => new SqliteMetadata(join(dir, `meta-${++stores}.db`), new SyncBatcher()));

it('keeps a job\'s state, its run\'s cursor included, across a restart', async () => {
  const path = join(dir, 'restart.db');
  const first = new SqliteMetadata(path, new SyncBatcher());
  const state = { name: 'lifecycle', nextRunAt: 5, lease: { holder: 'gone', until: 9 }, run: { startedAt: 1, cursor: '{"bucket":"b"}' } };
  await first.tx((tx) => tx.putJob(state));
  await first.close();
  const second = new SqliteMetadata(path, new SyncBatcher());
  assert.deepEqual(await second.getJob('lifecycle'), state);
  await second.close();
});
