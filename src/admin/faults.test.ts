// Fault rules: what a rule document may say, and which requests a rule fires on.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FaultRules, parseFaultRule, type FaultTarget } from './faults.ts';

const get = (key: string, bucket = 'b-1250000000'): FaultTarget => ({ operation: 'GetObject', bucket, key });

it('reads each kind of effect; a bare status stands for COS\'s code of that status', () => {
  assert.deepEqual(parseFaultRule({ status: 503 }).effect, { kind: 'error', code: 'ServiceUnavailable', status: 503 });
  assert.deepEqual(parseFaultRule({ status: 504 }).effect, { kind: 'error', code: 'InternalError', status: 504 });
  assert.deepEqual(parseFaultRule({ status: 404 }).effect, { kind: 'error', code: 'NoSuchKey', status: 404 });
  assert.deepEqual(parseFaultRule({ error: 'SlowDown' }).effect, { kind: 'error', code: 'SlowDown', status: 503 });
  assert.deepEqual(parseFaultRule({ drop: true }).effect, { kind: 'drop' });
  assert.deepEqual(parseFaultRule({ delayMs: 250 }).effect, { kind: 'delay', ms: 250 });
  assert.throws(() => parseFaultRule({ error: 'constructor' }), /not a COS error code/);
  assert.throws(() => parseFaultRule({ delayMs: 3_600_000 }), /up to 600000/);
  assert.throws(() => parseFaultRule([]), /must be an object/);
});

it('matches bucket, key pattern and operation; the first rule that fires decides', () => {
  const rules = new FaultRules();
  rules.add([parseFaultRule({ bucket: 'b-1250000000', key: 'logs/*.txt', drop: true }), parseFaultRule({ operation: 'GetObject', status: 500 })]);
  assert.deepEqual(rules.match(get('logs/a.txt')), { kind: 'drop' });
  assert.deepEqual(rules.match(get('logs/a.bin'))?.kind, 'error');
  assert.equal(rules.match({ operation: 'PutObject', bucket: 'b-1250000000', key: 'x' }), undefined);
  assert.equal(rules.match({ operation: 'GetService', bucket: undefined, key: undefined }), undefined);
  assert.deepEqual(rules.list().map((r) => r.hits), [1, 1]);
});

it('fires on the first N matches only, then lets requests through', () => {
  const rules = new FaultRules();
  rules.addRule(parseFaultRule({ key: '500', status: 500, times: 2 }));
  assert.deepEqual([rules.match(get('500')), rules.match(get('500')), rules.match(get('500'))].map((e) => e?.kind), ['error', 'error', undefined]);
  assert.equal(rules.list()[0]?.hits, 2);
});

it('fires on a match with its probability (the random source is injected)', () => {
  const draws = [0.1, 0.9, 0.49, 0.5];
  const rules = new FaultRules(() => draws.shift() ?? 1);
  rules.addRule(parseFaultRule({ drop: true, probability: 0.5 }));
  assert.deepEqual([1, 2, 3, 4].map(() => rules.match(get('k'))?.kind), ['drop', undefined, 'drop', undefined]);
});

it('clear removes every rule and says how many', () => {
  const rules = new FaultRules();
  rules.add([parseFaultRule({ drop: true }), parseFaultRule({ drop: true })]);
  assert.equal(rules.clear(), 2);
  assert.equal(rules.match(get('k')), undefined);
  assert.deepEqual(rules.list(), []);
});
