// Decides who signed a request: a user principal, anonymous, or a COS authentication error (spec/signature.md §5).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { CompiledPolicy } from '../authz/policy/compile.ts';
import { ANONYMOUS, type Principal } from '../domain/identity.ts';
import { cosError } from '../errors/cos-error.ts';
import type { KeyEntry, Keyring } from './keyring.ts';
import { hasQueryAuth, parseAuthorizationHeader, parseQueryAuth } from './qsign/parse.ts';
import { verifyQSign } from './qsign/verify.ts';

export interface AuthRequest {
  method: string;
  /** Decoded paths the client may have signed, see routing's signedPaths(). */
  paths: readonly string[];
  query: ReadonlyArray<readonly [string, string]>;
  headers: Readonly<Record<string, string | undefined>>;
  /** Epoch seconds, injected so the window checks are testable. */
  now: number;
}

/** COS's clock-skew limit: 15 minutes (spec/signature.md §5 step 3). */
export const MAX_SKEW_SECONDS = 900;

const serverTime = (now: number): [string, string] => ['ServerTime', new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')];

/** Who signed the request; a temporary key also brings the session policy that bounds it. */
export interface Caller {
  principal: Principal;
  sessionPolicy?: CompiledPolicy;
}

const ANONYMOUS_CALLER: Caller = Object.freeze({ principal: ANONYMOUS });

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Step 5: a temporary key needs its own token (header or query; POST Object's form field), before its expiry. */
export function checkToken(entry: KeyEntry, req: AuthRequest): void {
  const t = entry.temporary;
  if (!t) return;
  const sent = req.headers['x-cos-security-token'] ?? req.query.find(([name]) => name === 'x-cos-security-token')?.[1];
  // Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first differing byte.
  if (sent === undefined || !timingSafeEqual(digest(sent), digest(t.token))) {
    // Undocumented; AccessDenied is what COS answers for a foreign token [recommended].
    throw cosError('AccessDenied', {
      message: 'The x-cos-security-token is missing or does not belong to this temporary SecretId.',
      detail: `temporary key ${entry.principal.secretId}: ${sent === undefined ? 'no' : 'wrong'} security token`,
    });
  }
  if (req.now > t.expiresAt) throw cosError('ExpiredToken', { detail: `temporary key ${entry.principal.secretId} expired at ${t.expiresAt}` });
}

export async function authenticate(req: AuthRequest, keyring: Keyring): Promise<Caller> {
  // An empty Authorization header is anonymous: the Python SDK sends one with Anonymous=True.
  const header = req.headers['authorization']?.trim();
  const fromHeader = header !== undefined && header !== '';
  if (!fromHeader && !hasQueryAuth(req.query)) return ANONYMOUS_CALLER;

  const parsed = fromHeader ? parseAuthorizationHeader(header) : parseQueryAuth(req.query);
  if (!parsed.ok) {
    // COS does not document this case; AccessDenied is what any client handles [recommended].
    throw cosError('AccessDenied', { message: `Invalid Authorization: ${parsed.reason}`, detail: parsed.reason });
  }
  const q = parsed.qsign;
  if (req.now > q.end) {
    // The Node SDK keys its clock-skew correction on exactly this Code + Message pair.
    throw cosError('AccessDenied', { message: 'Request has expired', fields: [serverTime(req.now)] });
  }
  if (q.start > req.now + MAX_SKEW_SECONDS) {
    throw cosError('RequestTimeTooSkewed', { fields: [serverTime(req.now)] });
  }
  if (q.start > q.end) throw cosError('AccessDenied', { message: 'Invalid Authorization: start time after end time' });

  const entry = await keyring.find(q.ak);
  if (!entry) throw cosError('InvalidAccessKeyId', { detail: `unknown q-ak ${q.ak}` });
  checkToken(entry, req);

  // q-* fields are never part of HttpParameters unless listed, which the url-param list already says.
  const result = verifyQSign(q, entry.secretKey, { method: req.method, paths: req.paths, query: req.query, headers: req.headers });
  if (!result.ok) {
    throw cosError('SignatureDoesNotMatch', {
      fields: [
        ['StringToSign', result.stringToSign],
        ['FormatString', result.formatString],
      ],
    });
  }
  const sessionPolicy = entry.temporary?.sessionPolicy;
  return sessionPolicy ? { principal: entry.principal, sessionPolicy } : { principal: entry.principal };
}
