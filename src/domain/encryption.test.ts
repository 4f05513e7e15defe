import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { CosError } from '../errors/cos-error.ts';
import { customerKeyMatches, etagFor, openingKey, requestedSse, schemeFor } from './encryption.ts';

const customerHeaders = (key: Buffer): Record<string, string> => ({
  'x-cos-server-side-encryption-customer-algorithm': 'AES256',
  'x-cos-server-side-encryption-customer-key': key.toString('base64'),
  'x-cos-server-side-encryption-customer-key-md5': createHash('md5').update(key).digest('base64'),
});

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof CosError ? `${error.status} ${error.code}` : String(error);
  }
};

describe('server-side encryption rules', () => {
  it('keeps a salted HMAC of a customer key, never the key or its MD5, and tells the right key from another', () => {
    const key = randomBytes(32);
    const requested = requestedSse(customerHeaders(key));
    assert.equal(requested?.kind, 'customer');
    const scheme = requested && schemeFor(requested);
    assert.equal(scheme?.kind, 'customer');
    if (scheme?.kind !== 'customer') return;
    assert.ok(!scheme.keyCheck.includes(key.toString('base64')));
    assert.ok(!scheme.keyCheck.includes(createHash('md5').update(key).digest('base64')));
    assert.notEqual(requested && schemeFor(requested), scheme, 'each write salts afresh');
    assert.equal(customerKeyMatches(scheme, key), true);
    assert.equal(customerKeyMatches(scheme, randomBytes(32)), false);
  });

  it('opens an SSE-C object only with its key; SSE-COS and plain objects with none', () => {
    const key = randomBytes(32);
    const scheme = schemeFor({ kind: 'customer', key, keyMd5: '' });
    const sent = requestedSse(customerHeaders(key));
    assert.deepEqual(openingKey(scheme, sent), key);
    assert.equal(codeOf(() => openingKey(scheme, undefined)), '400 InvalidRequest');
    assert.equal(codeOf(() => openingKey(scheme, requestedSse(customerHeaders(randomBytes(32))))), '403 AccessDenied');
    assert.equal(openingKey({ kind: 'cos' }, undefined), undefined);
    assert.equal(codeOf(() => openingKey(undefined, sent)), '400 InvalidRequest');
  });

  it('an SSE-C ETag is no digest of the plaintext; an SSE-COS one is its MD5', () => {
    assert.equal(etagFor({ kind: 'cos' }, 'plain', 'cipher'), '"plain"');
    assert.equal(etagFor({ kind: 'customer', keyCheck: 'x' }, 'plain', 'cipher'), '"cipher"');
  });
});
