// Form policies: parsing errors, the COS signature, expiration and conditions.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { CosError } from '../errors/cos-error.ts';
import { checkConditions, checkExpiration, lengthRange, parsePostPolicy, postSignature } from './post-policy.ts';

const b64 = (doc: unknown): string => Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)).toString('base64');
const fails = (fn: () => unknown, code: string, message?: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof CosError && e.code === code && (!message || message.test(e.message)));

describe('parsePostPolicy', () => {
  it('reads expiration and every condition form', () => {
    const policy = parsePostPolicy(b64({
      expiration: '2030-01-01T00:00:00.000Z',
      conditions: [{ bucket: 'b-1' }, ['starts-with', '$key', 'up/'], ['eq', '$Content-Type', 'image/png'], ['content-length-range', 1, 10], ['content-length-range', '0', '5']],
    }));
    assert.equal(policy.expiration, Date.parse('2030-01-01T00:00:00.000Z'));
    assert.deepEqual(policy.conditions.slice(0, 3), [
      { kind: 'eq', field: 'bucket', value: 'b-1' },
      { kind: 'starts-with', field: 'key', value: 'up/' },
      { kind: 'eq', field: 'content-type', value: 'image/png' },
    ]);
    assert.deepEqual(lengthRange(policy), { min: 1, max: 5 });
  });
  it('rejects what COS and S3 reject', () => {
    fails(() => parsePostPolicy(b64('{not json')), 'InvalidPolicyDocument');
    fails(() => parsePostPolicy(b64({ expiration: '2030-01-01T00:00:00Z' })), 'InvalidPolicyDocument', /^You must provide condition if you specify a policy in post object request\.$/);
    fails(() => parsePostPolicy(b64({ conditions: [{ a: 'b' }] })), 'InvalidPolicyDocument', /missing expiration/);
    fails(() => parsePostPolicy(b64({ expiration: 'soon', conditions: [{ a: 'b' }] })), 'InvalidPolicyDocument', /expiration/);
    fails(() => parsePostPolicy(b64({ expiration: '2030-01-01T00:00:00Z', conditions: [{ a: 'b', c: 'd' }] })), 'InvalidPolicyDocument');
    fails(() => parsePostPolicy(b64({ expiration: '2030-01-01T00:00:00Z', conditions: [['ends-with', '$key', 'x']] })), 'InvalidPolicyDocument');
    fails(() => parsePostPolicy(b64({ expiration: '2030-01-01T00:00:00Z', conditions: [['content-length-range', 10, 1]] })), 'InvalidPolicyDocument');
  });
});

it('postSignature is HMAC-SHA1(HMAC-SHA1(secret, keyTime) hex, SHA1(policy) hex), as the COS demo server computes it', () => {
  const policy = '{"expiration":"2030-01-01T00:00:00.000Z","conditions":[{"q-ak":"AKID"}]}';
  const signKey = createHmac('sha1', 'secret').update('1;2').digest('hex');
  const expected = createHmac('sha1', signKey).update(createHash('sha1').update(policy).digest('hex')).digest('hex');
  assert.equal(postSignature('secret', '1;2', policy), expected);
});

describe('checks', () => {
  const policy = parsePostPolicy(b64({ expiration: '2030-01-01T00:00:00.000Z', conditions: [{ 'q-ak': 'AKID' }, ['starts-with', '$key', 'up/'], ['content-length-range', 0, 9]] }));
  it('expiration: COS message with both times in seconds', () => {
    checkExpiration(policy, Date.parse('2029-12-31T23:59:59Z'));
    fails(() => checkExpiration(policy, Date.parse('2030-01-01T00:00:10Z')), 'AccessDenied', /^You post object request has been expired, expiration time: 1893456000 but the time now : 1893456010$/);
  });
  it('conditions: the first failing key is named; absent fields are empty', () => {
    const fields = new Map([['q-ak', 'AKID'], ['key', 'up/a.txt']]);
    checkConditions(policy, (f) => fields.get(f));
    fails(() => checkConditions(policy, (f) => (f === 'q-ak' ? 'OTHER' : fields.get(f))), 'AccessDenied', /^Condition key q-ak doesn't match the value AKID$/);
    fails(() => checkConditions(policy, (f) => (f === 'key' ? 'down/a' : fields.get(f))), 'AccessDenied', /Condition key key/);
    fails(() => checkConditions(policy, () => undefined), 'AccessDenied');
  });
});
