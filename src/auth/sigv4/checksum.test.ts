// x-amz-checksum-* digests: the native CRC-32 path gives the JavaScript library's value, in any split of the body.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Crc32 } from '@aws-crypto/crc32';
import { newChecksum } from './checksum.ts';

describe('newChecksum', () => {
  it('crc32 of "123456789" is the check value CBF43926, base64 of its big-endian bytes', async () => {
    const sum = newChecksum('crc32');
    sum.update(Buffer.from('123456789'));
    assert.equal(await sum.digest(), Buffer.from('cbf43926', 'hex').toString('base64'));
  });

  it('crc32 over a body fed in uneven pieces equals @aws-crypto/crc32 over the whole', async () => {
    const body = randomBytes(100_003);
    const sum = newChecksum('crc32');
    for (let at = 0; at < body.length; at += 7919) sum.update(body.subarray(at, at + 7919));
    const expected = Buffer.alloc(4);
    expected.writeUInt32BE(new Crc32().update(body).digest() >>> 0);
    assert.equal(await sum.digest(), expected.toString('base64'));
  });
});
