// Parses a SigV4 signature from the Authorization header or a presigned URL's X-Amz-* query parameters.
import { ALGORITHM } from './canonical.ts';

export interface SigV4 {
  accessKeyId: string;
  /** Scope date, `yyyymmdd`. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** `yyyymmddThhmmssZ`: x-amz-date (or Date) for the header form, X-Amz-Date for presigned URLs. */
  amzDate: string;
  /** Epoch seconds of amzDate. */
  time: number;
  /** Presigned URLs only: seconds the URL stays valid. */
  expires?: number;
}

export type SigV4Parse = { ok: true; sigv4: SigV4 } | { ok: false; reason: string };

/** A presigned URL lives at most 7 days (X-Amz-Expires 604800). */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SCOPE_DATE = /^\d{8}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

/** `yyyymmddThhmmssZ` -> epoch seconds; an HTTP date (Date header) is accepted too and rewritten. */
export function parseAmzDate(value: string): { amzDate: string; time: number } | undefined {
  const m = AMZ_DATE.exec(value);
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    return Number.isNaN(ms) ? undefined : { amzDate: value, time: ms / 1000 };
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/GMT$/.test(value)) return undefined;
  return { amzDate: new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, ''), time: ms / 1000 };
}

export const isSigV4Header = (value: string): boolean => value.startsWith(`${ALGORITHM} `);

export const hasSigV4Query = (query: ReadonlyArray<readonly [string, string]>): boolean => query.some(([name]) => name === 'X-Amz-Algorithm');

/**
 * The checks both forms share. Written as plain loops and one object literal: this runs for every
 * SigV4 request, and the spreads and intermediate arrays it replaced cost a few µs each time.
 */
function finish(credential: string, signedHeaders: string, signature: string, date: string | undefined, expires?: number): SigV4Parse {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return { ok: false, reason: `Credential must be <key>/<date>/<region>/<service>/aws4_request: ${credential}` };
  const [accessKeyId = '', scopeDate = '', region = '', service = ''] = parts;
  if (accessKeyId === '' || !SCOPE_DATE.test(scopeDate) || region === '') return { ok: false, reason: `malformed Credential ${credential}` };
  if (service !== 's3') return { ok: false, reason: `service must be s3, not ${service}` };
  if (!SIGNATURE.test(signature)) return { ok: false, reason: 'Signature must be 64 lower-case hex digits' };
  const names = signedHeaders.split(';');
  for (const h of names) if (h === '' || h !== h.toLowerCase()) return { ok: false, reason: `malformed SignedHeaders ${signedHeaders}` };
  if (date === undefined) return { ok: false, reason: 'missing x-amz-date' };
  const when = parseAmzDate(date);
  if (!when) return { ok: false, reason: `malformed date ${date}` };
  if (!when.amzDate.startsWith(scopeDate)) return { ok: false, reason: `Credential date ${scopeDate} is not the date of ${when.amzDate}` };
  const sigv4: SigV4 = { accessKeyId, date: scopeDate, region, service, signedHeaders: names, signature, amzDate: when.amzDate, time: when.time };
  if (expires !== undefined) sigv4.expires = expires;
  return { ok: true, sigv4 };
}

/** `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` (commas, optional spaces; a repeated field's last value counts). */
export function parseSigV4Header(value: string, headers: Readonly<Record<string, string | undefined>>): SigV4Parse {
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (let at = ALGORITHM.length; at <= value.length; ) {
    const comma = value.indexOf(',', at);
    const end = comma < 0 ? value.length : comma;
    const eq = value.indexOf('=', at);
    if (eq > at && eq < end) {
      const field = value.slice(eq + 1, end).trim();
      switch (value.slice(at, eq).trim()) {
        case 'Credential':
          credential = field;
          break;
        case 'SignedHeaders':
          signedHeaders = field;
          break;
        case 'Signature':
          signature = field;
          break;
      }
    }
    at = end + 1;
  }
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    const missing = [credential === undefined && 'Credential', signedHeaders === undefined && 'SignedHeaders', signature === undefined && 'Signature'].filter(Boolean);
    return { ok: false, reason: `missing ${missing.join(', ')}` };
  }
  return finish(credential, signedHeaders, signature, headers['x-amz-date'] ?? headers['date']);
}

export function parseSigV4Query(query: ReadonlyArray<readonly [string, string]>): SigV4Parse {
  const get = (name: string): string | undefined => query.find(([n]) => n === name)?.[1];
  const algorithm = get('X-Amz-Algorithm');
  if (algorithm !== ALGORITHM) return { ok: false, reason: `X-Amz-Algorithm must be ${ALGORITHM}` };
  const missing = ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'].filter((n) => get(n) === undefined);
  if (missing.length > 0) return { ok: false, reason: `missing ${missing.join(', ')}` };
  // Any integer parses: one outside 1..MAX_PRESIGN_SECONDS is AccessDenied when the time is checked.
  const expires = get('X-Amz-Expires') ?? '';
  if (!/^-?\d{1,7}$/.test(expires)) return { ok: false, reason: `X-Amz-Expires must be a number of seconds: ${expires}` };
  const date = get('X-Amz-Date') ?? '';
  if (!AMZ_DATE.test(date)) return { ok: false, reason: `X-Amz-Date must be yyyymmddThhmmssZ: ${date}` };
  return finish(get('X-Amz-Credential') ?? '', get('X-Amz-SignedHeaders') ?? '', get('X-Amz-Signature') ?? '', date, Number(expires));
}
