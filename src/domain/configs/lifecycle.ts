// Lifecycle configuration (PUT/GET/DELETE Bucket lifecycle): validated and stored; domain/lifecycle-rules.ts
// reads the rules and jobs/lifecycle.ts runs them. [doc: PUT Bucket lifecycle, https://cloud.tencent.com/document/product/436/8280]
import { cosError } from '../../errors/cos-error.ts';
import { checkDistinct, childOf, group, invalidArgument, itemsOf, oneOf, optional, repeated, required, text, textOfChild, type ConfigTree, type GroupRule } from '../config-schema.ts';
import { STORAGE_CLASSES } from '../storage-class.ts';
import type { ConfigDocument } from './document.ts';

const days = text({ pattern: /^[1-9]\d{0,5}$/, error: 'InvalidArgument' });
// ISO 8601 with a zone, e.g. 2019-07-28T00:00:00+08:00 or 2018-07-29T16:00:00.000Z.
const date = text({ pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/, error: 'InvalidArgument' });
/** A transition moves objects out of STANDARD: into any other class (any case, as for x-cos-storage-class). */
const targetClass = { values: STORAGE_CLASSES.filter((c) => c !== 'STANDARD'), anyCase: true, error: 'InvalidArgument' } as const;
const tag = group(required('Key', text()), required('Value', text()));

const rule: GroupRule = {
  // cos-python-sdk-v5's lifecycle test sends its rule's transition as `<Transation>` (sic) and COS takes
  // the document (the test fails on any 4xx); it is dropped, not read as a Transition nobody asked for.
  ignored: ['Transation'],
  ...group(
    optional('ID', text({ pattern: /^.{1,255}$/su, error: 'InvalidArgument' })),
    required(
      'Filter',
      group(optional('Prefix', text()), repeated('Tag', tag, 10), optional('And', group(optional('Prefix', text()), repeated('Tag', tag, 10)))),
    ),
    required('Status', oneOf('Enabled', 'Disabled')),
    repeated('Transition', group(optional('Days', days), optional('Date', date), required('StorageClass', targetClass)), 10),
    optional('Expiration', group(optional('Days', days), optional('Date', date), optional('ExpiredObjectDeleteMarker', oneOf('true', 'false')))),
    repeated('NoncurrentVersionTransition', group(required('NoncurrentDays', days), required('StorageClass', targetClass)), 10),
    optional('NoncurrentVersionExpiration', group(required('NoncurrentDays', days))),
    optional('AbortIncompleteMultipartUpload', group(required('DaysAfterInitiation', days))),
  ),
};

const ACTIONS = ['Transition', 'Expiration', 'NoncurrentVersionTransition', 'NoncurrentVersionExpiration', 'AbortIncompleteMultipartUpload'];
const BEIJING_MIDNIGHT_MS = 16 * 3600 * 1000;

/** A Date is a day: midnight Beijing time (COS's example `2018-07-29T16:00:00.000Z` is 00:00 +08:00). */
function checkWhen(action: ConfigTree, name: string, needsOne: boolean): void {
  const day = textOfChild(action, 'Days');
  const when = textOfChild(action, 'Date');
  if (day !== undefined && when !== undefined) throw invalidArgument(`${name} cannot have both Days and Date`);
  if (needsOne && day === undefined && when === undefined) throw invalidArgument(`${name} needs Days or Date`);
  if (when !== undefined && (Date.parse(when) - BEIJING_MIDNIGHT_MS) % 86_400_000 !== 0) throw invalidArgument(`${name} Date must be midnight (GMT+8)`);
}

function checkRule(item: ConfigTree): void {
  if (!ACTIONS.some((action) => item[action] !== undefined)) throw cosError('InvalidRequest', { message: 'At least one action needs to be specified in a rule' });
  const filter = childOf(item, 'Filter');
  if (filter && filter['And'] !== undefined && (filter['Prefix'] !== undefined || filter['Tag'] !== undefined)) {
    throw cosError('MalformedXML', { detail: 'Filter has And besides Prefix or Tag' });
  }
  if (filter && filter['Prefix'] !== undefined && itemsOf(filter, 'Tag').length > 0) throw cosError('MalformedXML', { detail: 'Filter Prefix and Tag need And' });
  for (const transition of itemsOf(item, 'Transition')) checkWhen(transition, 'Transition', true);
  const expiration = childOf(item, 'Expiration');
  if (expiration) checkWhen(expiration, 'Expiration', expiration['ExpiredObjectDeleteMarker'] === undefined);
}

export const LIFECYCLE: ConfigDocument = {
  kind: 'lifecycle',
  root: 'LifecycleConfiguration',
  schema: group(repeated('Rule', rule, 1000, { atLeastOne: true })),
  check(tree) {
    const rules = itemsOf(tree, 'Rule');
    rules.forEach(checkRule);
    checkDistinct(rules, 'ID', 'Rule ID must be unique. Found same ID for more than one rule');
  },
  absent: 'NoSuchLifecycleConfiguration',
};
