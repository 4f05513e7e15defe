// Cross-bucket replication (PUT/GET/DELETE Bucket replication): validated and stored here; the rules are
// read by domain/replication-rules.ts and acted on by jobs/replication.ts.
// [doc: PUT Bucket replication, https://cloud.tencent.com/document/product/436/19223]
import { cosError } from '../../errors/cos-error.ts';
import { checkDistinct, childOf, group, invalidArgument, itemsOf, oneOf, optional, repeated, required, text, textOfChild, type ConfigTree } from '../config-schema.ts';
import { STORAGE_CLASSES } from '../storage-class.ts';
import type { CheckFacts, ConfigDocument } from './document.ts';

const ROLE = /^qcs::cam::uin\/(\d+):uin\/(\d+)$/;
const DESTINATION = /^qcs::cos:([a-z0-9-]+)::([a-z0-9-]+-\d+)$/;
const enabled = oneOf('Enabled', 'Disabled');

const rule = group(
  optional('ID', text({ pattern: /^.{1,255}$/su, error: 'InvalidArgument' })),
  required('Status', enabled),
  required('Prefix', text()),
  required(
    'Destination',
    group(required('Bucket', text({ pattern: DESTINATION, error: 'InvalidArgument' })), optional('StorageClass', { values: STORAGE_CLASSES, anyCase: true, error: 'InvalidArgument' })),
  ),
  optional('DeleteMarkerReplication', group(required('Status', enabled))),
);

const refused = (message: string) => cosError('InvalidRequest', { message });
/** A rule's `qcs::cos:<region>::<bucket>` as written. */
export const destinationOf = (item: ConfigTree): string => textOfChild(childOf(item, 'Destination') ?? {}, 'Bucket') ?? '';

/** The region and bucket a `qcs::cos:<region>::<bucket>` names; undefined for any other text. */
export function parseDestination(text: string): { region: string; bucket: string } | undefined {
  const [, region, bucket] = DESTINATION.exec(text) ?? [];
  return region === undefined || bucket === undefined ? undefined : { region, bucket };
}

/** The owner and (sub-)account uin a Role `qcs::cam::uin/<owner>:uin/<uin>` names; undefined for any other text. */
export function parseRole(text: string): { ownerUin: string; uin: string } | undefined {
  const [, ownerUin, uin] = ROLE.exec(text) ?? [];
  return ownerUin === undefined || uin === undefined ? undefined : { ownerUin, uin };
}

/** "All rules point at one destination bucket", "prefixes cannot overlap", ids are unique [doc]. */
function checkRules(rules: ConfigTree[]): void {
  checkDistinct(rules, 'ID', 'Rule ID must be unique. Found same ID for more than one rule');
  const prefixes: string[] = [];
  for (const item of rules) {
    if (destinationOf(item) !== destinationOf(rules[0] ?? item)) throw invalidArgument('All rules must have the same destination bucket');
    const prefix = textOfChild(item, 'Prefix') ?? '';
    if (prefixes.some((other) => other.startsWith(prefix) || prefix.startsWith(other))) throw invalidArgument('Rule prefixes cannot overlap');
    prefixes.push(prefix);
  }
}

/**
 * Both ends keep versions [doc]; the destination exists in the region it names, is another bucket, and the
 * Role may write to it under every rule's prefix. A destination the Role may not write to is answered as a
 * missing one, so the answer tells nobody whether another account's bucket exists.
 */
async function checkBuckets(tree: ConfigTree, rules: ConfigTree[], { bucket, findBucket, roleMayWrite }: CheckFacts): Promise<void> {
  if (bucket.versioning !== 'Enabled') throw refused('Versioning must be Enabled on the bucket to apply a replication configuration');
  const destination = parseDestination(destinationOf(rules[0] ?? {}));
  if (destination === undefined || destination.bucket === bucket.name) throw invalidArgument('The destination must be another bucket');
  const target = await findBucket(destination.bucket);
  const prefixes = rules.map((rule) => textOfChild(rule, 'Prefix') ?? '');
  if (!target || target.region !== destination.region || !(await roleMayWrite(textOfChild(tree, 'Role') ?? '', target, prefixes))) {
    throw refused('Destination bucket must exist');
  }
  if (target.versioning !== 'Enabled') throw refused('Destination bucket must have versioning enabled');
}

export const REPLICATION: ConfigDocument = {
  kind: 'replication',
  root: 'ReplicationConfiguration',
  schema: group(required('Role', text({ pattern: ROLE, error: 'InvalidArgument' })), repeated('Rule', rule, 1000, { atLeastOne: true })),
  async check(tree, facts) {
    const rules = itemsOf(tree, 'Rule');
    checkRules(rules);
    await checkBuckets(tree, rules, facts);
  },
  // COS's own spelling [doc: error codes]; cos-nodejs-sdk-v5 tests for a lower-case "not", so a missing
  // configuration stays an error there, which its BucketReplication test expects.
  absent: 'ReplicationConfigurationNotFoundError',
};
