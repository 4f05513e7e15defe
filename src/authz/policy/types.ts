// The compiled form of a COS bucket/user policy (spec/policy.md §2) and the error compilation throws.
import type { Matcher } from './wildcard.ts';

/** An invalid policy document; the message names the offending element (`statement[2].action[0]: …`). */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

/**
 * `bucket`: needs principals. `user`: a CAM policy attached to an identity, no principal. `session`: the
 * policy a temporary key was issued with; the STS SDK's documents carry `"principal": {"qcs": ["*"]}` and
 * actions/resources of other services (`name/ci:…`, `qcs::ci:…`), which are tolerated and never match.
 */
export type PolicyKind = 'bucket' | 'user' | 'session';
export type Effect = 'allow' | 'deny';

/** Who a bucket-policy statement names (§3): exact CAM ids `qcs::cam::uin/R:uin/S`, and/or "anyone". */
export interface CompiledPrincipal {
  readonly anyone: boolean;
  readonly ids: ReadonlySet<string>;
}

/** A resource normalised to (region, APPID, bucket/path) patterns (§5); `all` is the bare `*`. */
export interface CompiledResource {
  readonly source: string;
  readonly all: boolean;
  readonly region: Matcher;
  readonly appid: Matcher;
  /** Matched against `<BucketName-APPID>/<key>` (`<bucket>/` for bucket-level requests). */
  readonly path: Matcher;
}

export type Qualifier = 'plain' | 'for_any_value' | 'for_all_value';

/** One (operator, key) pair of a condition block (§6). */
export interface CompiledCondition {
  readonly label: string;
  readonly key: string;
  readonly qualifier: Qualifier;
  readonly ifExist: boolean;
  readonly negated: boolean;
  /** null_equal: true if the policy expects the key to be absent, false if present. */
  readonly expectAbsent?: boolean;
  /** Whether one request value matches any of the policy's values (the positive form of the operator). */
  readonly test: (value: string) => boolean;
}

export interface CompiledStatement {
  /** The sid, else `#<index>`. */
  readonly label: string;
  readonly index: number;
  readonly effect: Effect;
  /** Undefined in user policies, which apply to the identity they are attached to. */
  readonly principal: CompiledPrincipal | undefined;
  /** Matched against the API name after `name/cos:`. */
  readonly actions: readonly Matcher[];
  readonly resources: readonly CompiledResource[];
  readonly conditions: readonly CompiledCondition[];
}

export interface CompiledPolicy {
  readonly kind: PolicyKind;
  readonly statements: readonly CompiledStatement[];
  /**
   * Bucket-policy statements by the CAM id their principal names, and those naming "anyone", each in
   * document order: a request only ever looks at the statements that can admit it (§7).
   */
  readonly byPrincipal: ReadonlyMap<string, readonly CompiledStatement[]>;
  readonly anyone: readonly CompiledStatement[];
}

/**
 * How one policy language spells a document's parts. COS documents (`"version": "2.0"`) and S3 documents
 * (`"Version": "2012-10-17"`, s3-dialect.ts) compile onto the same statements and are evaluated alike.
 */
export interface Dialect {
  /** Allowed top-level element names, lower-case; `principal` among them allows a top-level principal. */
  readonly top: readonly string[];
  /** Allowed statement element names, lower-case. */
  readonly statement: readonly string[];
  principal(value: unknown, where: string): CompiledPrincipal;
  action(action: string, where: string, kind: PolicyKind): Matcher;
  /** Undefined for a resource of another service in a session policy, which is dropped. */
  resource(resource: string, where: string, kind: PolicyKind): CompiledResource | undefined;
  conditions(value: unknown, where: string): CompiledCondition[];
}
