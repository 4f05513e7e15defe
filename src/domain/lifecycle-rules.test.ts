// Lifecycle rule evaluation: when Days are over, which rules select a version, and which action wins.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigTree } from './config-schema.ts';
import { abortsUpload, currentVersionAction, daysAfter, MIN_TRANSITION_SIZE, noncurrentVersionAction, readLifecycle, removesLoneMarker } from './lifecycle-rules.ts';

const DAY = 86_400_000;
const at = (iso: string): number => Date.parse(iso);
const rulesOf = (...rules: ConfigTree[]) => readLifecycle({ Rule: rules.map((rule) => ({ Status: 'Enabled', Filter: {}, ...rule })) });
const big = { tags: [], storageClass: 'STANDARD', size: MIN_TRANSITION_SIZE };

describe('daysAfter', () => {
  it('ends at the first midnight Beijing time (16:00 UTC) after the start plus the days', () => {
    assert.equal(daysAfter(at('2026-01-01T10:00:00Z'), 1), at('2026-01-02T16:00:00Z'));
    assert.equal(daysAfter(at('2026-01-01T17:00:00Z'), 1), at('2026-01-03T16:00:00Z'));
    assert.equal(daysAfter(at('2026-01-01T16:00:00Z'), 30), at('2026-01-31T16:00:00Z'), 'already a midnight');
  });
});

describe('rules', () => {
  const now = at('2026-03-01T00:00:00Z');
  const old = now - 40 * DAY;

  it('reads only enabled rules', () => {
    assert.equal(readLifecycle({ Rule: [{ Status: 'Disabled', Filter: {}, Expiration: { Days: '1' } }] }).length, 0);
  });

  it('select by prefix and by every tag of And', () => {
    const rules = rulesOf({ Filter: { And: { Prefix: 'p/', Tag: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] } }, Expiration: { Days: '1' } });
    const facts = (key: string, tags: { key: string; value: string }[]) => ({ ...big, key, tags, lastModified: old });
    assert.deepEqual(currentVersionAction(rules, facts('p/x', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }]), now), { kind: 'expire' });
    assert.equal(currentVersionAction(rules, facts('p/x', [{ key: 'a', value: '1' }]), now), undefined, 'one tag missing');
    assert.equal(currentVersionAction(rules, facts('q/x', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]), now), undefined, 'other prefix');
  });

  it('expire before transitioning; of the transitions due, the coldest; never to a warmer class or under 64 KB', () => {
    const rules = rulesOf({ Transition: [{ Days: '10', StorageClass: 'STANDARD_IA' }, { Days: '30', StorageClass: 'ARCHIVE' }] }, { Filter: { Prefix: 'gone/' }, Expiration: { Days: '35' } });
    assert.deepEqual(currentVersionAction(rules, { ...big, key: 'k', lastModified: old }, now), { kind: 'transition', storageClass: 'ARCHIVE' });
    assert.deepEqual(currentVersionAction(rules, { ...big, key: 'k', lastModified: now - 20 * DAY }, now), { kind: 'transition', storageClass: 'STANDARD_IA' });
    assert.deepEqual(currentVersionAction(rules, { ...big, key: 'gone/k', lastModified: old }, now), { kind: 'expire' });
    assert.equal(currentVersionAction(rules, { ...big, key: 'k', storageClass: 'DEEP_ARCHIVE', lastModified: old }, now), undefined);
    assert.equal(currentVersionAction(rules, { ...big, key: 'k', size: MIN_TRANSITION_SIZE - 1, lastModified: old }, now), undefined);
  });

  it('count noncurrent days from when the version became noncurrent', () => {
    const rules = rulesOf({ NoncurrentVersionExpiration: { NoncurrentDays: '5' } });
    assert.deepEqual(noncurrentVersionAction(rules, { ...big, key: 'k', since: now - 6 * DAY }, now), { kind: 'expire' });
    assert.equal(noncurrentVersionAction(rules, { ...big, key: 'k', since: now - 4 * DAY }, now), undefined);
    assert.equal(currentVersionAction(rules, { ...big, key: 'k', lastModified: old }, now), undefined, 'a noncurrent rule leaves current versions alone');
  });

  it('remove a lone delete marker with ExpiredObjectDeleteMarker, or once its expiration Days are over', () => {
    assert.equal(removesLoneMarker(rulesOf({ Expiration: { ExpiredObjectDeleteMarker: 'true' } }), 'k', now, now), true);
    assert.equal(removesLoneMarker(rulesOf({ Expiration: { ExpiredObjectDeleteMarker: 'false' } }), 'k', old, now), false);
    assert.equal(removesLoneMarker(rulesOf({ Expiration: { Days: '1' } }), 'k', now - 2 * DAY, now), true);
    assert.equal(removesLoneMarker(rulesOf({ Expiration: { Days: '1' } }), 'k', now, now), false);
  });

  it('abort uploads DaysAfterInitiation after they began, by prefix rules only', () => {
    const rules = rulesOf({ Filter: { Prefix: 'tmp/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: '7' } });
    assert.equal(abortsUpload(rules, 'tmp/a', now - 8 * DAY, now), true);
    assert.equal(abortsUpload(rules, 'tmp/a', now - 6 * DAY, now), false);
    assert.equal(abortsUpload(rules, 'a', now - 8 * DAY, now), false);
    const tagged = rulesOf({ Filter: { Tag: [{ Key: 'a', Value: '1' }] }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: '1' } });
    assert.equal(abortsUpload(tagged, 'a', old, now), false);
  });
});
