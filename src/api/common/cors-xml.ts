// CORSConfiguration documents in and out (PUT/GET Bucket cors), validated into domain/cors.ts rules.
import { isCorsMethod, type CorsConfiguration, type CorsRule } from '../../domain/cors.ts';
import { cosError } from '../../errors/cos-error.ts';
import { asArray, parseXml, renderXml, textOf, type XmlNode } from '../../http/xml.ts';

/** COS accepts a CORS document of at most 64 KB [doc: PUT Bucket cors]. */
export const CORS_BODY_LIMIT = 64 * 1024;
/** "You can configure up to 100 rules" [doc: PUT Bucket cors]. */
export const MAX_CORS_RULES = 100;
/** [recommended] S3's bound on a rule ID. */
const MAX_RULE_ID = 255;

const record = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const texts = (value: unknown): string[] => asArray(value).map((v) => textOf(v) ?? '');

// COS copies S3's CORS texts (its AccessForbidden message is S3's, typo included); the validation
// messages below are S3's, as COS does not document its own [recommended].
const invalid = (message: string) => cosError('InvalidRequest', { message });

function oneWildcard(kind: string, value: string): void {
  if (value.indexOf('*') !== value.lastIndexOf('*')) throw invalid(`${kind} "${value}" can not have more than one wildcard.`);
}

function parseRule(node: unknown): CorsRule {
  const rule = record(node);
  if (!rule) throw cosError('MalformedXML', { detail: 'CORSRule is not an element' });
  const origins = texts(rule['AllowedOrigin']);
  const methods = texts(rule['AllowedMethod']);
  if (origins.length === 0 || methods.length === 0) {
    throw cosError('MalformedXML', { detail: 'a CORSRule needs AllowedOrigin and AllowedMethod' });
  }
  for (const origin of origins) {
    if (origin === '') throw cosError('MalformedXML', { detail: 'empty AllowedOrigin' });
    oneWildcard('AllowedOrigin', origin);
  }
  const allowedMethods = methods.map((m) => {
    // Methods are case-sensitive in COS's list (GET PUT POST DELETE HEAD), as in S3.
    if (!isCorsMethod(m)) throw invalid(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    return m;
  });
  const allowedHeaders = texts(rule['AllowedHeader']);
  for (const header of allowedHeaders) oneWildcard('AllowedHeader', header);
  const exposeHeaders = texts(rule['ExposeHeader']);
  for (const header of exposeHeaders) {
    if (header.includes('*')) throw invalid(`ExposeHeader "${header}" contains wildcard. We currently do not support wildcard for ExposeHeader.`);
  }
  const out: CorsRule = { allowedOrigins: origins, allowedMethods, allowedHeaders, exposeHeaders };
  const id = textOf(rule['ID']);
  if (id !== undefined && id !== '') {
    if (id.length > MAX_RULE_ID) throw invalid(`The ID of a CORSRule can not be longer than ${MAX_RULE_ID} characters.`);
    out.id = id;
  }
  const maxAge = textOf(rule['MaxAgeSeconds']);
  if (maxAge !== undefined) {
    if (!/^\d{1,9}$/.test(maxAge)) throw cosError('MalformedXML', { detail: `MaxAgeSeconds ${maxAge} is not an integer` });
    out.maxAgeSeconds = Number(maxAge);
  }
  return out;
}

export function parseCorsXml(text: string): CorsConfiguration {
  const root = record(parseXml(text)['CORSConfiguration']);
  if (!root) throw cosError('MalformedXML', { detail: 'root element is not CORSConfiguration' });
  const nodes = asArray(root['CORSRule']);
  if (nodes.length === 0) throw cosError('MalformedXML', { detail: 'no CORSRule' });
  if (nodes.length > MAX_CORS_RULES) throw invalid(`The number of CORS rules should not exceed allowed limit of ${MAX_CORS_RULES} rules.`);
  const vary = textOf(root['ResponseVary']);
  if (vary !== undefined && vary !== 'true' && vary !== 'false') throw cosError('MalformedXML', { detail: `ResponseVary ${vary}` });
  return { rules: nodes.map(parseRule), responseVary: vary === 'true' };
}

export function renderCorsXml(config: CorsConfiguration): string {
  const rules: XmlNode[] = config.rules.map((rule) => ({
    ID: rule.id,
    AllowedOrigin: rule.allowedOrigins,
    AllowedMethod: rule.allowedMethods,
    AllowedHeader: rule.allowedHeaders,
    ExposeHeader: rule.exposeHeaders,
    MaxAgeSeconds: rule.maxAgeSeconds,
  }));
  return renderXml('CORSConfiguration', { CORSRule: rules, ResponseVary: config.responseVary ? 'true' : 'false' });
}
