// GET Bucket policy: the document as written, with its statement list under `Statement` (spec/policy.md §1.2).
import { cosError } from '../errors/cos-error.ts';
import { defineOperation } from './operation.ts';

/**
 * The Node SDK's own test writes lower-case keys and reads `Policy.Statement[0].resource`: COS returns
 * the top-level list as `Statement` and everything else as written.
 */
function withStatementKey(text: string): string {
  const doc = JSON.parse(text) as Record<string, unknown>;
  const key = Object.keys(doc).find((k) => k.toLowerCase() === 'statement');
  if (key === undefined || key === 'Statement') return text;
  const renamed = Object.fromEntries(Object.entries(doc).map(([k, v]) => [k === key ? 'Statement' : k, v]));
  return JSON.stringify(renamed);
}

export const getBucketPolicy = defineOperation({
  id: 'GetBucketPolicy',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    if (bucket.policy === undefined) throw cosError(ctx.dialect === 's3' ? 'NoSuchBucketPolicy' : 'NoSuchPolicy');
    return { status: 200, headers: { 'content-type': 'application/json' }, body: withStatementKey(bucket.policy) };
  },
});
