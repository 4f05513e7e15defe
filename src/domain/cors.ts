// Bucket CORS rules (PUT Bucket cors) and the pure matching of a browser request against them.
import { jsonCodec, type DocumentCodec } from './codec.ts';

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;
export type CorsMethod = (typeof CORS_METHODS)[number];

export interface CorsRule {
  id?: string;
  /** Each may hold one `*` (`*` alone: any origin). */
  allowedOrigins: string[];
  allowedMethods: CorsMethod[];
  /** Each may hold one `*`; compared case-insensitively. */
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export interface CorsConfiguration {
  rules: CorsRule[];
  /** `ResponseVary`: answer with `Vary: Origin, ...` so caches keep responses per origin. */
  responseVary: boolean;
}

/** The validated rules as JSON (the bucket's `cors` configuration document). */
export const CORS_CODEC: DocumentCodec<CorsConfiguration> = jsonCodec<CorsConfiguration>();

export const isCorsMethod = (m: string): m is CorsMethod => (CORS_METHODS as readonly string[]).includes(m);

/** Linear match of a pattern with at most one `*` (validated at PUT time): prefix, suffix, enough length. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return value.length >= prefix.length + suffix.length && value.startsWith(prefix) && value.endsWith(suffix);
}

// Browsers send scheme and host in lower case; rules written with capitals still match [recommended].
const originAllowed = (rule: CorsRule, origin: string): boolean =>
  rule.allowedOrigins.some((pattern) => wildcardMatch(pattern.toLowerCase(), origin.toLowerCase()));

const headerAllowed = (rule: CorsRule, header: string): boolean =>
  rule.allowedHeaders.some((pattern) => wildcardMatch(pattern.toLowerCase(), header));

/** `Access-Control-Request-Headers`: a comma list, case-insensitive, empty items ignored. */
export function requestedHeaders(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

export interface CorsRequest {
  origin: string;
  /** The actual request's method, or a preflight's Access-Control-Request-Method. */
  method: string;
  /** Lower-cased names a preflight asks for; empty for actual requests. */
  headers: readonly string[];
}

/** The first rule that allows the origin, the method and every requested header (COS and S3 take the first match). */
export function findCorsRule(config: CorsConfiguration, request: CorsRequest): CorsRule | undefined {
  return config.rules.find(
    (rule) =>
      originAllowed(rule, request.origin) &&
      (rule.allowedMethods as readonly string[]).includes(request.method) &&
      request.headers.every((h) => headerAllowed(rule, h)),
  );
}

/**
 * The Access-Control-* headers for a matched rule, shaped like COS's documented answers (OPTIONS
 * Object examples): a `*` rule answers `*`; any other echoes the origin with
 * Access-Control-Allow-Credentials; methods and exposed headers are the rule's, comma-joined;
 * a preflight's allowed headers echo what it asked for.
 */
export function corsHeaders(config: CorsConfiguration, rule: CorsRule, request: CorsRequest, preflight: boolean): Record<string, string> {
  const any = rule.allowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': any ? '*' : request.origin,
    'access-control-allow-methods': rule.allowedMethods.join(','),
  };
  if (!any) headers['access-control-allow-credentials'] = 'true';
  if (preflight && request.headers.length > 0) headers['access-control-allow-headers'] = request.headers.join(',');
  if (rule.exposeHeaders.length > 0) headers['access-control-expose-headers'] = rule.exposeHeaders.join(',');
  if (rule.maxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.maxAgeSeconds);
  if (config.responseVary) headers['vary'] = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
  return headers;
}

/** The headers an actual (non-preflight) request with this Origin gets, if a rule allows its method. */
export function actualCorsHeaders(config: CorsConfiguration, origin: string, method: string): Record<string, string> {
  const request = { origin, method, headers: [] };
  const rule = findCorsRule(config, request);
  return rule ? corsHeaders(config, rule, request, false) : {};
}
