// Verifies an AWS Signature Version 2 against the request, in the forms S3 clients sign it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalResource, stringToSign, type StringToSignParts } from './canonical.ts';
import type { SigV2 } from './parse.ts';

export interface SigV2Request {
  method: string;
  /** Lower-cased header name -> value, as received. */
  headers: Readonly<Record<string, string | undefined>>;
  query: ReadonlyArray<readonly [string, string]>;
  /** `/bucket/key` percent-encoded as sent, most likely first (canonical.ts resourcePaths). */
  resourcePaths: readonly string[];
}

export type SigV2Result = { ok: true } | { ok: false; stringToSign: string };

/** Whether `provided` is HMAC-SHA1(secretKey, toSign), compared in constant time: SigV2's and S3's SigV2 form signature. */
export function sha1SignatureMatches(secretKey: string, toSign: string, provided: Buffer): boolean {
  const expected = createHmac('sha1', secretKey).update(toSign, 'utf8').digest();
  return provided.length === expected.length && timingSafeEqual(provided, expected);
}

/**
 * The strings a client may have signed. A presigned URL signs Expires in the Date line and may
 * carry x-amz-* values in its query (botocore moves them there). With x-amz-date, AWS's text says the
 * Date line is empty and x-amz-date is signed among the amz headers (botocore, boto, Ceph), while its
 * worked DELETE example puts the x-amz-date value in the Date line instead; both sign the same facts.
 */
function candidates(sig: SigV2, req: SigV2Request, resource: string): string[] {
  const amz = Object.entries(req.headers).flatMap(([name, value]) => (value !== undefined && name.startsWith('x-amz-') ? [[name, value] as const] : []));
  const parts: Omit<StringToSignParts, 'date' | 'amzHeaders'> = {
    method: req.method,
    contentMd5: req.headers['content-md5'] ?? '',
    contentType: req.headers['content-type'] ?? '',
    resource,
  };
  if (sig.expires) {
    const hoisted = req.query.filter(([name]) => name.toLowerCase().startsWith('x-amz-'));
    return [stringToSign({ ...parts, date: sig.expires.text, amzHeaders: [...amz, ...hoisted] })];
  }
  const amzDate = req.headers['x-amz-date'];
  if (amzDate === undefined) return [stringToSign({ ...parts, date: req.headers['date'] ?? '', amzHeaders: amz })];
  return [
    stringToSign({ ...parts, date: '', amzHeaders: amz }),
    stringToSign({ ...parts, date: amzDate, amzHeaders: amz.filter(([name]) => name !== 'x-amz-date') }),
  ];
}

export function verifySigV2(sig: SigV2, secretKey: string, req: SigV2Request): SigV2Result {
  const provided = Buffer.from(sig.signature, 'base64');
  const strings = req.resourcePaths.flatMap((path) => candidates(sig, req, canonicalResource(path, req.query)));
  for (const toSign of strings) if (sha1SignatureMatches(secretKey, toSign, provided)) return { ok: true };
  return { ok: false, stringToSign: strings[0] ?? '' };
}
