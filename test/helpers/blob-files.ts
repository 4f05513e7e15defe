import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file under <dataDir>/blobs, as `<shard>/<name>`. */
export async function blobFiles(dataDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const shard of await readdir(join(dataDir, 'blobs'))) {
    for (const name of await readdir(join(dataDir, 'blobs', shard))) files.push(`${shard}/${name}`);
  }
  return files;
}
