// XML in and out: COS-shaped documents rendered by a small serializer, request bodies parsed defensively
// with fast-xml-parser.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { cosError } from '../errors/cos-error.ts';

// COS writes its declaration with single quotes (spec/api-common.md §4).
const DECLARATION = "<?xml version='1.0' encoding='utf-8' ?>\n";

export type XmlValue = string | number | boolean | XmlNode | XmlFragment | XmlValue[] | undefined;
export interface XmlNode {
  [name: string]: XmlValue;
}

/**
 * XML already rendered, written as is in place of the member that holds it: a listing's up to 1000
 * entries come from a direct string builder (api/common/listing-xml.ts), ~4x faster than nodes.
 */
export class XmlFragment {
  constructor(readonly xml: string) {}
}

/**
 * Renders `{ [root]: body }`; undefined members are omitted, arrays become repeated elements, `@_name`
 * members are attributes and `#text` is an element's own text. The output is what fast-xml-parser's
 * XMLBuilder gives for these shapes (xml.test.ts checks that), ~2.7x faster: a 1000-key listing page
 * took ~4.2 ms of CPU to render with the builder, ~1.5 ms with this.
 */
export function renderXml(root: string, body: XmlNode): string {
  return DECLARATION + element(root, body);
}

// Characters XML 1.0 cannot carry at all, not even as a character reference (XML 1.0 §2.2 `Char`):
// C0 controls other than tab, LF and CR, U+FFFE, U+FFFF, and surrogates that do not pair up.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Any character NOT_XML_CHAR might refuse: one class, so nearly every listed name is cleared by it alone. */
const MAYBE_NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Whether XML 1.0 can carry this text (escaped as usual); a key with U+0001 it cannot. */
export const isXmlText = (text: string): boolean => !MAYBE_NOT_XML.test(text) || !NOT_XML_CHAR.test(text);

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' };
// One character class for the hot path (every value of a listing passes here); it also lets valid
// surrogate pairs through to the exact pattern below, which leaves them alone.
const MAYBE_SPECIAL = /[&<>'"\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const SPECIALS = new RegExp(`[&<>'"]|${NOT_XML_CHAR.source}`, 'g');
/**
 * Escapes text content. A character XML 1.0 cannot carry becomes U+FFFD, the last resort that keeps
 * the document parseable; listings never get here with one (they url-encode such names, see
 * api/common/params.ts nameEncoding), but an error's Resource may name such a key.
 */
export const escapeXml = (text: string): string => (MAYBE_SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ENTITIES[c] ?? '\uFFFD') : text);

function element(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof XmlFragment) return value.xml;
  if (Array.isArray(value)) {
    let all = '';
    for (const item of value) all += element(name, item);
    return all;
  }
  if (typeof value !== 'object') return `<${name}>${escapeXml(String(value))}</${name}>`;
  let attributes = '';
  let inner = '';
  for (const key in value) {
    const member = value[key];
    if (member === undefined) continue;
    if (key.startsWith('@_')) attributes += ` ${key.slice(2)}="${escapeXml(String(member))}"`;
    else if (key === '#text') inner += escapeXml(String(member));
    else inner += element(key, member);
  }
  return `<${name}${attributes}>${inner}</${name}>`;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Values are byte-exact: `<Key>_ </Key>` names the key "_ ", not "_" (keys, ETags, version ids and
  // tag values may start or end with spaces). Whitespace that only formats the document is dropped
  // by dropFormatting below instead.
  trimValues: false,
  processEntities: true,
  // Character references (`&#34;`, `&#x22;`) are core XML, and Go's encoding/xml writes every quote as
  // `&#34;` (rclone's CompleteMultipartUpload ETags); fast-xml-parser decodes them only under this
  // option, which also decodes HTML's named entities (harmless: nothing expands, DOCTYPE is refused).
  htmlEntities: true,
});

/**
 * Parses a request body. A DOCTYPE is refused outright: COS bodies never need one, and refusing it
 * closes the door on entity-expansion ("billion laughs") and external-entity tricks.
 */
export function parseXml(text: string): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw cosError('MalformedXML', { detail: 'DOCTYPE/ENTITY in body' });
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw cosError('MalformedXML');
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch (error) {
    // Well-formed XML the parser still refuses: more than 100 nested elements, or an element named
    // `__proto__`/`constructor`/`prototype` (its guard against prototype pollution). A bad body all the same.
    throw cosError('MalformedXML', { detail: error instanceof Error ? error.message : String(error) });
  }
  return dropFormatting(parsed) as Record<string, unknown>;
}

const isElementName = (name: string): boolean => name !== '#text' && !name.startsWith('@_');

/**
 * Removes the whitespace-only text that indents child elements (`<Object>\n  <Key>` ...), which the
 * untrimmed parse keeps as an element's `#text`. An element without children keeps its text as sent.
 */
function dropFormatting(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropFormatting);
  if (!value || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  const names = Object.keys(node);
  const text = node['#text'];
  const indentOnly = typeof text === 'string' && text.trim() === '' && names.some(isElementName);
  const result: Record<string, unknown> = {};
  for (const name of names) if (!(indentOnly && name === '#text')) result[name] = dropFormatting(node[name]);
  return result;
}

/** Elements that may repeat come back as one value or an array; always give an array. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The text of a simple element, or undefined when absent or not text. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && '#text' in value) return textOf((value as { '#text': unknown })['#text']);
  return undefined;
}
