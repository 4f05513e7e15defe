// INTELLIGENT_TIERING v2 (PUT/GET/List Bucket IntelligentTiering, `?intelligent-tiering`): rules named by Id.
// The rule `default` is the infrequent-access tier, the same setting as v1's `?intelligenttiering` document;
// the others move objects to the archive tiers and are kept as a list, up to 1000 per bucket
// [doc: LIST Bucket IntelligentTiering Configurations, https://cloud.tencent.com/document/product/436/60836].
// Validated and stored; objects do not move between tiers.
import { cosError } from '../../errors/cos-error.ts';
import type { BucketConfigs } from '../bucket-config.ts';
import { CONFIG_CODEC, childOf, group, invalidArgument, itemsOf, oneOf, optional, repeated, required, text, textOfChild, type ConfigTree } from '../config-schema.ts';

export const TIERING_ROOT = 'IntelligentTieringConfiguration';
export const DEFAULT_RULE = 'default';
const MAX_RULES = 1000;
const RULE_ID = /^[A-Za-z0-9._-]{1,64}$/;

const TAG = group(required('Key', text()), required('Value', text()));

/** COS's element order (Id, Status, Filter, Tiering) [doc: LIST Bucket IntelligentTiering Configurations]. */
export const TIERING_RULE_SCHEMA = group(
  required('Id', text({ pattern: RULE_ID, error: 'InvalidArgument' })),
  // "Enabled, Disabled; the default rule only Enabled" [doc: PUT Bucket IntelligentTiering].
  required('Status', oneOf('Enabled', 'Disabled')),
  // COS documents <And> with a prefix and tags; S3's single Prefix or Tag are taken too.
  optional('Filter', group(optional('And', group(optional('Prefix', text()), repeated('Tag', TAG, 10))), optional('Prefix', text()), optional('Tag', TAG))),
  repeated('Tiering', group(required('AccessTier', oneOf('INFREQUENT', 'ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS')), required('Days', text({ pattern: /^\d{1,4}$/, error: 'InvalidArgument' })), optional('RequestFrequent', oneOf('1'))), 2, { atLeastOne: true }),
);

/** The days each tier accepts: v1's 30/60/90 for INFREQUENT; COS gives none for the archive tiers, so S3's (90+ and 180+, up to two years). */
const DAYS: Record<string, (days: number) => boolean> = {
  INFREQUENT: (days) => days === 30 || days === 60 || days === 90,
  ARCHIVE_ACCESS: (days) => days >= 90 && days <= 730,
  DEEP_ARCHIVE_ACCESS: (days) => days >= 180 && days <= 730,
};

/** The id a request names (`?intelligent-tiering&id=`); PUT, GET and DELETE need one. */
export function tieringRuleId(params: ReadonlyMap<string, string>): string {
  const id = params.get('id');
  if (id === undefined || !RULE_ID.test(id)) throw invalidArgument('The intelligent tiering id is missing or invalid');
  return id;
}

/** InvalidArgument for a rule whose tiers do not fit its Id: `default` has the one INFREQUENT tier, the others only archive tiers. */
export function checkTieringRule(id: string, rule: ConfigTree): void {
  if (rule['Id'] !== id) throw invalidArgument('The Id in the body does not match the id parameter');
  const tiers = itemsOf(rule, 'Tiering');
  const names = tiers.map((tier) => textOfChild(tier, 'AccessTier') ?? '');
  if (new Set(names).size !== names.length) throw invalidArgument('An AccessTier appears more than once');
  const infrequent = names.includes('INFREQUENT');
  if (id === DEFAULT_RULE ? !infrequent || tiers.length > 1 : infrequent) {
    throw invalidArgument('The default rule has the INFREQUENT tier only; other rules have archive tiers');
  }
  if (id === DEFAULT_RULE && (childOf(rule, 'Filter') || rule['Status'] !== 'Enabled')) throw invalidArgument('The default rule is Enabled and applies to the whole bucket');
  for (const tier of tiers) {
    const check = DAYS[textOfChild(tier, 'AccessTier') ?? ''];
    if (!check?.(Number(textOfChild(tier, 'Days')))) throw invalidArgument('Days is out of range for its AccessTier');
    if (textOfChild(tier, 'RequestFrequent') !== undefined && tier['AccessTier'] !== 'INFREQUENT') throw invalidArgument('RequestFrequent applies to INFREQUENT only');
  }
}

/** The v1 document (`?intelligenttiering`) a `default` rule stands for. */
export function v1OfDefaultRule(rule: ConfigTree): ConfigTree {
  const tier = itemsOf(rule, 'Tiering')[0] ?? {};
  const transition: ConfigTree = { Days: textOfChild(tier, 'Days') ?? '' };
  const frequent = textOfChild(tier, 'RequestFrequent');
  if (frequent !== undefined) transition['RequestFrequent'] = frequent;
  return { Status: rule['Status'] ?? '', Transition: transition };
}

/** The `default` rule a v1 document is, in v2's shape. */
export function defaultRuleOfV1(v1: ConfigTree): ConfigTree {
  const transition = childOf(v1, 'Transition') ?? {};
  return { Id: DEFAULT_RULE, Status: v1['Status'] ?? '', Tiering: [{ AccessTier: 'INFREQUENT', ...transition }] };
}

/**
 * Once set, the infrequent tier cannot be modified [doc: PUT Bucket IntelligentTiering]: the same document
 * again is fine. `message` is what COS says on each API (cos-python-sdk-v5's tests tolerate exactly these).
 */
export function checkV1Unchanged(current: ConfigTree | undefined, next: ConfigTree, message: string): void {
  if (current && CONFIG_CODEC.encode(current) !== CONFIG_CODEC.encode(next)) throw cosError('InvalidRequest', { message });
}

/** The archive rules with this one added or replaced, in the order they were made; TooManyConfigurations past the limit. */
export function withTieringRule(current: readonly ConfigTree[], rule: ConfigTree): ConfigTree[] {
  if (current.some((item) => item['Id'] === rule['Id'])) return current.map((item) => (item['Id'] === rule['Id'] ? rule : item));
  // One of the 1000 is the default rule [doc].
  if (current.length >= MAX_RULES - 1) throw cosError('TooManyConfigurations');
  return [...current, rule];
}

/** The bucket's rules: `default` (from the v1 document) first, then the archive rules in the order they were made. */
export function tieringRulesOf(bucket: BucketConfigs): ConfigTree[] {
  const v1 = bucket.intelligentTiering;
  return [...(v1 ? [defaultRuleOfV1(v1)] : []), ...(bucket.intelligentTieringRules ?? [])];
}

/**
 * The archive rules without the one with this id; undefined when none is left. The default rule cannot be
 * deleted (InvalidRequest, as a change of it), another id that is not there is 404 NoSuchConfiguration
 * [doc: DELETE Bucket IntelligentTiering, https://cloud.tencent.com/document/product/436/106784].
 */
export function withoutTieringRule(current: readonly ConfigTree[] | undefined, id: string): ConfigTree[] | undefined {
  if (id === DEFAULT_RULE) throw cosError('InvalidRequest', { message: 'The default rule cannot be modified' });
  const rest = (current ?? []).filter((item) => item['Id'] !== id);
  if (rest.length === (current ?? []).length) throw cosError('NoSuchConfiguration');
  return rest.length > 0 ? rest : undefined;
}
