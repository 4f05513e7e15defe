// PayloadCheck: a plain body's x-amz-content-sha256 and x-amz-checksum-* header hold over the bytes fed, whole or in pieces.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { headerChecksum, PayloadCheck } from './chunked.ts';

const body = randomBytes(10_000);
const sha256 = createHash('sha256').update(body).digest('hex');
const crc = Buffer.alloc(4);
crc.writeUInt32BE(crc32(body));
const crc32Value = crc.toString('base64');

/** The check's verdict: 'ok' or the error's code. */
async function verdict(check: PayloadCheck, pieces: Buffer[]): Promise<string> {
  for (const piece of pieces) check.update(piece);
  return check.verify().then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? String(error),
  );
}

const halves = [body.subarray(0, 4096), body.subarray(4096)];

describe('PayloadCheck', () => {
  it('accepts the declared SHA-256 whether the body comes whole (declared length or not) or in pieces', async () => {
    assert.equal(await verdict(new PayloadCheck(sha256, undefined, body.length), [body]), 'ok');
    assert.equal(await verdict(new PayloadCheck(sha256, undefined, undefined), [body]), 'ok');
    assert.equal(await verdict(new PayloadCheck(sha256, undefined, body.length), halves), 'ok');
  });

  it('refuses other bytes with XAmzContentSHA256Mismatch, whole or in pieces', async () => {
    const other = Buffer.from(body);
    other[5000] = other[5000]! ^ 1;
    assert.equal(await verdict(new PayloadCheck(sha256, undefined, body.length), [other]), 'XAmzContentSHA256Mismatch');
    assert.equal(await verdict(new PayloadCheck(sha256, undefined, body.length), [other.subarray(0, 4096), other.subarray(4096)]), 'XAmzContentSHA256Mismatch');
  });

  it('refuses bytes after a body that came whole, even when the declared hash is of those bytes alone', async () => {
    const extra = Buffer.from('more');
    const extraSha256 = createHash('sha256').update(extra).digest('hex');
    assert.equal(await verdict(new PayloadCheck(sha256, undefined, body.length), [body, extra]), 'XAmzContentSHA256Mismatch');
    assert.equal(await verdict(new PayloadCheck(extraSha256, undefined, body.length), [body, extra]), 'XAmzContentSHA256Mismatch');
  });

  it('checks an x-amz-checksum-crc32 header alone or beside the SHA-256 (BadDigest when wrong)', async () => {
    assert.equal(await verdict(new PayloadCheck(undefined, { algorithm: 'crc32', value: crc32Value }, body.length), halves), 'ok');
    assert.equal(await verdict(new PayloadCheck(sha256, { algorithm: 'crc32', value: crc32Value }, body.length), [body]), 'ok');
    assert.equal(await verdict(new PayloadCheck(sha256, { algorithm: 'crc32', value: 'AAAAAA==' }, body.length), [body]), 'BadDigest');
  });

  it('takes the empty body for the hash of nothing', async () => {
    const empty = createHash('sha256').digest('hex');
    assert.equal(await verdict(new PayloadCheck(empty, undefined, undefined), []), 'ok');
    assert.equal(await verdict(new PayloadCheck(sha256, undefined, undefined), []), 'XAmzContentSHA256Mismatch');
  });
});

describe('headerChecksum', () => {
  it('finds the x-amz-checksum-<algorithm> header among the others, trimmed, and nothing else', () => {
    assert.deepEqual(headerChecksum({ host: 'h', 'x-amz-checksum-sha1': ' abc= ', 'x-amz-content-sha256': sha256 }), { algorithm: 'sha1', value: 'abc=' });
    assert.equal(headerChecksum({ 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-md5': 'x' }), undefined);
  });

  it('refuses two of them with InvalidRequest, as S3 does, even when one is empty', () => {
    assert.throws(() => headerChecksum({ 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-checksum-sha256': '' }), (error: { code?: string; message?: string }) => {
      assert.equal(error.code, 'InvalidRequest');
      assert.match(error.message ?? '', /Multiple checksum Types are not allowed/);
      return true;
    });
  });
});
