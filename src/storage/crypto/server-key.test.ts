import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadServerKey, SERVER_KEY_FILE } from './server-key.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'coslocal-server-key-'));
});
after(() => rm(root, { recursive: true, force: true }));

const freshDir = (name: string): Promise<string> => mkdtemp(join(root, name));

describe('loadServerKey', () => {
  it('makes a 32-byte key once, readable by its owner only, and loads the same key afterwards', async () => {
    const dir = await freshDir('once-');
    const key = await loadServerKey(dir);
    assert.equal(key.length, 32);
    assert.equal((await stat(join(dir, SERVER_KEY_FILE))).mode & 0o777, 0o600);
    assert.deepEqual(await loadServerKey(dir), key);
    assert.deepEqual(await readdir(dir), [SERVER_KEY_FILE], 'no temporary file is left behind');
  });

  it('hands every one of racing first loads the same key', async () => {
    const dir = await freshDir('race-');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadServerKey(dir)));
    for (const key of keys) assert.deepEqual(key, keys[0]);
    assert.deepEqual(await readdir(dir), [SERVER_KEY_FILE]);
  });

  it('refuses a key file of the wrong size rather than encrypting under another key', async () => {
    const dir = await freshDir('damaged-');
    await writeFile(join(dir, SERVER_KEY_FILE), Buffer.alloc(31));
    await assert.rejects(loadServerKey(dir), /not a 32-byte key/);
  });
});
