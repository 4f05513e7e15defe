// Reading a request off the wire: its target (path and raw query), its headers, and when to let its body come.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** `http://host:port` of an absolute-form request target. */
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * A server must accept the absolute form (`GET http://host/path`, RFC 9112 §3.2.2), which clients send
 * through a proxy (rclone's TencentCOS provider always addresses buckets virtual-hosted, so tests reach
 * `<bucket>.localhost` that way); what was signed is its path and query, the Host header its host.
 */
function originForm(target: string): string {
  const authority = ABSOLUTE_FORM.exec(target);
  if (!authority) return target;
  const rest = target.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** The request target's path and query string, both still percent-encoded as signed. */
export function requestTarget(req: IncomingMessage): { rawPath: string; rawQuery: string } {
  const target = originForm(req.url ?? '/');
  const queryAt = target.indexOf('?');
  return queryAt < 0 ? { rawPath: target, rawQuery: '' } : { rawPath: target.slice(0, queryAt), rawQuery: target.slice(queryAt + 1) };
}

/** Header name -> value; the few headers Node hands over as arrays (set-cookie) joined like the rest. */
export function singleValued(headers: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/**
 * A client that sent `Expect: 100-continue` holds its body back until told to go on (app.ts leaves that
 * to us): it is told when an operation first reads the body, so a request refused before that (403,
 * 404 ...) is answered at once and its body never sent, as S3 does (s3-tests test_100_continue).
 */
export function goAhead(req: IncomingMessage, res: ServerResponse): void {
  if (/^100-continue$/i.test(req.headers.expect ?? '')) res.writeContinue();
}
