// Bucket configuration documents (lifecycle, website, inventory, ...) described as data: the elements each
// may hold, in COS's order, and what their text may be. readTree() turns a parsed request body into a
// canonical tree (children in schema order, an array for every repeatable element), which is stored as
// JSON and renders back with renderXml as it is.
import type { CosErrorCode } from '../errors/catalogue.ts';
import { cosError } from '../errors/cos-error.ts';
import { jsonCodec, type DocumentCodec } from './codec.ts';

export type ConfigValue = string | ConfigTree | (string | ConfigTree)[];
/** A validated document; treated as read-only (a decoded one is shared by every reader). */
export interface ConfigTree {
  [element: string]: ConfigValue;
}

/** How a bucket keeps a validated document: its canonical tree as JSON. */
export const CONFIG_CODEC: DocumentCodec<ConfigTree> = jsonCodec<ConfigTree>();
/** Several documents of one kind, each named by its Id (inventory), sorted by Id. */
export const CONFIG_LIST_CODEC: DocumentCodec<ConfigTree[]> = jsonCodec<ConfigTree[]>();

/** What an element's text may be; anything else is `error` (MalformedXML unless COS documents another). */
export interface TextRule {
  readonly values?: readonly string[];
  /** `values` match in any case and are stored as `values` spells them (a storage class sent as `Standard`). */
  readonly anyCase?: boolean;
  readonly pattern?: RegExp;
  readonly error?: CosErrorCode;
}

/** The elements a container holds, in the order COS writes them. */
export interface GroupRule {
  readonly children: readonly ElementRule[];
  /** Elements a client sends that COS takes and drops, where any other unknown element is MalformedXML. */
  readonly ignored?: readonly string[];
}

export interface ElementRule {
  readonly name: string;
  readonly content: TextRule | GroupRule;
  readonly required: boolean;
  /** Repeatable up to this many (stored as an array); absent: at most once. */
  readonly max?: number;
  /** The error for more than `max`, when COS names one. */
  readonly tooMany?: CosErrorCode;
  /** Other names a client sends for this element, stored under `name`. */
  readonly aliases?: readonly string[];
  /** The text an absent (optional, single) element is stored with: the value COS fills in and GET answers. */
  readonly default?: string;
}

export const text = (rule: TextRule = {}): TextRule => rule;
export const oneOf = (...values: string[]): TextRule => ({ values });
export const group = (...children: ElementRule[]): GroupRule => ({ children });
export const required = (name: string, content: TextRule | GroupRule, extra: Partial<ElementRule> = {}): ElementRule => ({ name, content, required: true, ...extra });
export const optional = (name: string, content: TextRule | GroupRule, extra: Partial<ElementRule> = {}): ElementRule => ({ name, content, required: false, ...extra });
/** An element that may appear up to `max` times; `atLeastOne` when the container needs one. */
export const repeated = (name: string, content: TextRule | GroupRule, max: number, extra: Partial<ElementRule> & { atLeastOne?: boolean } = {}): ElementRule => {
  const { atLeastOne, ...rest } = extra;
  return { name, content, required: atLeastOne ?? false, max, ...rest };
};

const malformed = (detail: string) => cosError('MalformedXML', { detail });
/** A value or combination COS documents against: InvalidArgument with a message saying which. */
export const invalidArgument = (message: string) => cosError('InvalidArgument', { message });
const isGroup = (content: TextRule | GroupRule): content is GroupRule => 'children' in content;
const isAttribute = (name: string): boolean => name.startsWith('@_');

/** The parsed element's members; an empty element (`<X/>`, `<X></X>`) has none. */
function membersOf(node: unknown, path: string): Record<string, unknown> {
  if (node === '') return {};
  if (!node || typeof node !== 'object' || Array.isArray(node)) throw malformed(`${path} must hold elements`);
  const members = node as Record<string, unknown>;
  const own = members['#text'];
  if (typeof own === 'string' && own.trim() !== '') throw malformed(`${path} holds text`);
  return members;
}

/** The text of a simple element; attributes (xmlns, xsi:type) are ignored, child elements are not allowed. */
function textIn(node: unknown, path: string): string {
  if (typeof node === 'string') return node;
  if (!node || typeof node !== 'object' || Array.isArray(node)) throw malformed(`${path} must be text`);
  const members = node as Record<string, unknown>;
  if (Object.keys(members).some((name) => name !== '#text' && !isAttribute(name))) throw malformed(`${path} must be text`);
  const own = members['#text'];
  return typeof own === 'string' ? own : '';
}

function readText(node: unknown, rule: TextRule, path: string): string {
  const sent = textIn(node, path);
  const value = rule.anyCase ? (rule.values?.find((v) => v.toLowerCase() === sent.toLowerCase()) ?? sent) : sent;
  const allowed = (rule.values === undefined || rule.values.includes(value)) && (rule.pattern === undefined || rule.pattern.test(value));
  if (!allowed) throw cosError(rule.error ?? 'MalformedXML', { detail: `${path}: ${JSON.stringify(value)} is not allowed` });
  return value;
}

function readElement(node: unknown, content: TextRule | GroupRule, path: string): string | ConfigTree {
  return isGroup(content) ? readTree(node, content, path) : readText(node, content, path);
}

/** The canonical tree of a parsed element: MalformedXML for an unknown, missing or repeated element. */
export function readTree(node: unknown, rule: GroupRule, path: string): ConfigTree {
  const members = membersOf(node, path);
  const known = new Set(rule.children.flatMap((child) => [child.name, ...(child.aliases ?? [])]));
  const ignored = new Set(rule.ignored);
  for (const name of Object.keys(members)) {
    if (name !== '#text' && !isAttribute(name) && !known.has(name) && !ignored.has(name)) throw malformed(`${path}/${name} is not allowed`);
  }
  const tree: ConfigTree = {};
  for (const child of rule.children) {
    const nodes = [child.name, ...(child.aliases ?? [])].flatMap((name) => {
      const value = members[name];
      return value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
    });
    const at = `${path}/${child.name}`;
    if (nodes.length === 0) {
      if (child.required) throw malformed(`${at} is missing`);
      if (child.default !== undefined) tree[child.name] = child.default;
      continue;
    }
    if (child.max === undefined) {
      if (nodes.length > 1) throw malformed(`${at} appears more than once`);
      tree[child.name] = readElement(nodes[0], child.content, at);
      continue;
    }
    if (nodes.length > child.max) throw cosError(child.tooMany ?? 'MalformedXML', { detail: `more than ${child.max} ${at}` });
    tree[child.name] = nodes.map((item) => readElement(item, child.content, at));
  }
  return tree;
}

/** The elements of a repeatable member (empty when absent). */
export function itemsOf(tree: ConfigTree, name: string): ConfigTree[] {
  const value = tree[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is ConfigTree => typeof item === 'object');
}

/** A child container, if present. */
export function childOf(tree: ConfigTree, name: string): ConfigTree | undefined {
  const value = tree[name];
  return value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** A child's text, if present. */
export function textOfChild(tree: ConfigTree, name: string): string | undefined {
  const value = tree[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * InvalidArgument `message` when two items carry the same text in `field` (items without it are
 * skipped); `key` says what counts as the same (domain names: any case).
 */
export function checkDistinct(items: readonly ConfigTree[], field: string, message: string, key = (value: string): string => value): void {
  const seen = new Set<string>();
  for (const item of items) {
    const value = textOfChild(item, field);
    if (value === undefined) continue;
    if (seen.has(key(value))) throw invalidArgument(message);
    seen.add(key(value));
  }
}
