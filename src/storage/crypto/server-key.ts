// The SSE-COS key: 32 random bytes, made once per data directory and kept in it (0600), or per process
// for --in-memory. Losing the file loses every SSE-COS object: an operator backs it up with the data.
import { randomBytes, randomUUID } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const SERVER_KEY_FILE = 'sse-cos.key';
const KEY_BYTES = 32;

/** A key for one process's life (--in-memory: its objects die with it too). */
export const ephemeralServerKey = (): Buffer => randomBytes(KEY_BYTES);

/**
 * The data directory's key, made on first use. It is written whole to a private temporary file, made
 * durable, then linked into place: link() fails if the name exists, so a crash never leaves a partial
 * key and of two processes racing the loser reads the winner's key. The directory is synced so the name
 * survives a crash as the first objects encrypted with it do.
 */
export async function loadServerKey(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, SERVER_KEY_FILE);
  const existing = await readKey(path);
  if (existing) return existing;
  const temporary = join(dataDir, `.${SERVER_KEY_FILE}.${randomUUID()}.tmp`);
  const file = await open(temporary, 'wx', 0o600);
  try {
    await file.writeFile(randomBytes(KEY_BYTES));
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  const directory = await open(dataDir, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
  const made = await readKey(path);
  if (!made) throw new Error(`${path} vanished as it was made`);
  return made;
}

async function readKey(path: string): Promise<Buffer | undefined> {
  let key: Buffer;
  try {
    key = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // A damaged key would encrypt new objects under a key the old ones were not: refuse to start instead.
  if (key.length !== KEY_BYTES) throw new Error(`${path} is not a ${KEY_BYTES}-byte key (${key.length} bytes); restore it from a backup`);
  return key;
}
