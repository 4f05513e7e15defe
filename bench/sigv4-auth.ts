// In-process cost of authentication per request, q-sign vs SigV4, for the SigV4 case: authenticate() on the
// headers each scheme's bench client sends, the S3 header view, and for PUT the 4 KiB body's payload check.
//
// Server CPU per request over HTTP moves by ±20 µs between identical halves when other work shares the
// two cores; this part of it (the only part that differs between the schemes) is steady to ~1 µs.
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { authenticate } from '../src/auth/authenticate.ts';
import type { KeyEntry, Keyring } from '../src/auth/keyring.ts';
import { isAwsChunked } from '../src/auth/payload.ts';
import { sha256Hex } from '../src/auth/sigv4/canonical.ts';
import { operationHeaders } from '../src/http/s3-headers.ts';
import { signV4 } from '../test/helpers/sigv4.ts';
import { authorization } from '../test/helpers/sign.ts';

const SECRET_ID = 'AKIDbench0000000000000000000000000001';
const SECRET_KEY = 'benchSecretKey000000000000000001';
const entry: KeyEntry = { secretKey: SECRET_KEY, principal: { kind: 'user', ownerUin: '100000000001', uin: '100000000001', appid: '1250000000', secretId: SECRET_ID } };
const keyring: Keyring = { find: async (id) => (id === SECRET_ID ? entry : undefined) };
const PATH = '/benchsigv4-1250000000/new/1000123';
const HOST = '127.0.0.1:45678';
const RUNS = 20_000;
const REPEATS = 7;

type Method = 'PUT' | 'GET';

/** What node's http client adds to the bench's own headers. */
const sent = (headers: Record<string, string>): Record<string, string> => ({ ...headers, connection: 'keep-alive' });

function qsignHeaders(method: Method, body: Buffer | undefined): Record<string, string> {
  const headers: Record<string, string> = { host: HOST, ...(body && { 'content-length': String(body.length) }) };
  return sent({ ...headers, authorization: authorization({ secretId: SECRET_ID, secretKey: SECRET_KEY, method, path: PATH, headers }) });
}

/** As bench/sigv4-case.ts signs: the body's SHA-256 and x-amz-checksum-crc32. */
function sigv4Headers(method: Method, body: Buffer | undefined): Record<string, string> {
  const headers: Record<string, string> = { host: HOST };
  if (body) {
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    headers['content-length'] = String(body.length);
    headers['x-amz-checksum-crc32'] = crc.toString('base64');
  }
  const payloadHash = sha256Hex(body ?? Buffer.alloc(0));
  return sent(signV4({ method, path: PATH, headers, payloadHash, identity: { secretId: SECRET_ID, secretKey: SECRET_KEY } }).headers);
}

/** Best of REPEATS runs of RUNS requests: µs of this thread's CPU per request. */
async function perRequest(method: Method, headers: Record<string, string>, body: Buffer | undefined): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  const one = async (): Promise<void> => {
    const raw = { ...headers };
    operationHeaders(raw, isAwsChunked(raw));
    const caller = await authenticate({ method, paths: [PATH], query: [], headers: raw, now }, keyring);
    const check = body && caller.wrapBody?.check?.();
    if (check && body) {
      check.update(body);
      await check.verify();
    }
  };
  for (let i = 0; i < RUNS; i++) await one();
  let best = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const before = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) await one();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / RUNS);
  }
  return best;
}

/** One line for the report: per-request authentication CPU, q-sign / SigV4, for the 4 KiB PUT and the GET. */
export async function authCostLine(): Promise<string> {
  const body = randomBytes(4096);
  const parts: string[] = [];
  for (const [method, payload] of [['PUT', body], ['GET', undefined]] as const) {
    const qsign = await perRequest(method, qsignHeaders(method, payload), payload);
    const sigv4 = await perRequest(method, sigv4Headers(method, payload), payload);
    parts.push(`${method} ${qsign.toFixed(1)} / ${sigv4.toFixed(1)} µs (SigV4 ${sigv4 >= qsign ? '+' : ''}${(sigv4 - qsign).toFixed(1)})`);
  }
  return `Authentication alone, in process (authenticate(), S3 header view, PUT payload SHA-256 + CRC32 check), per request, q-sign / SigV4: ${parts.join(', ')}.`;
}
