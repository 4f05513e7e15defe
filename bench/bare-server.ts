// The baseline: a bare node:http object server doing the least a durable store must, run as its own process.
//
//   node --import tsx bench/bare-server.ts --port N --host 127.0.0.1 --dir DIR
//
// It ignores authentication (the load generator still signs every request, so client cost is the same)
// and understands just enough of the path-style COS API for the benchmark:
//
//   PUT /<bucket>/        200, nothing stored (buckets are not modelled)
//   PUT /<bucket>/<key>   streams the body to DIR/tmp/<n>, fsync(file), rename to DIR/objects/<encoded key>.
//                         Durability: the same per-object file fsync + rename coslocal does, but WITHOUT the
//                         directory fsync after the rename (coslocal groups those across concurrent requests)
//                         and without any metadata commit or hashing (coslocal also computes MD5 + CRC-64 and
//                         commits a SQLite row with a grouped WAL fsync). So this is a lower bound on the work.
//                         One difference favours coslocal: the rename frees an overwritten key's old file
//                         before replying (~0.5 s per GiB on this disk), coslocal frees it after the reply.
//   GET /<bucket>/<key>   stat + stream the file back (fs.createReadStream) with Content-Length (404 if absent).
//   GET /<bucket>/?...    a ListBucketResult of up to max-keys (≤ 1000) keys after `marker` under `prefix`,
//                         taken from an in-memory sorted array of the keys PUT so far (sizes and mtimes in a
//                         Map), rendered as minimal XML (Key, LastModified, ETag, Size per entry). No disk I/O.
//                         With list-type=2 the same after `start-after`, with KeyCount; with ?versions a
//                         ListVersionsResult after `key-marker`, every key one `null` version.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

interface Entry {
  size: number;
  mtime: number;
}

function arg(name: string, fallback?: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? process.argv[at + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

const port = Number(arg('port'));
const host = arg('host', '127.0.0.1');
const dir = arg('dir');
const tmpDir = join(dir, 'tmp');
const objectsDir = join(dir, 'objects');

/** Keys in ascending (UTF-16, fine for the ASCII keys the bench uses) order, for LIST. */
const keys: string[] = [];
const entries = new Map<string, Entry>();
let tmpCounter = 0;

function lowerBound(key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] ?? '') < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const filePath = (key: string): string => join(objectsDir, encodeURIComponent(key));

function reply(res: ServerResponse, status: number, body = '', type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function putObject(req: IncomingMessage, res: ServerResponse, key: string): Promise<void> {
  const tmp = join(tmpDir, String(++tmpCounter));
  try {
    let size = 0;
    req.on('data', (chunk: Buffer) => (size += chunk.length));
    // flush: fsync(fd) before the stream closes its file, so the bytes are on disk before the rename.
    await pipeline(req, createWriteStream(tmp, { flags: 'wx', flush: true }));
    await rename(tmp, filePath(key));
    if (!entries.has(key)) keys.splice(lowerBound(key), 0, key);
    entries.set(key, { size, mtime: Date.now() });
    reply(res, 200);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

async function getObject(res: ServerResponse, key: string): Promise<void> {
  const path = filePath(key);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    reply(res, 404, 'NoSuchKey');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
  // fs.createReadStream, as coslocal uses (a FileHandle's stream reads through promises and is slower).
  await pipeline(createReadStream(path), res);
}

const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The three listings the bench compares: GET Bucket, ListObjectsV2 (list-type=2), GET Bucket Object versions (?versions). */
type Listing = 'v1' | 'v2' | 'versions';

function listObjects(res: ServerResponse, bucket: string, params: URLSearchParams): void {
  const listing: Listing = params.has('versions') ? 'versions' : params.get('list-type') === '2' ? 'v2' : 'v1';
  const prefix = params.get('prefix') ?? '';
  const marker = params.get({ v1: 'marker', v2: 'start-after', versions: 'key-marker' }[listing]) ?? '';
  const maxKeys = Math.min(1000, Number(params.get('max-keys') ?? '1000'));
  let i = marker > prefix ? lowerBound(marker) : lowerBound(prefix);
  if (keys[i] === marker) i++;
  const parts: string[] = [];
  let last = '';
  while (parts.length < maxKeys && i < keys.length && (keys[i] ?? '').startsWith(prefix)) {
    last = keys[i] ?? '';
    const entry = entries.get(last);
    const fields =
      `<Key>${escapeXml(last)}</Key>${listing === 'versions' ? '<VersionId>null</VersionId><IsLatest>true</IsLatest>' : ''}` +
      `<LastModified>${new Date(entry?.mtime ?? 0).toISOString()}</LastModified><ETag>"-"</ETag><Size>${entry?.size ?? 0}</Size>`;
    parts.push(listing === 'versions' ? `<Version>${fields}</Version>` : `<Contents>${fields}</Contents>`);
    i++;
  }
  const truncated = i < keys.length && (keys[i] ?? '').startsWith(prefix);
  const next = !truncated
    ? ''
    : { v1: `<NextMarker>${escapeXml(last)}</NextMarker>`, v2: `<NextContinuationToken>${Buffer.from(last).toString('base64url')}</NextContinuationToken>`, versions: `<NextKeyMarker>${escapeXml(last)}</NextKeyMarker><NextVersionIdMarker>null</NextVersionIdMarker>` }[listing];
  const root = listing === 'versions' ? 'ListVersionsResult' : 'ListBucketResult';
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${root}><Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix>` +
    `<Marker>${escapeXml(marker)}</Marker><MaxKeys>${maxKeys}</MaxKeys>${listing === 'v2' ? `<KeyCount>${parts.length}</KeyCount>` : ''}<IsTruncated>${truncated}</IsTruncated>` +
    `${next}${parts.join('')}</${root}>`;
  reply(res, 200, xml, 'application/xml');
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://bare');
  const path = decodeURIComponent(url.pathname);
  const slash = path.indexOf('/', 1);
  const bucket = slash < 0 ? path.slice(1) : path.slice(1, slash);
  const key = slash < 0 ? '' : path.slice(slash + 1);
  if (req.method === 'PUT' && key === '') {
    req.resume();
    reply(res, 200);
  } else if (req.method === 'PUT') {
    await putObject(req, res, key);
  } else if (req.method === 'GET' && key === '') {
    listObjects(res, bucket, url.searchParams);
  } else if (req.method === 'GET') {
    await getObject(res, key);
  } else {
    req.resume();
    reply(res, 405);
  }
}

await mkdir(tmpDir, { recursive: true });
await mkdir(objectsDir, { recursive: true });
const server = createServer({ requestTimeout: 0 }, (req, res) => {
  handle(req, res).catch((error: unknown) => {
    process.stderr.write(`bare: ${String(error)}\n`);
    if (res.headersSent) res.destroy();
    else reply(res, 500, 'InternalError');
  });
});
server.listen(port, host, () => process.stdout.write(`bare listening on http://${host}:${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
