import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SyncBatcher } from './sync-batcher.ts';

const root = await mkdtemp(join(tmpdir(), 'coslocal-sync-'));
after(() => rm(root, { recursive: true, force: true }));

/**
 * Linux: how many of the process's open file descriptors point into this test's directory. Counting
 * all of them is racy: the test runner and the TypeScript loader open and close their own meanwhile.
 */
function openFds(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(root)) n++;
    } catch {
      // closed between the listing and the readlink
    }
  }
  return n;
}

test('keeps one handle per path across syncs, and closes it on release and close', async () => {
  const dir = join(root, 'd');
  const file = join(root, 'f');
  await mkdir(dir);
  await writeFile(file, 'x');
  const batcher = new SyncBatcher();
  const before = openFds();
  await Promise.all([batcher.sync(dir), batcher.sync(dir), batcher.sync(file)]);
  await batcher.sync(dir);
  assert.equal(openFds(), before + 2);
  await batcher.release(file);
  assert.equal(openFds(), before + 1);
  await batcher.sync(file);
  assert.equal(openFds(), before + 2);
  await batcher.close();
  assert.equal(openFds(), before);
});

test('a failed sync keeps nothing open and a later one starts afresh', async () => {
  const path = join(root, 'later');
  const batcher = new SyncBatcher();
  const before = openFds();
  await assert.rejects(batcher.sync(path), { code: 'ENOENT' });
  assert.equal(openFds(), before);
  await writeFile(path, 'x');
  await batcher.sync(path);
  await batcher.close();
  assert.equal(openFds(), before);
});
