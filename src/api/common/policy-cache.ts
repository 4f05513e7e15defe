// Compiled policies, compiled once per policy text: no JSON parsing or matcher building on the request path.
import type { Bucket } from '../../domain/bucket.ts';
import type { UserPolicy } from '../../domain/identity.ts';
import type { NamedPolicy } from '../../authz/decide.ts';
import { compilePolicy, type CompiledPolicy, type PolicyKind } from '../../authz/policy/compile.ts';

/**
 * Keyed by where a policy lives (a bucket, a sub-account's named policy) and checked against the
 * stored text, so a policy written by another process (the CLI) or replaced is recompiled the first
 * time it is seen. Stored policies were validated when written, so these compiles succeed. The
 * metadata store hands out an unchanged bucket policy as the same string (MetadataReader.getBucket), so
 * the check of an unchanged one compares identities, not 20 KB of text.
 */
export class PolicyCache {
  readonly #slots = new Map<string, { text: string; compiled: CompiledPolicy }>();

  #compiled(slot: string, text: string, kind: PolicyKind): CompiledPolicy {
    const cached = this.#slots.get(slot);
    if (cached?.text === text) {
      // The same text as a new string (the store decoded it again after dropping it from its cache):
      // keep that one, so the next checks compare identities again instead of the whole text.
      cached.text = text;
      return cached.compiled;
    }
    const compiled = compilePolicy(text, kind);
    this.#slots.set(slot, { text, compiled });
    return compiled;
  }

  /** The bucket's compiled policy, if it has one. */
  bucket(bucket: Bucket): CompiledPolicy | undefined {
    const slot = `bucket/${bucket.name}`;
    if (bucket.policy === undefined) {
      this.#slots.delete(slot);
      return undefined;
    }
    return this.#compiled(slot, bucket.policy, 'bucket');
  }

  /** A sub-account's user policies, compiled. */
  user(policies: readonly UserPolicy[]): NamedPolicy[] {
    return policies.map((p) => ({ name: p.name, policy: this.#compiled(`user/${p.uin}/${p.name}`, p.document, 'user') }));
  }
}
