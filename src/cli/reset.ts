// `coslocal reset`: asks a running server, started with --allow-reset, to remove every bucket, object and
// upload and return identities to its seed. Over the admin endpoint, signed with a root key: the server
// holds its data (in memory, or a locked data directory), so only it can reset it.
import { authorization } from '../auth/qsign/sign.ts';
import { UsageError, type FlagSpec, type Flags } from './flags.ts';

export const RESET_SUMMARY = 'empty a running server (started with --allow-reset) back to its seed';

export const RESET_FLAGS: readonly FlagSpec[] = [
  { name: 'endpoint', value: 'URL', help: 'the server (default http://127.0.0.1:$COSLOCAL_PORT, else :9000)' },
  { name: 'secret-id', value: 'ID', help: "a root account's SecretId (default $COSLOCAL_SECRET_ID)" },
  { name: 'secret-key', value: 'KEY', help: 'its SecretKey (default $COSLOCAL_SECRET_KEY)' },
];

const RESET_PATH = '/_coslocal/v1/reset';

export async function resetServer(f: Flags, env: NodeJS.ProcessEnv): Promise<unknown> {
  const endpoint = f.get('endpoint') ?? `http://127.0.0.1:${env['COSLOCAL_PORT'] || '9000'}`;
  let url: URL;
  try {
    url = new URL(RESET_PATH, endpoint);
  } catch {
    throw new UsageError(`bad --endpoint ${endpoint}: a URL such as http://127.0.0.1:9000`);
  }
  const secretId = f.get('secret-id') ?? env['COSLOCAL_SECRET_ID'];
  const secretKey = f.get('secret-key') ?? env['COSLOCAL_SECRET_KEY'];
  if (!secretId || !secretKey) throw new UsageError('a root key is required: --secret-id and --secret-key, or COSLOCAL_SECRET_ID and COSLOCAL_SECRET_KEY');
  const signed = authorization({ secretId, secretKey, method: 'POST', path: RESET_PATH, headers: { host: url.host } });
  const res = await fetch(url, { method: 'POST', headers: { authorization: signed } }).catch((error: unknown) => {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, a bad certificate) is its cause.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new Error(`cannot reach ${url.origin}: ${cause}`);
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url.origin} answered ${res.status} without JSON: is it coslocal?`);
  }
  if (!res.ok) {
    const { code, message } = body as { code?: string; message?: string };
    throw new Error(`${url.origin} refused the reset: ${res.status} ${code ?? ''}: ${message ?? text}`);
  }
  return body;
}
