// The test clock over a controllable real clock: offsets, freezing and restoring.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseTime, TestClock } from './test-clock.ts';

it('runs with the real clock, set or advanced by an offset', () => {
  let real = 1_000;
  const clock = new TestClock(() => real);
  assert.equal(clock.now(), 1_000);
  clock.advance(60_000);
  real += 5;
  assert.deepEqual(clock.state(), { now: 61_005, offsetMs: 60_000, frozen: false });
  clock.set(10);
  real += 5;
  assert.equal(clock.now(), 15);
});

it('frozen, stands still until set or advanced; unfrozen, runs on from where it stood; restored, is real again', () => {
  let real = 1_000;
  const clock = new TestClock(() => real);
  clock.freeze(true);
  real += 500;
  assert.deepEqual(clock.state(), { now: 1_000, offsetMs: -500, frozen: true });
  clock.advance(2_000);
  assert.equal(clock.now(), 3_000);
  clock.freeze(false);
  real += 10;
  assert.equal(clock.now(), 3_010);
  clock.restore();
  assert.equal(clock.now(), real);
});

it('parses ISO 8601 times and epoch milliseconds, nothing else', () => {
  assert.equal(parseTime('2030-01-02T03:04:05.000Z'), Date.UTC(2030, 0, 2, 3, 4, 5));
  assert.equal(parseTime('1700000000000'), 1_700_000_000_000);
  assert.equal(parseTime('soon'), undefined);
  assert.equal(parseTime('99999999999999999999'), undefined);
});
