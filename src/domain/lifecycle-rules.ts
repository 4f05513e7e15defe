// Lifecycle rules (pure): a stored lifecycle document read into typed rules, and what they do to one
// version or upload at a time. The job that applies them is jobs/lifecycle.ts.
// [doc: Lifecycle Configuration Elements, https://www.tencentcloud.com/document/product/436/17029]
import { childOf, itemsOf, textOfChild, type ConfigTree } from './config-schema.ts';
import type { TagSet } from './tagging.ts';
import { DAY } from './restore.ts';

/** When an action is due: a number of days after a starting time, or a fixed date. */
export type When = { readonly days: number } | { readonly date: number };

export interface LifecycleRule {
  readonly prefix: string;
  /** Every one must be on the object. */
  readonly tags: TagSet;
  readonly expiration: When | undefined;
  readonly expiredObjectDeleteMarker: boolean;
  readonly transitions: readonly { readonly when: When; readonly storageClass: string }[];
  readonly noncurrentExpirationDays: number | undefined;
  readonly noncurrentTransitions: readonly { readonly days: number; readonly storageClass: string }[];
  readonly abortUploadDays: number | undefined;
}

/**
 * COS's day starts at midnight Beijing time (UTC+8), as its lifecycle Dates do (domain/configs/lifecycle.ts).
 * [assumption] A rule's Days are counted as S3 counts them, in that zone: the start time plus the days,
 * rounded up to the next day's start.
 */
const DAY_STARTS_AT_UTC_MS = 16 * 3600 * 1000;

/** The time (epoch ms) at which `days` after `from` are over. */
export function daysAfter(from: number, days: number): number {
  const end = from + days * DAY;
  const intoDay = (((end - DAY_STARTS_AT_UTC_MS) % DAY) + DAY) % DAY;
  return intoDay === 0 ? end : end + DAY - intoDay;
}

const dueAt = (when: When, from: number): number => ('date' in when ? when.date : daysAfter(from, when.days));

function readWhen(tree: ConfigTree): When | undefined {
  const days = textOfChild(tree, 'Days');
  const date = textOfChild(tree, 'Date');
  if (days !== undefined) return { days: Number(days) };
  return date === undefined ? undefined : { date: Date.parse(date) };
}

function readTags(tree: ConfigTree | undefined): TagSet {
  return tree ? itemsOf(tree, 'Tag').map((t) => ({ key: textOfChild(t, 'Key') ?? '', value: textOfChild(t, 'Value') ?? '' })) : [];
}

const numberOf = (tree: ConfigTree | undefined, name: string): number | undefined => {
  const value = tree && textOfChild(tree, name);
  return value === undefined ? undefined : Number(value);
};

/** The enabled rules of a validated document (domain/configs/lifecycle.ts); disabled ones do nothing. */
export function readLifecycle(document: ConfigTree): LifecycleRule[] {
  return itemsOf(document, 'Rule')
    .filter((rule) => textOfChild(rule, 'Status') === 'Enabled')
    .map((rule): LifecycleRule => {
      const filter = childOf(rule, 'Filter') ?? {};
      const and = childOf(filter, 'And');
      const expiration = childOf(rule, 'Expiration');
      return {
        prefix: textOfChild(and ?? filter, 'Prefix') ?? '',
        tags: readTags(and ?? filter),
        expiration: expiration && readWhen(expiration),
        expiredObjectDeleteMarker: expiration !== undefined && textOfChild(expiration, 'ExpiredObjectDeleteMarker') === 'true',
        transitions: itemsOf(rule, 'Transition').flatMap((t) => {
          const when = readWhen(t);
          return when ? [{ when, storageClass: textOfChild(t, 'StorageClass') ?? '' }] : [];
        }),
        noncurrentExpirationDays: numberOf(childOf(rule, 'NoncurrentVersionExpiration'), 'NoncurrentDays'),
        noncurrentTransitions: itemsOf(rule, 'NoncurrentVersionTransition').map((t) => ({
          days: numberOf(t, 'NoncurrentDays') ?? 0,
          storageClass: textOfChild(t, 'StorageClass') ?? '',
        })),
        abortUploadDays: numberOf(childOf(rule, 'AbortIncompleteMultipartUpload'), 'DaysAfterInitiation'),
      };
    });
}

/** Whether any rule looks at tags: only then does the job read each version's tags. */
export const filtersOnTags = (rules: readonly LifecycleRule[]): boolean => rules.some((rule) => rule.tags.length > 0);

function applies(rule: LifecycleRule, key: string, tags: TagSet | undefined): boolean {
  if (!key.startsWith(rule.prefix)) return false;
  return rule.tags.every((wanted) => tags?.some((tag) => tag.key === wanted.key && tag.value === wanted.value) === true);
}

/**
 * How cold each class is: a transition only ever moves an object to a colder one (S3's waterfall, which
 * COS's console follows: Standard -> IA/Intelligent Tiering -> Archive -> Deep Archive).
 */
const COLDNESS: Readonly<Record<string, number>> = {
  STANDARD: 0,
  MAZ_STANDARD: 0,
  INTELLIGENT_TIERING: 1,
  MAZ_INTELLIGENT_TIERING: 1,
  STANDARD_IA: 2,
  MAZ_STANDARD_IA: 2,
  ARCHIVE: 3,
  DEEP_ARCHIVE: 4,
};
const colder = (to: string, from: string): boolean => (COLDNESS[to] ?? 0) > (COLDNESS[from] ?? 0);

/** "The lifecycle does not perform conversion operations on objects smaller than 64 KB" [doc: Setting Lifecycle, 436/14605]. */
export const MIN_TRANSITION_SIZE = 64 * 1024;

/** What lifecycle does to one version: nothing, expire it, or move it to another class. */
export type VersionAction = { kind: 'expire' } | { kind: 'transition'; storageClass: string } | undefined;

export interface VersionFacts {
  key: string;
  /** undefined when no rule filters on tags (they were not read). */
  tags: TagSet | undefined;
  storageClass: string;
  size: number;
}

/** Expiration wins over any transition; of the transitions due, the one due last (the coldest reached). */
function decide(candidates: { due: number; action: NonNullable<VersionAction> }[], now: number, facts: VersionFacts): VersionAction {
  const due = candidates.filter((c) => c.due <= now);
  if (due.some((c) => c.action.kind === 'expire')) return { kind: 'expire' };
  let chosen: { due: number; action: NonNullable<VersionAction> } | undefined;
  for (const c of due) {
    if (c.action.kind !== 'transition' || !colder(c.action.storageClass, facts.storageClass)) continue;
    if (!chosen || c.due > chosen.due) chosen = c;
  }
  return chosen && facts.size >= MIN_TRANSITION_SIZE ? chosen.action : undefined;
}

/** A key's current object, last modified at `lastModified`. */
export function currentVersionAction(rules: readonly LifecycleRule[], facts: VersionFacts & { lastModified: number }, now: number): VersionAction {
  return decide(
    rules
      .filter((rule) => applies(rule, facts.key, facts.tags))
      .flatMap((rule) => [
        ...(rule.expiration ? [{ due: dueAt(rule.expiration, facts.lastModified), action: { kind: 'expire' } as const }] : []),
        ...rule.transitions.map((t) => ({ due: dueAt(t.when, facts.lastModified), action: { kind: 'transition', storageClass: t.storageClass } as const })),
      ]),
    now,
    facts,
  );
}

/** A noncurrent version, noncurrent since `since` (when the version above it was written). */
export function noncurrentVersionAction(rules: readonly LifecycleRule[], facts: VersionFacts & { since: number }, now: number): VersionAction {
  return decide(
    rules
      .filter((rule) => applies(rule, facts.key, facts.tags))
      .flatMap((rule) => [
        ...(rule.noncurrentExpirationDays === undefined ? [] : [{ due: daysAfter(facts.since, rule.noncurrentExpirationDays), action: { kind: 'expire' } as const }]),
        ...rule.noncurrentTransitions.map((t) => ({ due: daysAfter(facts.since, t.days), action: { kind: 'transition', storageClass: t.storageClass } as const })),
      ]),
    now,
    facts,
  );
}

/**
 * A delete marker that is its key's only version left (an "expired object delete marker") goes when a
 * rule says ExpiredObjectDeleteMarker true, or when a rule's Days or Date expiration is due for it,
 * counted from the marker's own time, as S3 does (a marker has no tags: only prefix-only rules apply).
 */
export function removesLoneMarker(rules: readonly LifecycleRule[], key: string, lastModified: number, now: number): boolean {
  return rules.some(
    (rule) => applies(rule, key, []) && (rule.expiredObjectDeleteMarker || (rule.expiration !== undefined && dueAt(rule.expiration, lastModified) <= now)),
  );
}

/** A multipart upload still in progress: aborted DaysAfterInitiation after it began (prefix rules only, as in S3). */
export function abortsUpload(rules: readonly LifecycleRule[], key: string, initiated: number, now: number): boolean {
  return rules.some((rule) => rule.abortUploadDays !== undefined && rule.tags.length === 0 && key.startsWith(rule.prefix) && daysAfter(initiated, rule.abortUploadDays) <= now);
}
