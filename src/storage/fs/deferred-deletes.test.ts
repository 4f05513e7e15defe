import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';
import { DeferredDeletes, MAX_BACKLOG } from './deferred-deletes.ts';

/** A remove() that records what it was asked, and how many ran at once, each taking one event-loop turn. */
function recorder(fail: ReadonlySet<string> = new Set()) {
  const removed: string[] = [];
  const errors: string[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const deletes = new DeferredDeletes(
    async (ref) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await tick();
      running--;
      if (fail.has(ref)) throw new Error(`cannot remove ${ref}`);
      removed.push(ref);
    },
    (ref, error) => errors.push(`${ref}: ${(error as Error).message}`),
  );
  return { deletes, removed, errors, mostAtOnce: () => mostAtOnce };
}

test('add() resolves before the delete runs; the deletes run later, in order, one at a time', async () => {
  const r = recorder();
  for (const ref of ['a', 'b', 'c']) await r.deletes.add(ref);
  assert.deepEqual(r.removed, [], 'nothing removed while the callers went on');
  await r.deletes.idle();
  assert.deepEqual(r.removed, ['a', 'b', 'c']);
  assert.equal(r.mostAtOnce(), 1);
  // Idle with nothing queued resolves; a later add starts the deletes again.
  await r.deletes.idle();
  await r.deletes.add('d');
  await r.deletes.idle();
  assert.deepEqual(r.removed, ['a', 'b', 'c', 'd']);
});

test('a delete queued while others run is part of what idle() waits for', async () => {
  const r = recorder();
  void r.deletes.add('a');
  const idle = r.deletes.idle();
  // 'a' is being removed (its remove() waits for the next event-loop turn) when 'b' comes.
  void r.deletes.add('b');
  await idle;
  assert.deepEqual(r.removed, ['a', 'b']);
});

test('a failed delete is reported and the ones after it still run', async () => {
  const r = recorder(new Set(['bad']));
  for (const ref of ['a', 'bad', 'c']) void r.deletes.add(ref);
  await r.deletes.idle();
  assert.deepEqual(r.removed, ['a', 'c']);
  assert.deepEqual(r.errors, ['bad: cannot remove bad']);
});

test('beyond the backlog, add() waits until its own delete has run', async () => {
  const r = recorder();
  // The first is taken off the queue at once, so MAX_BACKLOG more fit before the queue is full.
  for (let i = 0; i <= MAX_BACKLOG; i++) await r.deletes.add(`q${i}`);
  await r.deletes.add('last');
  assert.equal(r.removed.at(-1), 'last', 'resolved only once removed');
  assert.equal(r.removed.length, MAX_BACKLOG + 2);
});

test('stop() drops the deletes not yet started, releasing their waiting callers, and waits for the one under way', async () => {
  const r = recorder();
  for (let i = 0; i <= MAX_BACKLOG; i++) void r.deletes.add(`q${i}`);
  const waiting = r.deletes.add('over the backlog');
  await r.deletes.stop();
  await waiting;
  assert.deepEqual(r.removed, ['q0'], 'only the delete under way ran');
});
