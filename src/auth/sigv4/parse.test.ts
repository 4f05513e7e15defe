// parseSigV4Header: the Authorization header's three fields, in any order and spacing, and what makes one malformed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSigV4Header } from './parse.ts';

const CREDENTIAL = 'AKIDexample/20260101/ap-guangzhou/s3/aws4_request';
const SIGNATURE = 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41';
const HEADERS = { 'x-amz-date': '20260101T120000Z' };
const reasonOf = (value: string, headers: Record<string, string> = HEADERS): string => {
  const parsed = parseSigV4Header(value, headers);
  assert.equal(parsed.ok, false);
  return parsed.ok ? '' : parsed.reason;
};

describe('parseSigV4Header', () => {
  it('reads the fields with or without spaces, in any order', () => {
    for (const value of [
      `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`,
      `AWS4-HMAC-SHA256 Credential=${CREDENTIAL},SignedHeaders=host;x-amz-date,Signature=${SIGNATURE}`,
      `AWS4-HMAC-SHA256  Signature=${SIGNATURE} ,  SignedHeaders=host;x-amz-date, Credential=${CREDENTIAL}`,
    ]) {
      assert.deepEqual(parseSigV4Header(value, HEADERS), {
        ok: true,
        sigv4: {
          accessKeyId: 'AKIDexample',
          date: '20260101',
          region: 'ap-guangzhou',
          service: 's3',
          signedHeaders: ['host', 'x-amz-date'],
          signature: SIGNATURE,
          amzDate: '20260101T120000Z',
          time: Date.UTC(2026, 0, 1, 12) / 1000,
        },
      });
    }
  });

  it('takes a repeated field’s last value and ignores unknown fields', () => {
    const parsed = parseSigV4Header(`AWS4-HMAC-SHA256 Credential=x, Credential=${CREDENTIAL}, Foo=bar, =baz, SignedHeaders=host, Signature=${SIGNATURE}`, HEADERS);
    assert.ok(parsed.ok);
    assert.equal(parsed.sigv4.accessKeyId, 'AKIDexample');
  });

  it('accepts the Date header (an HTTP date) when x-amz-date is absent', () => {
    const parsed = parseSigV4Header(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=date;host, Signature=${SIGNATURE}`, { date: 'Thu, 01 Jan 2026 12:00:00 GMT' });
    assert.ok(parsed.ok);
    assert.equal(parsed.sigv4.amzDate, '20260101T120000Z');
  });

  it('names what is missing or malformed', () => {
    assert.equal(reasonOf(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL}`), 'missing SignedHeaders, Signature');
    assert.equal(reasonOf(`AWS4-HMAC-SHA256 SignedHeaders=host, Signature=${SIGNATURE}`), 'missing Credential');
    assert.match(reasonOf(`AWS4-HMAC-SHA256 Credential=AKID/20260101/ap-guangzhou/s3, SignedHeaders=host, Signature=${SIGNATURE}`), /^Credential must be/);
    assert.match(reasonOf(`AWS4-HMAC-SHA256 Credential=AKID/2026011/ap-guangzhou/s3/aws4_request, SignedHeaders=host, Signature=${SIGNATURE}`), /^malformed Credential/);
    assert.equal(reasonOf(`AWS4-HMAC-SHA256 Credential=AKID/20260101/ap-guangzhou/ec2/aws4_request, SignedHeaders=host, Signature=${SIGNATURE}`), 'service must be s3, not ec2');
    assert.match(reasonOf(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host, Signature=${SIGNATURE.toUpperCase()}`), /^Signature must be/);
    assert.match(reasonOf(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;;x-amz-date, Signature=${SIGNATURE}`), /^malformed SignedHeaders/);
    assert.match(reasonOf(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=Host, Signature=${SIGNATURE}`), /^malformed SignedHeaders/);
    assert.equal(reasonOf(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host, Signature=${SIGNATURE}`, {}), 'missing x-amz-date');
    assert.match(reasonOf(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host, Signature=${SIGNATURE}`, { 'x-amz-date': '20260102T000000Z' }), /^Credential date/);
  });
});
