// The SQLite engine runs the MetadataStore contract, each test on a new database file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { SyncBatcher } from '../../src/storage/fs/sync-batcher.ts';
import { SqliteMetadata } from '../../src/storage/sqlite/sqlite-metadata.ts';
import { describeMetadataStore } from './metadata-store.contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'coslocal-contract-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let stores = 0;
describeMetadataStore('sqlite', async () => new SqliteMetadata(join(dir, `meta-${++stores}.db`), new SyncBatcher()));
