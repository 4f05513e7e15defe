// PUT Bucket policy: validates and compiles the JSON document (at most 20 KB) and stores it as written.
import { compilePolicy, MAX_POLICY_BYTES, PolicyError } from '../authz/policy/compile.ts';
import { CosError, cosError } from '../errors/cos-error.ts';
import { emptyReply } from '../http/respond.ts';
import { readSmallBody } from '../http/small-body.ts';
import { putBucketSetting } from './common/bucket-settings.ts';
import { defineOperation, type RequestContext } from './operation.ts';

async function readPolicyBody(ctx: RequestContext): Promise<string> {
  try {
    return (await readSmallBody(ctx.body, ctx.headers, MAX_POLICY_BYTES)).toString('utf8');
  } catch (error) {
    // The limit's code is undocumented; MalformedPolicy is what a client checking policies expects [recommended].
    if (error instanceof CosError && error.code === 'XMLSizeLimit') {
      throw cosError('MalformedPolicy', { message: `The policy is larger than ${MAX_POLICY_BYTES} bytes.` });
    }
    throw error;
  }
}

export const putBucketPolicy = defineOperation({
  id: 'PutBucketPolicy',
  authorize: 'route',
  needs: { bucket: 'required' },
  async run(ctx, { bucket }) {
    const text = await readPolicyBody(ctx);
    try {
      compilePolicy(text, 'bucket');
    } catch (error) {
      if (error instanceof PolicyError) throw cosError('MalformedPolicy', { message: error.message });
      throw error;
    }
    await putBucketSetting(ctx, bucket.name, 'policy', text);
    return emptyReply(204);
  },
});
