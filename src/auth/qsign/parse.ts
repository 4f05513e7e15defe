// Parses the seven q-* fields of a COS signature, from the Authorization header or a presigned URL's query.

export interface QSign {
  algorithm: string;
  ak: string;
  signTime: string;
  keyTime: string;
  /** Window from q-sign-time, epoch seconds. */
  start: number;
  end: number;
  headerList: string[];
  urlParamList: string[];
  signature: string;
}

export type QSignParse = { ok: true; qsign: QSign } | { ok: false; reason: string };

const FIELDS = ['q-sign-algorithm', 'q-ak', 'q-sign-time', 'q-key-time', 'q-header-list', 'q-url-param-list', 'q-signature'] as const;
const TIME = /^(\d{1,12});(\d{1,12})$/;

/** The Authorization value is an unordered `&`-list of `key=value`, each split at its first `=` (spec/signature.md §1). */
export function parseAuthorizationHeader(value: string): QSignParse {
  const fields = new Map<string, string>();
  for (const item of value.trim().split('&')) {
    const eq = item.indexOf('=');
    if (eq > 0) fields.set(item.slice(0, eq).toLowerCase(), item.slice(eq + 1));
  }
  return fromFields(fields);
}

/** Query values are already decoded (`%3B` -> `;`) by the caller. */
export function parseQueryAuth(query: ReadonlyArray<readonly [string, string]>): QSignParse {
  const fields = new Map<string, string>();
  for (const [name, value] of query) {
    const lower = name.toLowerCase();
    if ((FIELDS as readonly string[]).includes(lower)) fields.set(lower, value);
  }
  return fromFields(fields);
}

export const hasQueryAuth = (query: ReadonlyArray<readonly [string, string]>): boolean =>
  query.some(([name]) => /^q-(sign-algorithm|ak|signature)$/i.test(name));

function fromFields(fields: Map<string, string>): QSignParse {
  const missing = FIELDS.filter((f) => !fields.has(f));
  if (missing.length > 0) return { ok: false, reason: `missing ${missing.join(', ')}` };
  const get = (f: (typeof FIELDS)[number]): string => fields.get(f) ?? '';
  const algorithm = get('q-sign-algorithm');
  if (algorithm.toLowerCase() !== 'sha1') return { ok: false, reason: `unsupported q-sign-algorithm ${algorithm}` };
  const signTime = get('q-sign-time');
  const keyTime = get('q-key-time');
  const window = TIME.exec(signTime);
  if (!window || !TIME.test(keyTime)) return { ok: false, reason: 'q-sign-time/q-key-time must be <start>;<end>' };
  const signature = get('q-signature');
  if (!/^[0-9a-fA-F]{40}$/.test(signature)) return { ok: false, reason: 'q-signature must be 40 hex digits' };
  const list = (v: string): string[] => v.split(';').filter(Boolean).map((n) => n.toLowerCase());
  return {
    ok: true,
    qsign: {
      algorithm,
      ak: get('q-ak'),
      signTime,
      keyTime,
      start: Number(window[1]),
      end: Number(window[2]),
      headerList: list(get('q-header-list')),
      urlParamList: list(get('q-url-param-list')),
      signature: signature.toLowerCase(),
    },
  };
}
