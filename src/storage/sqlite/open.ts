// Opens (creating if needed) the SQLite metadata store of a data directory; used by the server and the CLI.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SyncBatcher } from '../fs/sync-batcher.ts';
import { SqliteMetadata } from './sqlite-metadata.ts';

export async function openMetadata(dataDir: string, batcher = new SyncBatcher()): Promise<SqliteMetadata> {
  await mkdir(dataDir, { recursive: true });
  return new SqliteMetadata(join(dataDir, 'meta.db'), batcher);
}
