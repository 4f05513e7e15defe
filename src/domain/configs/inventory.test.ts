import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigTree } from '../config-schema.ts';
import { MAX_INVENTORIES, withInventory, withInventoryJob } from './inventory.ts';

const config = (id: string): ConfigTree => ({ Id: id, IsEnabled: 'true' });

describe('withInventory', () => {
  it('adds in the order of creation and replaces a configuration with the same Id in its place', () => {
    const two = withInventory(withInventory([], 'b', config('b')), 'a', config('a'));
    assert.deepEqual(two.map((item) => item['Id']), ['b', 'a']);
    const replaced = withInventory(two, 'b', { Id: 'b', IsEnabled: 'false' });
    assert.deepEqual(replaced, [{ Id: 'b', IsEnabled: 'false' }, config('a')]);
  });

  it(`refuses a configuration past ${MAX_INVENTORIES} (InventoryFull), but replacing one of them is fine`, () => {
    const full = Array.from({ length: MAX_INVENTORIES }, (_, i) => config(`i${String(i).padStart(4, '0')}`));
    assert.throws(() => withInventory(full, 'more', config('more')), { code: 'InventoryFull' });
    assert.equal(withInventory(full, 'i0005', config('i0005')).length, MAX_INVENTORIES);
  });

  it('refuses a body whose Id is not the id parameter (InvalidArgument)', () => {
    assert.throws(() => withInventory([], 'a', config('b')), { code: 'InvalidArgument' });
  });
});

describe('withInventoryJob', () => {
  const DAY = 86_400_000;
  const job = (id: string, now: number, jobId = `job-${id}-${now}`) => ({ id, configuration: { Id: id }, jobId, now });

  it("refuses a periodic configuration's id, and a job's id for a day after it was made", () => {
    const jobs = withInventoryJob([], [], job('once', 0));
    assert.deepEqual(jobs, [{ JobId: 'job-once-0', Created: '0', InventoryConfiguration: { Id: 'once' } }]);
    assert.throws(() => withInventoryJob(jobs, [], job('once', DAY - 1)), { code: 'DuplicateInventoryId' });
    assert.throws(() => withInventoryJob([], [config('daily')], job('daily', 0)), { code: 'DuplicateInventoryId' });
    const nextDay = withInventoryJob(jobs, [], job('once', DAY));
    assert.deepEqual(nextDay.map((item) => item['JobId']), [`job-once-${DAY}`], 'the day-old job is done and dropped');
  });

  it('refuses a body whose Id is not the id parameter (InvalidArgument)', () => {
    assert.throws(() => withInventoryJob([], [], { ...job('a', 0), configuration: { Id: 'b' } }), { code: 'InvalidArgument' });
  });
});
