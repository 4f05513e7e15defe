// HTTPS with --cert/--key (a certificate made here with openssl), cos:secure-transport on TLS requests, and
// X-Forwarded-Proto/-For believed from --trust-proxy addresses only.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import COS from 'cos-nodejs-sdk-v5';
import { send } from '../helpers/raw.ts';
import { OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

const run = promisify(execFile);
/** The certificate is made with openssl; without it there is nothing to serve. */
const skip = spawnSync('openssl', ['version']).error ? 'openssl is not installed' : false;
let dir: string;
let cert: Buffer;
const certFile = (): string => join(dir, 'cert.pem');
const keyFile = (): string => join(dir, 'key.pem');

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'coslocal-tls-'));
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:*.cos.ap-guangzhou.myqcloud.com',
    '-keyout', keyFile(), '-out', certFile(),
  ]);
  cert = await readFile(certFile());
});
after(() => (skip ? undefined : rm(dir, { recursive: true, force: true })));

/** A GET over HTTPS that trusts only the certificate made above, verifying it as any client would. */
function httpsGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, ca: cert }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A bucket whose doc/a.txt anyone may read, but only over TLS; and another only from 203.0.113.0/24. */
async function bucketsWithPolicies(server: TestServer): Promise<{ tlsOnly: string; fromNet: string }> {
  const cos = server.sdk();
  const make = async (condition: object): Promise<string> => {
    const Bucket = uniqueBucket();
    await cos.putBucket({ Bucket, Region: server.region });
    await cos.putObject({ Bucket, Region: server.region, Key: 'doc/a.txt', Body: 'secret' });
    const statement = {
      principal: { qcs: ['qcs::cam::anyone:anyone'] },
      effect: 'allow',
      action: ['name/cos:GetObject'],
      resource: [`qcs::cos:${server.region}:uid/${OWNER.appid}:${Bucket}/*`],
      condition,
    };
    await cos.putBucketPolicy({ Bucket, Region: server.region, Policy: { version: '2.0', statement: [statement] } as unknown as COS.PutBucketPolicyParams['Policy'] });
    return Bucket;
  };
  return { tlsOnly: await make({ bool_equal: { 'cos:secure-transport': 'true' } }), fromNet: await make({ ip_equal: { 'qcs:ip': ['203.0.113.0/24'] } }) };
}

describe('HTTPS beside HTTP (--cert, --key, --https-port)', { skip }, () => {
  let server: TestServer;
  let buckets: { tlsOnly: string; fromNet: string };
  before(async () => {
    server = await startTestServer({ args: ['--cert', certFile(), '--key', keyFile(), '--https-port', '0'] });
    buckets = await bucketsWithPolicies(server);
  });
  after(() => server.close());

  it('serves both, and only a TLS request is cos:secure-transport', async () => {
    const httpsPort = server.app.httpsPort ?? 0;
    assert.ok(httpsPort > 0 && httpsPort !== server.app.port);
    assert.equal(server.app.httpsEndpoint, `https://127.0.0.1:${httpsPort}`);
    assert.equal(server.app.endpoint, `http://127.0.0.1:${server.app.port}`);
    assert.deepEqual(await httpsGet(httpsPort, `/${buckets.tlsOnly}/doc/a.txt`), { status: 200, body: 'secret' });
    assert.equal((await send(server.hostPort, { method: 'GET', url: `/${buckets.tlsOnly}/doc/a.txt` })).status, 403);
  });

  it('cos-nodejs-sdk-v5 works over it (Protocol https:)', async () => {
    // The SDK takes no CA of its own; the certificate was verified above with node:https.
    const cos = new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'https:', Ip: `127.0.0.1:${server.app.httpsPort ?? 0}`, StrictSsl: false });
    await cos.putObject({ Bucket: buckets.tlsOnly, Region: server.region, Key: 'via-sdk', Body: 'over tls' });
    assert.equal((await cos.getObject({ Bucket: buckets.tlsOnly, Region: server.region, Key: 'via-sdk' })).Body.toString(), 'over tls');
  });

  it('believes no X-Forwarded-Proto or -For from an address it was not told to trust', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' };
    assert.equal((await send(server.hostPort, { method: 'GET', url: `/${buckets.tlsOnly}/doc/a.txt`, headers: forwarded })).status, 403);
    assert.equal((await send(server.hostPort, { method: 'GET', url: `/${buckets.fromNet}/doc/a.txt`, headers: forwarded })).status, 403);
  });
});

describe('HTTPS alone (--cert, --key)', { skip }, () => {
  it('serves HTTPS on --port, and says so in its endpoint', async () => {
    const server = await startTestServer({ args: ['--cert', certFile(), '--key', keyFile()] });
    try {
      assert.equal(server.app.endpoint, `https://127.0.0.1:${server.app.port}`);
      assert.equal(server.app.httpsPort, server.app.port);
      assert.equal((await httpsGet(server.app.port, '/_coslocal/health')).status, 200);
    } finally {
      await server.close();
    }
  });

  it('refuses a certificate without its key, and a key file that is not there', async () => {
    await assert.rejects(startTestServer({ args: ['--cert', certFile()] }), /--cert and --key go together/);
    await assert.rejects(startTestServer({ args: ['--cert', certFile(), '--key', join(dir, 'missing.pem')] }), /ENOENT/);
  });
});

describe('behind a TLS-terminating proxy (--trust-proxy)', { skip }, () => {
  let server: TestServer;
  let buckets: { tlsOnly: string; fromNet: string };
  before(async () => {
    server = await startTestServer({ args: ['--trust-proxy', '10.0.0.0/8,127.0.0.1'] });
    buckets = await bucketsWithPolicies(server);
  });
  after(() => server.close());

  const get = (bucket: string, headers: Record<string, string>): Promise<number> =>
    send(server.hostPort, { method: 'GET', url: `/${bucket}/doc/a.txt`, headers }).then((res) => res.status);

  it('X-Forwarded-Proto from a trusted proxy says whether the client used TLS', async () => {
    assert.equal(await get(buckets.tlsOnly, { 'x-forwarded-proto': 'https' }), 200);
    assert.equal(await get(buckets.tlsOnly, { 'x-forwarded-proto': 'http' }), 403);
    assert.equal(await get(buckets.tlsOnly, {}), 403, 'no header: the connection itself, plain HTTP');
  });

  it('a protocol the client wrote itself is not believed: the entry of the hop its address came from is', async () => {
    // The client sent `X-Forwarded-Proto: https` over plain HTTP; the proxy appended what it saw.
    assert.equal(await get(buckets.tlsOnly, { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https, http' }), 403);
    // Two trusted proxies: the client's hop is two from the right.
    assert.equal(await get(buckets.tlsOnly, { 'x-forwarded-for': '203.0.113.9, 10.1.2.3', 'x-forwarded-proto': 'https, http' }), 200);
    assert.equal(await get(buckets.tlsOnly, { 'x-forwarded-for': '203.0.113.9, 10.1.2.3', 'x-forwarded-proto': 'https, http, https' }), 403);
  });

  it('the client address is the right-most X-Forwarded-For entry no trusted proxy holds', async () => {
    assert.equal(await get(buckets.fromNet, { 'x-forwarded-for': '203.0.113.9' }), 200);
    assert.equal(await get(buckets.fromNet, { 'x-forwarded-for': '203.0.113.9, 10.1.2.3' }), 200, 'through a second trusted proxy');
    assert.equal(await get(buckets.fromNet, { 'x-forwarded-for': '203.0.113.9, 198.51.100.7' }), 403, 'a client may not claim an address');
    assert.equal(await get(buckets.fromNet, {}), 403, 'no header: the proxy\'s own address');
  });
});
