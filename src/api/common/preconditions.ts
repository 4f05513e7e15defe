// Conditional request headers (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since), RFC 7232 order.
import { cosError } from '../../errors/cos-error.ts';
import type { ObjectRecord } from '../../domain/object.ts';

export interface Conditions {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
  ifUnmodifiedSince?: string | undefined;
}

/** The conditions of a request; copies read the same four with an `x-cos-copy-source-` prefix. */
export function conditionsFrom(headers: Readonly<Record<string, string | undefined>>, prefix = ''): Conditions {
  return {
    ifMatch: headers[`${prefix}if-match`],
    ifNoneMatch: headers[`${prefix}if-none-match`],
    ifModifiedSince: headers[`${prefix}if-modified-since`],
    ifUnmodifiedSince: headers[`${prefix}if-unmodified-since`],
  };
}

/** Whether an If-Match / If-None-Match list (`*`, quoted or bare, weak or strong tags) names this ETag. */
export const etagListMatches = (list: string, etag: string): boolean =>
  list.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag || `"${tag}"` === etag;
  });

/** HTTP dates have one-second resolution; compare at that resolution. Unparsable dates are ignored. */
const seconds = (ms: number): number => Math.floor(ms / 1000);
const parseDate = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : seconds(ms);
};

/**
 * Throws PreconditionFailed (412) or NotModified (304) as the conditions demand. `notModified` is
 * what a failed If-None-Match/If-Modified-Since means: 304 for reads, 412 for copy sources.
 */
export function checkConditions(c: Conditions, object: ObjectRecord, notModified: 'NotModified' | 'PreconditionFailed'): void {
  const modified = seconds(object.lastModified);
  if (c.ifMatch !== undefined) {
    if (!etagListMatches(c.ifMatch, object.etag)) throw cosError('PreconditionFailed');
  } else {
    const since = parseDate(c.ifUnmodifiedSince);
    if (since !== undefined && modified > since) throw cosError('PreconditionFailed');
  }
  if (c.ifNoneMatch !== undefined) {
    if (etagListMatches(c.ifNoneMatch, object.etag)) throw cosError(notModified, { headers: { etag: object.etag } });
  } else {
    const since = parseDate(c.ifModifiedSince);
    if (since !== undefined && modified <= since) throw cosError(notModified, { headers: { etag: object.etag } });
  }
}
