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

/** `yyyymmddThhmmssZ` -> epoch seconds; an HTTP date (Date header) is accepted too and rewritten. */
export function parseAmzDate(value: string): { amzDate: string; time: number } | undefined {
  const m = AMZ_DATE.exec(value);
  if (m) {
    const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    return Number.isNaN(ms) ? undefined : { amzDate: value, time: ms / 1000 };
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/GMT$/.test(value)) return undefined;
  return { amzDate: new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, ''), time: ms / 1000 };
}

export const isSigV4Header = (value: string): boolean => value.startsWith(`${ALGORITHM} `);

export const hasSigV4Query = (query: ReadonlyArray<readonly [string, string]>): boolean => query.some(([name]) => name === 'X-Amz-Algorithm');

function credential(value: string): Pick<SigV4, 'accessKeyId' | 'date' | 'region' | 'service'> | string {
  const parts = value.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return `Credential must be <key>/<date>/<region>/<service>/aws4_request: ${value}`;
  const [accessKeyId = '', date = '', region = '', service = ''] = parts;
  if (accessKeyId === '' || !/^\d{8}$/.test(date) || region === '') return `malformed Credential ${value}`;
  if (service !== 's3') return `service must be s3, not ${service}`;
  return { accessKeyId, date, region, service };
}

function finish(
  fields: { credential: string; signedHeaders: string; signature: string; date: string | undefined },
  expires?: number,
): SigV4Parse {
  const cred = credential(fields.credential);
  if (typeof cred === 'string') return { ok: false, reason: cred };
  if (!/^[0-9a-f]{64}$/.test(fields.signature)) return { ok: false, reason: 'Signature must be 64 lower-case hex digits' };
  const signedHeaders = fields.signedHeaders.split(';');
  if (signedHeaders.some((h) => h === '' || h !== h.toLowerCase())) return { ok: false, reason: `malformed SignedHeaders ${fields.signedHeaders}` };
  if (fields.date === undefined) return { ok: false, reason: 'missing x-amz-date' };
  const when = parseAmzDate(fields.date);
  if (!when) return { ok: false, reason: `malformed date ${fields.date}` };
  if (!when.amzDate.startsWith(cred.date)) return { ok: false, reason: `Credential date ${cred.date} is not the date of ${when.amzDate}` };
  return { ok: true, sigv4: { ...cred, signedHeaders, signature: fields.signature, ...when, ...(expires !== undefined && { expires }) } };
}

/** `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` (commas, optional spaces). */
export function parseSigV4Header(value: string, headers: Readonly<Record<string, string | undefined>>): SigV4Parse {
  const fields = new Map<string, string>();
  for (const item of value.slice(ALGORITHM.length).split(',')) {
    const eq = item.indexOf('=');
    if (eq > 0) fields.set(item.slice(0, eq).trim(), item.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((f) => !fields.has(f));
  if (missing.length > 0) return { ok: false, reason: `missing ${missing.join(', ')}` };
  return finish({
    credential: fields.get('Credential') ?? '',
    signedHeaders: fields.get('SignedHeaders') ?? '',
    signature: fields.get('Signature') ?? '',
    date: headers['x-amz-date'] ?? headers['date'],
  });
}

export function parseSigV4Query(query: ReadonlyArray<readonly [string, string]>): SigV4Parse {
  const get = (name: string): string | undefined => query.find(([n]) => n === name)?.[1];
  const algorithm = get('X-Amz-Algorithm');
  if (algorithm !== ALGORITHM) return { ok: false, reason: `X-Amz-Algorithm must be ${ALGORITHM}` };
  const missing = ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'].filter((n) => get(n) === undefined);
  if (missing.length > 0) return { ok: false, reason: `missing ${missing.join(', ')}` };
  const expires = get('X-Amz-Expires') ?? '';
  if (!/^\d{1,7}$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_PRESIGN_SECONDS) {
    return { ok: false, reason: `X-Amz-Expires must be between 1 and ${MAX_PRESIGN_SECONDS} seconds` };
  }
  const date = get('X-Amz-Date') ?? '';
  if (!AMZ_DATE.test(date)) return { ok: false, reason: `X-Amz-Date must be yyyymmddThhmmssZ: ${date}` };
  return finish(
    { credential: get('X-Amz-Credential') ?? '', signedHeaders: get('X-Amz-SignedHeaders') ?? '', signature: get('X-Amz-Signature') ?? '', date },
    Number(expires),
  );
}
