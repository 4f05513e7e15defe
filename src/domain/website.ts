// The static website a stored WebsiteConfiguration describes, and its pure rules: which key a path
// serves, and which routing rule redirects it. [doc: PUT Bucket website, https://cloud.tencent.com/document/product/436/31930]
// Where COS is silent, S3's website endpoint is the reference (https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteHosting.html).
import { childOf, itemsOf, textOfChild, type ConfigTree } from './config-schema.ts';

export interface WebsiteRedirect {
  /** `https`, or undefined for the request's own protocol. */
  readonly protocol: string | undefined;
  /** The key to redirect to, given the key asked for. */
  readonly replace: { readonly kind: 'key'; readonly key: string } | { readonly kind: 'prefix'; readonly prefix: string; readonly with: string };
  /** URLRedirect Disabled: 302; otherwise 301, S3's default. */
  readonly status: 301 | 302;
}

export interface RoutingRule {
  readonly condition: { readonly kind: 'error'; readonly status: number } | { readonly kind: 'prefix'; readonly prefix: string };
  readonly redirect: WebsiteRedirect;
}

export interface Website {
  readonly indexSuffix: string;
  readonly errorDocument: { readonly key: string; readonly originalStatus: boolean } | undefined;
  /** RedirectAllRequestsTo: every request goes to the same address over https. */
  readonly redirectAllToHttps: boolean;
  /** AutoAddressing: a key without an extension that is missing is looked up with `.html` [COS console: 自动寻址]. */
  readonly autoAddressing: boolean;
  readonly routingRules: readonly RoutingRule[];
}

function routingRuleOf(item: ConfigTree): RoutingRule {
  const condition = childOf(item, 'Condition') ?? {};
  const redirect = childOf(item, 'Redirect') ?? {};
  const code = textOfChild(condition, 'HttpErrorCodeReturnedEquals');
  const prefix = textOfChild(condition, 'KeyPrefixEquals') ?? '';
  const withPrefix = textOfChild(redirect, 'ReplaceKeyPrefixWith');
  return {
    condition: code !== undefined ? { kind: 'error', status: Number(code) } : { kind: 'prefix', prefix },
    redirect: {
      protocol: textOfChild(redirect, 'Protocol'),
      replace: withPrefix !== undefined ? { kind: 'prefix', prefix, with: withPrefix } : { kind: 'key', key: textOfChild(redirect, 'ReplaceKeyWith') ?? '' },
      status: textOfChild(redirect, 'URLRedirect') === 'Disabled' ? 302 : 301,
    },
  };
}

/** The website of a stored (schema-validated) configuration. */
export function websiteOf(tree: ConfigTree): Website {
  const error = childOf(tree, 'ErrorDocument');
  return {
    indexSuffix: textOfChild(childOf(tree, 'IndexDocument') ?? {}, 'Suffix') ?? 'index.html',
    errorDocument: error && { key: textOfChild(error, 'Key') ?? '', originalStatus: textOfChild(error, 'OriginalHttpStatus') !== 'Disabled' },
    redirectAllToHttps: childOf(tree, 'RedirectAllRequestsTo') !== undefined,
    autoAddressing: textOfChild(childOf(tree, 'AutoAddressing') ?? {}, 'Status') === 'Enabled',
    routingRules: itemsOf(childOf(tree, 'RoutingRules') ?? {}, 'RoutingRule').map(routingRuleOf),
  };
}

/** The key a path serves: a folder (the root included) serves its index document. */
export const servedKey = (key: string, site: Website): string => (key === '' || key.endsWith('/') ? `${key}${site.indexSuffix}` : key);

/** The first KeyPrefixEquals rule the asked-for key starts with. */
export const prefixRule = (key: string, site: Website): RoutingRule | undefined =>
  site.routingRules.find((r) => r.condition.kind === 'prefix' && key.startsWith(r.condition.prefix));

/** The first HttpErrorCodeReturnedEquals rule for an error status. */
export const errorRule = (status: number, site: Website): RoutingRule | undefined =>
  site.routingRules.find((r) => r.condition.kind === 'error' && r.condition.status === status);

/** The key a redirect sends the asked-for key to. */
export function redirectedKey(key: string, redirect: WebsiteRedirect): string {
  const { replace } = redirect;
  return replace.kind === 'key' ? replace.key : `${replace.with}${key.slice(replace.prefix.length)}`;
}

/** A key as a URL path: each segment percent-encoded, the slashes kept. */
export const keyPath = (key: string): string => `/${key.split('/').map(encodeURIComponent).join('/')}`;
