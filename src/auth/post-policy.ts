// POST Object form policies (pure): parse the base64 JSON, sign it as COS does, check expiration and conditions.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { cosError } from '../errors/cos-error.ts';
import { normaliseSignature } from './sigv2/parse.ts';
import { sha1SignatureMatches } from './sigv2/verify.ts';

export type PolicyCondition =
  | { kind: 'eq' | 'starts-with'; field: string; value: string }
  | { kind: 'content-length-range'; min: number; max: number };

export interface PostPolicy {
  /** The decoded JSON text: what the signature covers. */
  text: string;
  /** Epoch ms. */
  expiration: number;
  conditions: PolicyCondition[];
}

// An ISO 8601 date-time, as COS's and S3's examples write it (`2007-12-01T12:00:00.000Z`); Date.parse
// alone would also take `2007-12-01 12:00:00+00:00`, which S3 refuses (s3-tests test_post_object_invalid_date_format).
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const invalid = (message: string) => cosError('InvalidPolicyDocument', { message });

function parseCondition(entry: unknown): PolicyCondition {
  // `{"bucket": "b-125"}`: an exact match of one field.
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const pairs = Object.entries(entry as Record<string, unknown>);
    const [pair] = pairs;
    if (pairs.length !== 1 || !pair || typeof pair[1] !== 'string') {
      throw invalid('Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    }
    return { kind: 'eq', field: pair[0].replace(/^\$/, '').toLowerCase(), value: pair[1] };
  }
  if (!Array.isArray(entry) || entry.length !== 3) throw invalid(`Invalid Policy: Invalid condition: ${JSON.stringify(entry)}`);
  const [op, a, b] = entry as unknown[];
  const operator = typeof op === 'string' ? op.toLowerCase() : '';
  if (operator === 'content-length-range') {
    const min = Number(a);
    const max = Number(b);
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || max < min) {
      throw invalid(`Invalid Policy: Invalid content-length-range: ${JSON.stringify(entry)}`);
    }
    return { kind: 'content-length-range', min, max };
  }
  if ((operator === 'eq' || operator === 'starts-with') && typeof a === 'string' && a.startsWith('$') && typeof b === 'string') {
    return { kind: operator, field: a.slice(1).toLowerCase(), value: b };
  }
  throw invalid(`Invalid Policy: Invalid condition: ${JSON.stringify(entry)}`);
}

/** Decodes the `policy` form field. Messages follow COS where documented (missing conditions), S3 otherwise. */
export function parsePostPolicy(base64: string): PostPolicy {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid('Invalid Policy: Invalid JSON.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('Invalid Policy: Invalid JSON.');
  const { expiration, conditions } = doc as Record<string, unknown>;
  // [doc: POST Object common exceptions] the exact text COS answers a policy without conditions with.
  if (!Array.isArray(conditions) || conditions.length === 0) {
    throw invalid('You must provide condition if you specify a policy in post object request.');
  }
  if (typeof expiration !== 'string') throw invalid('Invalid Policy: Policy missing expiration.');
  const at = ISO_8601.test(expiration) ? Date.parse(expiration) : Number.NaN;
  if (Number.isNaN(at)) throw invalid(`Invalid Policy: Invalid 'expiration' value: '${expiration}'`);
  return { text, expiration: at, conditions: conditions.map(parseCondition) };
}

/**
 * COS's form signature [doc: POST Object, "signature protection"; cos-js-sdk-v5 server/sts.js]:
 * SignKey = hex HMAC-SHA1(SecretKey, KeyTime), StringToSign = hex SHA1(policy JSON text),
 * Signature = hex HMAC-SHA1(SignKey, StringToSign).
 */
export function postSignature(secretKey: string, keyTime: string, policyText: string): string {
  const signKey = createHmac('sha1', secretKey).update(keyTime).digest('hex');
  const stringToSign = createHash('sha1').update(policyText).digest('hex');
  return createHmac('sha1', signKey).update(stringToSign).digest('hex');
}

export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(given.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * S3's form signature with AWS Signature Version 2 (boto, s3-tests): base64 HMAC-SHA1(SecretKey, policy
 * field as sent, still base64) [https://docs.aws.amazon.com/AmazonS3/latest/userguide/HTTPPOSTForms.html].
 */
export function sigV2PostSignatureMatches(secretKey: string, policyField: string, given: string): boolean {
  return sha1SignatureMatches(secretKey, policyField, Buffer.from(normaliseSignature(given), 'base64'));
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

export function checkExpiration(policy: PostPolicy, now: number): void {
  if (now >= policy.expiration) {
    // Verbatim shape of COS's message [doc: POST Object common exceptions].
    throw cosError('AccessDenied', {
      message: `You post object request has been expired, expiration time: ${seconds(policy.expiration)} but the time now : ${seconds(now)}`,
    });
  }
}

/**
 * Checks every eq/starts-with condition against the form (`value(field)` gives the bucket, the final
 * key and the form's fields; absent is empty). COS names the first failing key [doc: "Condition key
 * q-ak doesn't match the value ..."]. content-length-range is checked while the file streams.
 */
export function checkConditions(policy: PostPolicy, value: (field: string) => string | undefined): void {
  for (const c of policy.conditions) {
    if (c.kind === 'content-length-range') continue;
    const actual = value(c.field) ?? '';
    const ok = c.kind === 'eq' ? actual === c.value : actual.startsWith(c.value);
    if (!ok) throw cosError('AccessDenied', { message: `Condition key ${c.field} doesn't match the value ${c.value}` });
  }
}

/** The tightest size window the policy's content-length-range conditions allow, if any. */
export function lengthRange(policy: PostPolicy): { min: number; max: number } | undefined {
  let range: { min: number; max: number } | undefined;
  for (const c of policy.conditions) {
    if (c.kind !== 'content-length-range') continue;
    range = range ? { min: Math.max(range.min, c.min), max: Math.min(range.max, c.max) } : { min: c.min, max: c.max };
  }
  return range;
}
