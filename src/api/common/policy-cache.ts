// Compiled bucket policies, compiled once per policy text: no JSON parsing or matcher building on the request path.
import type { Bucket } from '../../domain/bucket.ts';
import { compilePolicy, type CompiledPolicy } from '../../authz/policy/compile.ts';

export class PolicyCache {
  readonly #byBucket = new Map<string, { text: string; compiled: CompiledPolicy }>();

  /**
   * The bucket's compiled policy. Keyed by bucket and checked against the stored text, so a policy
   * written by another process (or replaced) is recompiled the first time it is seen.
   */
  compiled(bucket: Bucket): CompiledPolicy | undefined {
    if (bucket.policy === undefined) {
      this.#byBucket.delete(bucket.name);
      return undefined;
    }
    const cached = this.#byBucket.get(bucket.name);
    if (cached?.text === bucket.policy) return cached.compiled;
    // Stored policies were validated when written, so this compile succeeds.
    const compiled = compilePolicy(bucket.policy, 'bucket');
    this.#byBucket.set(bucket.name, { text: bucket.policy, compiled });
    return compiled;
  }
}
