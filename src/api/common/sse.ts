// The server-side encryption steps object operations share: the seal a write encrypts with, the key a
// read decrypts with, and the headers replies carry (domain/encryption.ts has the rules).
import type { Bucket } from '../../domain/bucket.ts';
import type { Upload } from '../../domain/upload.ts';
import { cosError } from '../../errors/cos-error.ts';
import {
  bucketDefaultSse,
  customerKeyMatches,
  openingKey,
  requestedSse,
  schemeFor,
  sseHeaders,
  type Encryption,
  type RequestedSse,
  type SseScheme,
} from '../../domain/encryption.ts';
import type { Seal } from '../../storage/object-content.ts';
import type { RequestContext } from '../operation.ts';

/** What a new object's (or upload's) headers (POST Object: form fields) ask for, else the bucket's default encryption. */
export const writeSse = (headers: Readonly<Record<string, string | undefined>>, bucket: Bucket): RequestedSse | undefined =>
  requestedSse(headers) ?? bucketDefaultSse(bucket);

/** The key bytes under `scheme` are encrypted with: the server's for SSE-COS, the request's own for SSE-C. */
const keyFor = (ctx: RequestContext, requested: RequestedSse): Buffer => (requested.kind === 'cos' ? ctx.serverKey : requested.key);

/** The seal a write asked to encrypt with, recorded under a fresh scheme; undefined: stored as sent. */
export function sealFor(ctx: RequestContext, requested: RequestedSse | undefined): Seal | undefined {
  return requested && { key: keyFor(ctx, requested), scheme: schemeFor(requested) };
}

/**
 * The key that decrypts bytes encrypted as `encryption` says, once the request's customer key (`sent`)
 * is the right one (domain/encryption.ts openingKey); undefined for bytes stored as sent.
 */
export function contentKey(ctx: RequestContext, encryption: Encryption | undefined, sent: RequestedSse | undefined): Buffer | undefined {
  const customerKey = openingKey(encryption?.scheme, sent);
  return encryption && (customerKey ?? ctx.serverKey);
}

/** The reply headers for bytes under `scheme`, echoing the MD5 of the customer key the request sent. */
export const sseReplyHeaders = (scheme: SseScheme | undefined, sent: RequestedSse | undefined): Record<string, string> =>
  sseHeaders(scheme, sent?.kind === 'customer' ? sent.keyMd5 : undefined);

/**
 * The seal of a part of `upload`: the upload's scheme, with the server's key or, for SSE-C, the key the
 * part request must send again - the one Initiate was given (S3's answers for a missing or another key).
 */
export function partSeal(ctx: RequestContext, upload: Upload, sent: RequestedSse | undefined): Seal | undefined {
  const scheme = upload.encryption;
  if (scheme?.kind !== 'customer') {
    if (sent) throw cosError('InvalidRequest', { message: 'The multipart upload initiate did not request encryption with customer-provided keys.' });
    return scheme && { key: ctx.serverKey, scheme };
  }
  if (sent?.kind !== 'customer') {
    throw cosError('InvalidRequest', {
      message: 'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.',
    });
  }
  if (!customerKeyMatches(scheme, sent.key)) throw cosError('InvalidArgument', { message: 'The provided encryption parameters did not match the ones used originally.' });
  return { key: sent.key, scheme };
}
