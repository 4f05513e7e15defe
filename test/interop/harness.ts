// Shared by the interop tests: the real server, one real tool run as a child process, and the checks every tool
// goes through (files to upload, hashes, server-side facts read with our own client, plain HTTP for presigned URLs).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { GetBucketAclCommand, HeadBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { OTHER, OWNER, startTestServer, type TestServer } from '../helpers/server.ts';

/** Set by .ci/run: there a missing tool fails its test instead of skipping it. */
export const REQUIRED = process.env['COSLOCAL_INTEROP_REQUIRED'] === '1';

/** The regions the interop suites spread their buckets over, as the official COS SDK suites do. */
export const REGIONS = ['ap-guangzhou', 'ap-chengdu', 'ap-beijing'] as const;

// Seconds since the epoch at start: production CI scripts stamp their bucket names (`clients-rclone-path-1733580000-1250000000`).
const STAMP = Math.floor(Date.now() / 1000);

/**
 * A production-style bucket name, `cos-interop-<tool>-<region>-<timestamp>-<appid>` (45-60 characters), like the
 * official suites' `cos-python-v5-test-3-11-ap-guangzhou-1250000000`: short test names hide length limits.
 */
export function interopBucket(tool: string, region: string, appid = OWNER.appid): string {
  const name = `cos-interop-${tool}-${region}-${STAMP}-${appid}`;
  assert.ok(name.length >= 45 && name.length <= 60, `${name} is ${name.length} characters`);
  return name;
}

export const SMALL_KEY = 'small/hello.txt';
export const BIG_KEY = 'big/blob.bin';
/** Big enough that every tool splits it into parts (after lowering rclone's cutoff); 50 MB as issue #6 asks. */
export const BIG_SIZE = 50 * 1024 * 1024;

export interface LocalFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Interop {
  server: TestServer;
  /** A scratch directory inside the server's temporary data directory (removed with it). */
  dir: string;
  endpoint: string;
  region: string;
  small: LocalFile;
  big: LocalFile;
  /** Our own view of the server, independent of the tool under test. */
  check: S3Client;
  close(): Promise<void>;
}

export const sha256File = async (path: string): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

async function writeRandom(path: string, size: number): Promise<LocalFile> {
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    for (let left = size; left > 0; ) {
      const chunk = randomBytes(Math.min(left, 1024 * 1024));
      hash.update(chunk);
      await file.write(chunk);
      left -= chunk.length;
    }
  } finally {
    await file.close();
  }
  return { path, size, sha256: hash.digest('hex') };
}

export async function startInterop(): Promise<Interop> {
  const server = await startTestServer();
  const dir = join(server.dataDir, 'interop');
  await mkdir(dir, { recursive: true });
  const smallPath = join(dir, 'hello.txt');
  const text = `hello from coslocal ${randomBytes(8).toString('hex')}\n`;
  const fh = await open(smallPath, 'w');
  await fh.writeFile(text);
  await fh.close();
  const small = { path: smallPath, size: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
  const big = await writeRandom(join(dir, 'blob.bin'), BIG_SIZE);
  const check = new S3Client({
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: OWNER.secretId, secretAccessKey: OWNER.secretKey },
  });
  return {
    server,
    dir,
    endpoint: server.endpoint,
    region: server.region,
    small,
    big,
    check,
    async close() {
      check.destroy();
      await server.close();
    },
  };
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a tool; a non-zero exit fails with everything it printed. */
export function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: { PATH: process.env['PATH'], HOME: process.env['HOME'], LANG: 'C.UTF-8', ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed (${error.message})\nstdout: ${stdout}\nstderr: ${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** The first candidate that runs `probe` successfully (and whose output matches `expect`), else undefined. */
export async function findTool(candidates: readonly string[], probe: readonly string[], expect?: RegExp, env: NodeJS.ProcessEnv = {}): Promise<string | undefined> {
  for (const file of candidates) {
    try {
      const out = await run(file, probe, env, 30_000);
      if (!expect || expect.test(out.stdout + out.stderr)) return file;
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

/**
 * `describe` options for a tool's suite: skipped with a clear message when the tool is missing, unless
 * COSLOCAL_INTEROP_REQUIRED=1 (CI), where the suite runs and `requireTool` fails it.
 */
export const skipUnless = (found: string | undefined, what: string, install = `apt-get install ${what}`): { skip?: string } =>
  found || REQUIRED ? {} : { skip: `${what} is not installed (${install}); CI installs it and fails without it` };

export function requireTool(found: string | undefined, what: string): string {
  if (!found) assert.fail(`${what} is not installed, and COSLOCAL_INTEROP_REQUIRED=1 says it must be`);
  return found;
}

/** The bucket the tool made is there, owned by OWNER. */
export async function assertBucketExists(x: Interop, bucket: string): Promise<void> {
  assert.equal((await x.check.send(new HeadBucketCommand({ Bucket: bucket }))).$metadata.httpStatusCode, 200);
}

export async function assertBucketGone(x: Interop, bucket: string): Promise<void> {
  await assert.rejects(x.check.send(new HeadBucketCommand({ Bucket: bucket })), (e: { name?: string }) => e.name === 'NotFound');
}

/**
 * Both files arrived intact, and the big one as a multipart upload: its ETag is `"<md5 of part md5s>-<parts>"`
 * (a single PUT's would be the plain MD5). Returns the part count.
 */
export async function assertUploaded(x: Interop, bucket: string): Promise<number> {
  const small = await x.check.send(new HeadObjectCommand({ Bucket: bucket, Key: SMALL_KEY }));
  assert.equal(small.ContentLength, x.small.size);
  const big = await x.check.send(new HeadObjectCommand({ Bucket: bucket, Key: BIG_KEY }));
  assert.equal(big.ContentLength, x.big.size);
  const parts = /^"[0-9a-f]{32}-(\d+)"$/.exec(big.ETag ?? '');
  assert.ok(parts, `the 50 MB upload was not multipart (ETag ${big.ETag})`);
  return Number(parts[1]);
}

export async function assertSameFile(downloaded: string, original: LocalFile): Promise<void> {
  assert.equal(await sha256File(downloaded), original.sha256, `${downloaded} differs from ${original.path}`);
}

/** A real COS host name, `<bucket>-<appid>.cos.<region>.myqcloud.com`, as the COS SDKs put in their URLs. */
const COS_HOST = /^[a-z0-9-]+-\d+\.cos\.[a-z0-9-]+\.myqcloud\.com$/;

/**
 * A plain HTTP request for `url`, sent to the loopback server whatever host the URL names (as
 * `curl --connect-to ::127.0.0.1:<port>` would), so that `<bucket>.localhost` and real COS host names need not resolve.
 */
export function plainRequest(x: Interop, url: string, method = 'GET', body?: Buffer): Promise<{ status: number; body: Buffer }> {
  const u = new URL(url);
  assert.ok(u.port === String(x.server.app.port) || COS_HOST.test(u.hostname), `${url} is neither for the test server nor a COS host name`);
  return new Promise((resolve, reject) => {
    const headers = { host: u.host, ...(body && { 'content-length': String(body.length) }) };
    const req = httpRequest({ host: '127.0.0.1', port: x.server.app.port, method, path: `${u.pathname}${u.search}`, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Fetches a presigned URL with plain HTTP (no credentials of our own) and compares the bytes. */
export async function assertPresignedGet(x: Interop, url: string, original: LocalFile): Promise<void> {
  const res = await plainRequest(x, url);
  assert.equal(res.status, 200, `presigned GET answered ${res.status}: ${res.body.toString()}`);
  assert.equal(createHash('sha256').update(res.body).digest('hex'), original.sha256);
  // The same URL without its signature is refused: the tool really signed it.
  assert.equal((await plainRequest(x, url.slice(0, url.indexOf('?')))).status, 403);
}

export async function bucketAclGrants(x: Interop, bucket: string): Promise<string[]> {
  const acl = await x.check.send(new GetBucketAclCommand({ Bucket: bucket }));
  return (acl.Grants ?? []).map((g) => `${g.Grantee?.URI ?? g.Grantee?.ID}:${g.Permission}`);
}

/** An S3-dialect policy letting OTHER read the bucket's objects, the same for every tool. */
export const s3Policy = (bucket: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'OtherReads', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${OTHER.uin}:root`] }, Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] }],
  });

/** The policy the tool read back is the document it wrote (tools may re-indent it, so compare parsed). */
export function assertSamePolicy(read: string, written: string): void {
  assert.deepEqual(JSON.parse(read), JSON.parse(written));
}

/** OTHER can read an object because of the policy (and could not before). */
export async function otherCanRead(x: Interop, bucket: string): Promise<boolean> {
  const other = new S3Client({
    region: x.region,
    endpoint: x.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: OTHER.secretId, secretAccessKey: OTHER.secretKey },
  });
  try {
    await other.send(new HeadObjectCommand({ Bucket: bucket, Key: SMALL_KEY }));
    return true;
  } catch {
    return false;
  } finally {
    other.destroy();
  }
}

export { OWNER };
