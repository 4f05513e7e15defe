// Decides who signed a request: a user principal, anonymous, or an authentication error; COS q-sign and AWS SigV4 alike.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { CompiledPolicy } from '../authz/policy/compile.ts';
import type { ApiDialect } from '../domain/api-dialect.ts';
import { ANONYMOUS, type Principal } from '../domain/identity.ts';
import { cosError, type CosError } from '../errors/cos-error.ts';
import { isQSignString, parseCosV4Sign, type CosV4Parse } from './cosv4/parse.ts';
import type { SingleUseLedger } from './cosv4/single-use.ts';
import { cosV4Refusal, verifyCosV4 } from './cosv4/verify.ts';
import type { KeyEntry, Keyring } from './keyring.ts';
import { bodyVerifier, isAwsChunked, UNSIGNED_PAYLOAD, type BodyWrap } from './payload.ts';
import { hasQueryAuth, parseAuthorizationHeader, parseQueryAuth } from './qsign/parse.ts';
import { verifyQSign } from './qsign/verify.ts';
import { hasSigV2Query, isSigV2Header, parseRequestTime, parseSigV2Header, parseSigV2Query, type SigV2, type SigV2Parse } from './sigv2/parse.ts';
import { resourcePaths } from './sigv2/canonical.ts';
import { verifySigV2 } from './sigv2/verify.ts';
import { hasSigV4Query, isSigV4Header, MAX_PRESIGN_SECONDS, parseSigV4Header, parseSigV4Query, type SigV4 } from './sigv4/parse.ts';
import { verifySigV4, type SigningChain } from './sigv4/verify.ts';
import { refuseUncovered, unsignedPresignHeaders, unsignedSigV4Headers, unsignedSubresources } from './unsigned.ts';
import { verifyBound, type PathsToVerify } from './binding.ts';
import type { Route } from '../routing/resolve.ts';

export interface AuthRequest extends PathsToVerify {
  method: string;
  query: ReadonlyArray<readonly [string, string]>;
  /** Headers exactly as received (lower-cased names): signatures cover these, not any rewritten form. */
  headers: Readonly<Record<string, string | undefined>>;
  /** Epoch seconds, injected so the window checks are testable. */
  now: number;
  /** What the request addresses; SigV2 and the legacy V4 `sign=` refuse a request without it (the admin endpoint). */
  target?: AuthTarget;
}

/**
 * For the schemes whose signature names bucket and key outside a signed path; `rawPath` is the path as
 * sent, from which SigV2 builds the `/bucket/key` it signs (sigv2/canonical.ts resourcePaths).
 */
export interface AuthTarget {
  route: Pick<Route, 'style' | 'bucket' | 'key'>;
  rawPath: string;
}

export interface AuthOptions {
  /** Refuse what real COS refuses on its S3 endpoint (aws-chunked bodies); see config `--strict-cos-s3`. */
  strictCosS3: boolean;
  /** Accept signatures that do not bind the bucket (config `--allow-unbound-signatures`; the caller logs each one). */
  allowUnboundSignatures?: boolean;
  /** Where single-use legacy V4 signatures are remembered; without it they are refused. */
  singleUse?: SingleUseLedger;
}

/** Who signed the request; a temporary key also brings the session policy that bounds it. */
export interface Caller {
  principal: Principal;
  sessionPolicy?: CompiledPolicy;
  /** Signed with a temporary key (which may not mint further keys). */
  temporary?: true;
  /** The signature would fit another bucket just as well; accepted because `allowUnboundSignatures` is on. */
  unbound?: true;
}

export interface Authenticated extends Caller {
  /** Which scheme signed the request; S3 schemes get S3-shaped replies (dialectOf). */
  scheme: 'anonymous' | 'qsign' | 'cosv4' | 'sigv4' | 'sigv2';
  /** Wraps the raw body when it must be decoded or verified as it streams (aws-chunked, x-amz-content-sha256, checksums). */
  wrapBody: BodyWrap | undefined;
}

/** Which API a request speaks: S3-signed requests get S3's shapes (ids, XML namespace, group URIs, storage class names). */
export const dialectOf = (scheme: Authenticated['scheme']): ApiDialect => (scheme === 'sigv4' || scheme === 'sigv2' ? 's3' : 'cos');

/** COS's clock-skew limit: 15 minutes (spec/signature.md §5 step 3); S3 uses the same. */
export const MAX_SKEW_SECONDS = 900;

const isoSeconds = (now: number): string => new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const serverTime = (now: number): [string, string] => ['ServerTime', isoSeconds(now)];

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Step 5: a temporary key needs its own token (header or query; POST Object's form field), before its
 * expiry. S3 clients send it as X-Amz-Security-Token (header, or query in presigned URLs).
 */
export function checkToken(entry: KeyEntry, req: AuthRequest): void {
  const t = entry.temporary;
  if (!t) return;
  const fromQuery = (name: string): string | undefined => req.query.find(([n]) => n === name)?.[1];
  const sent =
    req.headers['x-cos-security-token'] ?? fromQuery('x-cos-security-token') ?? req.headers['x-amz-security-token'] ?? fromQuery('X-Amz-Security-Token');
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

/** The caller a verified key stands for, with its session policy if it is a temporary key. */
function callerOf(entry: KeyEntry): Caller {
  const t = entry.temporary;
  if (!t) return { principal: entry.principal };
  return { principal: entry.principal, temporary: true, ...(t.sessionPolicy && { sessionPolicy: t.sessionPolicy }) };
}

export async function authenticate(req: AuthRequest, keyring: Keyring, options: AuthOptions = { strictCosS3: false }): Promise<Authenticated> {
  if (options.strictCosS3 && isAwsChunked(req.headers)) {
    // COS's S3 endpoint does not decode aws-chunked bodies; S3 SDKs must disable chunked encoding there.
    throw cosError('NotImplemented', { message: 'Transferring payloads in multiple chunks using aws-chunked is not supported.' });
  }
  // An empty Authorization header is anonymous: the Python SDK sends one with Anonymous=True.
  const header = req.headers['authorization']?.trim();
  const fromHeader = header !== undefined && header !== '';
  // Presigned query auth is checked before the header (STYLE.md §5).
  if (hasSigV4Query(req.query)) return authenticateSigV4(parseSigV4Query(req.query), req, keyring, options);
  if (hasSigV2Query(req.query)) return authenticateSigV2(parseSigV2Query(req.query), req, keyring);
  if (fromHeader && isSigV4Header(header)) return authenticateSigV4(parseSigV4Header(header, req.headers), req, keyring, options);
  if (fromHeader && isSigV2Header(header)) return authenticateSigV2(parseSigV2Header(header), req, keyring);
  // `sign=` carries a whole q-sign string or a legacy V4 signature (the Node SDK's getAuth/getV4Auth
  // download links); a request signed otherwise may have a parameter of that name of its own.
  const queryAuth = hasQueryAuth(req.query);
  const sign = fromHeader || queryAuth ? undefined : req.query.find(([name]) => name === 'sign')?.[1];
  if (sign !== undefined && !isQSignString(sign)) return authenticateCosV4(parseCosV4Sign(sign), req, keyring, options.singleUse);
  const signed = fromHeader || queryAuth || sign !== undefined;
  const caller = signed ? await authenticateQSign(header, req, keyring, options, sign) : { principal: ANONYMOUS };
  return { ...caller, scheme: signed ? 'qsign' : 'anonymous', wrapBody: bodyVerifier(req.headers, undefined) };
}

/** Header mode when there is an Authorization header; else presigned: `sign=`'s q-sign string, or the q-* query parameters. */
async function authenticateQSign(header: string | undefined, req: AuthRequest, keyring: Keyring, options: AuthOptions, sign?: string): Promise<Caller> {
  const presigned = header === undefined || header === '';
  const parsed = !presigned ? parseAuthorizationHeader(header) : sign !== undefined ? parseAuthorizationHeader(sign) : parseQueryAuth(req.query);
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
  const parts = { method: req.method, query: req.query, headers: req.headers };
  const { result, unbound } = verifyBound(req, q.headerList.includes('host'), options.allowUnboundSignatures, (paths) => verifyQSign(q, entry.secretKey, { ...parts, paths }));
  if (!result.ok) {
    throw cosError('SignatureDoesNotMatch', {
      fields: [
        ['StringToSign', result.stringToSign],
        ['FormatString', result.formatString],
      ],
    });
  }
  refuseUncovered(unsignedSubresources(req.query, q.urlParamList, presigned), 'query parameter', 'q-url-param-list');
  if (presigned) refuseUncovered(unsignedPresignHeaders(req.headers, q.headerList), 'header', 'q-header-list');
  return { ...callerOf(entry), ...(unbound && { unbound: true as const }) };
}

/** SigV4: a SecretId/SecretKey pair is also an AWS access key id / secret (issue #6). */
async function authenticateSigV4(parsed: ReturnType<typeof parseSigV4Query>, req: AuthRequest, keyring: Keyring, options: AuthOptions): Promise<Authenticated> {
  const presigned = hasSigV4Query(req.query);
  if (!parsed.ok) {
    throw presigned
      ? cosError('AuthorizationQueryParametersError', { message: `Error parsing the X-Amz-* query parameters: ${parsed.reason}`, detail: parsed.reason })
      : cosError('AuthorizationHeaderMalformed', { message: `The authorization header is malformed; ${parsed.reason}`, detail: parsed.reason });
  }
  const sig = parsed.sigv4;
  checkSigV4Time(sig, req.now);
  if (!sig.signedHeaders.includes('host')) {
    throw cosError(presigned ? 'AuthorizationQueryParametersError' : 'AuthorizationHeaderMalformed', { message: 'SignedHeaders must include host.' });
  }
  const entry = await keyring.find(sig.accessKeyId);
  if (!entry) throw cosError('InvalidAccessKeyId', { fields: [['AWSAccessKeyId', sig.accessKeyId]] });
  checkToken(entry, req);
  // A header signature signs x-amz-content-sha256; a presigned URL UNSIGNED-PAYLOAD unless it carries a hash (header or query).
  const hoisted = presigned ? (req.query.find(([name]) => name === 'X-Amz-Content-Sha256')?.[1] ?? UNSIGNED_PAYLOAD) : undefined;
  const payloadHash = req.headers['x-amz-content-sha256'] ?? hoisted;
  if (payloadHash === undefined) throw cosError('InvalidRequest', { message: 'Missing required header for this request: x-amz-content-sha256' });
  const parts = { method: req.method, query: req.query, headers: req.headers, payloadHash };
  // SignedHeaders always holds host (checked above), so the virtual host binds the bucket.
  const { result, unbound } = verifyBound(req, true, options.allowUnboundSignatures, (paths) => verifySigV4(sig, entry.secretKey, { ...parts, paths }));
  if (!result.ok) throw s3SignatureMismatch(sig.accessKeyId, sig.signature, result.stringToSign, [['CanonicalRequest', result.canonicalRequest]]);
  refuseUnsignedHeaders(unsignedSigV4Headers(req.headers, sig.signedHeaders));
  const chain: SigningChain | undefined = presigned ? undefined : result.chain;
  return { ...callerOf(entry), ...(unbound && { unbound: true as const }), scheme: 'sigv4', wrapBody: bodyVerifier(req.headers, chain) };
}

/** S3's answer to headers a signature leaves out. */
function refuseUnsignedHeaders(names: readonly string[]): void {
  if (names.length > 0) throw cosError('AccessDenied', { message: 'There were headers present in the request which were not signed', fields: [['HeadersNotSigned', names.join(', ')]] });
}

/** S3's SignatureDoesNotMatch, with the fields S3 puts beside it. */
function s3SignatureMismatch(accessKeyId: string, signature: string, stringToSign: string, more: ReadonlyArray<readonly [string, string]> = []): CosError {
  return cosError('SignatureDoesNotMatch', {
    message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    fields: [['AWSAccessKeyId', accessKeyId], ['StringToSign', stringToSign], ['SignatureProvided', signature], ...more],
  });
}

function checkSigV4Time(sig: SigV4, now: number): void {
  if (sig.expires !== undefined) {
    // S3 answers 403, not a parse error (ceph s3-tests test_object_raw_get_x_amz_expires_out_*_range).
    if (sig.expires < 1 || sig.expires > MAX_PRESIGN_SECONDS) {
      throw cosError('AccessDenied', { message: `X-Amz-Expires must be between 1 and ${MAX_PRESIGN_SECONDS} seconds` });
    }
    if (now > sig.time + sig.expires) {
      throw cosError('AccessDenied', { message: 'Request has expired', fields: [['X-Amz-Expires', String(sig.expires)], ['Expires', isoSeconds(sig.time + sig.expires)], serverTime(now)] });
    }
    if (sig.time > now + MAX_SKEW_SECONDS) throw cosError('AccessDenied', { message: 'Request is not valid yet' });
    return;
  }
  if (Math.abs(now - sig.time) > MAX_SKEW_SECONDS) {
    throw cosError('RequestTimeTooSkewed', { fields: [['RequestTime', sig.amzDate], serverTime(now), ['MaxAllowedSkewMilliseconds', String(MAX_SKEW_SECONDS * 1000)]] });
  }
}

/**
 * AWS SigV2 (s3cmd, boto, s3-tests, presigned `AWSAccessKeyId`/`Expires`/`Signature` URLs). It signs
 * every x-amz-* header and the subresources (sigv2/canonical.ts); an x-cos-* header would act unsigned
 * (operations read x-amz-acl as x-cos-acl, an x-cos-* one first), so any is refused.
 */
async function authenticateSigV2(parsed: SigV2Parse, req: AuthRequest, keyring: Keyring): Promise<Authenticated> {
  if (!parsed.ok) {
    throw hasSigV2Query(req.query)
      ? cosError('AccessDenied', { message: parsed.reason, detail: parsed.reason })
      : cosError('InvalidArgument', { message: 'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature', detail: parsed.reason });
  }
  const sig = parsed.sigv2;
  checkSigV2Time(sig, req);
  const target = req.target;
  if (!target) throw cosError('AccessDenied', { message: 'AWS Signature Version 2 is not accepted here.' });
  refuseUnsignedHeaders(Object.keys(req.headers).filter((name) => name.startsWith('x-cos-')));
  const entry = await keyring.find(sig.accessKeyId);
  if (!entry) throw cosError('InvalidAccessKeyId', { fields: [['AWSAccessKeyId', sig.accessKeyId]] });
  checkToken(entry, req);
  const result = verifySigV2(sig, entry.secretKey, { method: req.method, headers: req.headers, query: req.query, resourcePaths: resourcePaths(target.route, target.rawPath) });
  if (!result.ok) throw s3SignatureMismatch(sig.accessKeyId, sig.signature, result.stringToSign);
  return { ...callerOf(entry), scheme: 'sigv2', wrapBody: bodyVerifier(req.headers, undefined) };
}

/** A presigned URL until its Expires; a header signature within the skew of x-amz-date, else Date. */
function checkSigV2Time(sig: SigV2, req: AuthRequest): void {
  if (sig.expires) {
    if (req.now > sig.expires.at) {
      throw cosError('AccessDenied', { message: 'Request has expired', fields: [['Expires', isoSeconds(sig.expires.at)], serverTime(req.now)] });
    }
    return;
  }
  const sent = req.headers['x-amz-date'] ?? req.headers['date'];
  const time = sent === undefined ? undefined : parseRequestTime(sent);
  if (sent === undefined || time === undefined) throw cosError('AccessDenied', { message: 'AWS authentication requires a valid Date or x-amz-date header' });
  if (Math.abs(req.now - time) > MAX_SKEW_SECONDS) {
    throw cosError('RequestTimeTooSkewed', { fields: [['RequestTime', sent], serverTime(req.now), ['MaxAllowedSkewMilliseconds', String(MAX_SKEW_SECONDS * 1000)]] });
  }
}

/**
 * The legacy V4 signature in `sign=` (cos.getV4Auth). It binds bucket and file but neither method nor
 * query, so cosV4Refusal holds it to reads of its file, or one DELETE when single-use (e = 0).
 */
async function authenticateCosV4(parsed: CosV4Parse, req: AuthRequest, keyring: Keyring, ledger: SingleUseLedger | undefined): Promise<Authenticated> {
  if (!parsed.ok) throw cosError('AccessDenied', { message: `Invalid sign: ${parsed.reason}`, detail: parsed.reason });
  const sign = parsed.sign;
  const singleUse = sign.expires === 0;
  // A single-use signature has no expiry of its own: it must be used within the skew of its signing time.
  const end = singleUse ? sign.signedAt + MAX_SKEW_SECONDS : sign.expires;
  if (req.now > end) throw cosError('AccessDenied', { message: 'Request has expired', fields: [serverTime(req.now)] });
  if (!singleUse && sign.expires < sign.signedAt) throw cosError('AccessDenied', { message: 'Invalid sign: e before t' });
  if (sign.signedAt > req.now + MAX_SKEW_SECONDS) throw cosError('RequestTimeTooSkewed', { fields: [serverTime(req.now)] });
  const entry = await keyring.find(sign.secretId);
  if (!entry) throw cosError('InvalidAccessKeyId', { detail: `unknown k ${sign.secretId}` });
  checkToken(entry, req);
  if (!verifyCosV4(sign, entry.secretKey)) throw cosError('SignatureDoesNotMatch', { detail: 'V4 sign= signature' });
  const target = req.target;
  const refusal = target ? cosV4Refusal(sign, { method: req.method, bucket: target.route.bucket, key: target.route.key, query: req.query }) : 'no target';
  if (refusal !== undefined) throw cosError('AccessDenied', { message: `The signature does not cover this request: ${refusal}`, detail: refusal });
  if (singleUse) {
    if (!ledger) throw cosError('AccessDenied', { message: 'Single-use signatures are not accepted here.' });
    if (!(await ledger.claim(sign.digest.toString('base64'), end, req.now))) throw cosError('AccessDenied', { message: 'This single-use signature has been used already.' });
  }
  return { ...callerOf(entry), scheme: 'cosv4', wrapBody: bodyVerifier(req.headers, undefined) };
}
