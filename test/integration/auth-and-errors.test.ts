// Signature failures, the no-leak rule and bad input, through raw signed HTTP requests.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { errorOf, send, type RawRequest, type RawResponse } from '../helpers/raw.ts';
import { onDiskOnly, OTHER, OWNER, SUB, TEST_ENGINE, uniqueBucket, startTestServerWithBucket, type TestServer } from '../helpers/server.ts';
import { presignQuery } from '../helpers/sign.ts';

let server: TestServer;
let bucket: string;

const raw = (r: RawRequest): Promise<RawResponse> => send(server.hostPort, r);
const now = (): number => Math.floor(Date.now() / 1000);

function assertCosError(res: RawResponse, status: number, code: string): Record<string, string> {
  assert.equal(res.status, status, res.text);
  const error = errorOf(res);
  assert.equal(error['Code'], code);
  for (const field of ['Message', 'Resource', 'RequestId', 'TraceId']) assert.ok(error[field], `${field} present and non-empty`);
  assert.equal(error['RequestId'], res.headers['x-cos-request-id']);
  assert.equal(res.headers['server'], 'tencent-cos');
  assert.ok(res.headers['date'], 'Date header for clock-skew correction');
  return error;
}

before(async () => {
  ({ server, bucket } = await startTestServerWithBucket());
  assert.equal((await raw({ method: 'PUT', url: `/${bucket}/secret.txt`, body: 'secret', signAs: OWNER })).status, 200);
});
after(() => server.close());

describe('signatures', () => {
  it('accepts a signature over the full path; one over the key-only path names no bucket and is refused', async () => {
    const full = await raw({ method: 'GET', url: `/${bucket}/secret.txt`, signAs: OWNER });
    assert.equal(full.status, 200);
    assert.equal(full.text, 'secret');
    const keyOnly = await raw({ method: 'GET', url: `/${bucket}/secret.txt`, signAs: OWNER, signPath: '/secret.txt' });
    assertCosError(keyOnly, 403, 'SignatureDoesNotMatch');
  });

  it('serves virtual-hosted requests that carry the real COS host name', async () => {
    const host = `${bucket}.cos.${server.region}.myqcloud.com`;
    const res = await raw({ method: 'GET', url: '/secret.txt', host, signAs: OWNER });
    assert.equal(res.status, 200);
    assert.equal(res.text, 'secret');
    const list = await raw({ method: 'GET', url: '/?prefix=sec', host: `${host}:8080`, signAs: OWNER });
    assert.equal(list.status, 200);
    assert.match(list.text, /<Key>secret.txt<\/Key>/);
  });

  it('accepts the absolute request form clients send through a proxy (RFC 9112 §3.2.2)', async () => {
    const host = `${bucket}.localhost:${server.app.port}`;
    const res = await raw({ method: 'GET', url: `http://${host}/secret.txt?response-content-type=text%2Fplain`, host, signAs: OWNER, signPath: '/secret.txt' });
    assert.equal(res.status, 200);
    assert.equal(res.text, 'secret');
    assert.equal(res.headers['content-type'], 'text/plain');
    const pathStyle = await raw({ method: 'GET', url: `http://${server.hostPort}/${bucket}/secret.txt`, signAs: OWNER, signPath: `/${bucket}/secret.txt` });
    assert.equal(pathStyle.text, 'secret');
  });

  it('answers an expired signature with AccessDenied "Request has expired" and ServerTime', async () => {
    const res = await raw({ method: 'GET', url: `/${bucket}/secret.txt`, signAs: OWNER, signWindow: { start: now() - 2000, end: now() - 1000 } });
    const error = assertCosError(res, 403, 'AccessDenied');
    assert.equal(error['Message'], 'Request has expired');
    assert.match(error['ServerTime'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('answers a start time far in the future with RequestTimeTooSkewed', async () => {
    const res = await raw({ method: 'GET', url: `/${bucket}/secret.txt`, signAs: OWNER, signWindow: { start: now() + 3600, end: now() + 7200 } });
    assertCosError(res, 403, 'RequestTimeTooSkewed');
  });

  it('answers an unknown SecretId with InvalidAccessKeyId', async () => {
    const res = await raw({ method: 'GET', url: `/${bucket}/secret.txt`, signAs: { ...OWNER, secretId: 'AKIDunknown' } });
    const error = assertCosError(res, 403, 'InvalidAccessKeyId');
    assert.equal(error['Message'], 'The Access Key Id you provided does not exist in our records');
  });

  it('answers a wrong secret with SignatureDoesNotMatch showing StringToSign and FormatString', async () => {
    const res = await raw({ method: 'GET', url: `/${bucket}/secret.txt?versionId=x`, signAs: { ...OWNER, secretKey: 'wrong' } });
    const error = assertCosError(res, 403, 'SignatureDoesNotMatch');
    assert.match(error['StringToSign'] ?? '', /^sha1\n\d+;\d+\n[0-9a-f]{40}\n$/);
    assert.equal(error['FormatString'], `get\n/${bucket}/secret.txt\nversionid=x\nhost=${encodeURIComponent(server.hostPort)}\n`);
  });

  it('treats a tampered signed header as a mismatch', async () => {
    const signed = await raw({ method: 'GET', url: `/${bucket}/secret.txt`, headers: { range: 'bytes=0-1' }, signAs: OWNER });
    assert.equal(signed.status, 206);
    const auth = String(
      (await import('../helpers/sign.ts')).authorization({
        secretId: OWNER.secretId,
        secretKey: OWNER.secretKey,
        method: 'GET',
        path: `/${bucket}/secret.txt`,
        headers: { host: server.hostPort, range: 'bytes=0-1' },
      }),
    );
    const tampered = await raw({ method: 'GET', url: `/${bucket}/secret.txt`, headers: { range: 'bytes=0-5', authorization: auth } });
    assertCosError(tampered, 403, 'SignatureDoesNotMatch');
  });

  it('answers a malformed Authorization with AccessDenied', async () => {
    const res = await raw({ method: 'GET', url: `/${bucket}/secret.txt`, headers: { authorization: 'q-sign-algorithm=md5&q-ak=x' } });
    assertCosError(res, 403, 'AccessDenied');
  });

  it('verifies presigned URLs with URL-encoded fields and rejects them once expired', async () => {
    const path = `/${bucket}/secret.txt`;
    const query = presignQuery({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'GET', path, headers: { host: server.hostPort } });
    const ok = await raw({ method: 'GET', url: `/${bucket}/secret.txt?${query}` });
    assert.equal(ok.status, 200);
    const stale = presignQuery({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'GET', path, headers: { host: server.hostPort }, start: now() - 100, end: now() - 10 });
    const expired = await raw({ method: 'GET', url: `/${bucket}/secret.txt?${stale}` });
    assert.equal(errorOf(expired)['Message'], 'Request has expired');
  });

  it('accepts the Python SDK form: host signed without its port', async () => {
    const host = `${bucket}.cos.${server.region}.myqcloud.com`;
    const auth = (await import('../helpers/sign.ts')).authorization({
      secretId: OWNER.secretId,
      secretKey: OWNER.secretKey,
      method: 'GET',
      path: '/secret.txt',
      headers: { host },
    });
    const python = await raw({ method: 'GET', url: '/secret.txt', host: `${host}:${server.app.port}`, headers: { authorization: auth } });
    assert.equal(python.status, 200);
  });

  it('puts x-cos-request-id on every response, HEAD errors included, with no HEAD body', async () => {
    const res = await raw({ method: 'HEAD', url: `/${bucket}/nope`, signAs: OWNER });
    assert.equal(res.status, 404);
    assert.ok(res.headers['x-cos-request-id']);
    assert.equal(res.body.length, 0);
  });
});

describe('who may see what', () => {
  const denied = async (r: RawRequest): Promise<string> => {
    const res = await raw(r);
    const error = assertCosError(res, 403, 'AccessDenied');
    return error['Message'] ?? '';
  };

  it('denies anonymous, other accounts and sub-accounts alike, whether or not the bucket or key exists', async () => {
    const missingBucket = uniqueBucket();
    for (const who of [undefined, OTHER, SUB]) {
      const signAs = who ? { signAs: who } : {};
      const messages = [
        await denied({ method: 'GET', url: `/${bucket}/secret.txt`, ...signAs }),
        await denied({ method: 'GET', url: `/${bucket}/missing.txt`, ...signAs }),
        await denied({ method: 'GET', url: `/${missingBucket}/secret.txt`, ...signAs }),
        await denied({ method: 'GET', url: `/${bucket}/`, ...signAs }),
        await denied({ method: 'GET', url: `/${missingBucket}/`, ...signAs }),
        await denied({ method: 'PUT', url: `/${bucket}/new.txt`, body: 'x', ...signAs }),
        await denied({ method: 'DELETE', url: `/${bucket}/secret.txt`, ...signAs }),
      ];
      assert.equal(new Set(messages).size, 1, 'one indistinguishable message');
      const head = await raw({ method: 'HEAD', url: `/${missingBucket}/`, ...signAs });
      assert.equal(head.status, 403);
    }
    // Nothing changed.
    assert.equal((await raw({ method: 'GET', url: `/${bucket}/secret.txt`, signAs: OWNER })).text, 'secret');
  });

  it('lets the would-be owner alone learn NoSuchBucket', async () => {
    const res = await raw({ method: 'GET', url: `/${uniqueBucket()}/`, signAs: OWNER });
    assertCosError(res, 404, 'NoSuchBucket');
  });

  it('refuses to create a bucket under another account\'s APPID', async () => {
    await denied({ method: 'PUT', url: `/${uniqueBucket(OTHER.appid)}/`, signAs: OWNER });
    assert.equal((await raw({ method: 'PUT', url: `/${uniqueBucket(OTHER.appid)}/`, signAs: OTHER })).status, 200);
  });

  it('denies a copy out of a bucket the caller cannot read', async () => {
    const mine = uniqueBucket(OTHER.appid);
    assert.equal((await raw({ method: 'PUT', url: `/${mine}/`, signAs: OTHER })).status, 200);
    await denied({ method: 'PUT', url: `/${mine}/stolen`, headers: { 'x-cos-copy-source': `${bucket}.cos.${server.region}.myqcloud.com/secret.txt` }, signAs: OTHER });
    await denied({ method: 'PUT', url: `/${mine}/stolen`, headers: { 'x-cos-copy-source': `${bucket}.cos.${server.region}.myqcloud.com/missing` }, signAs: OTHER });
  });

  it('denies a multi-delete by a stranger without revealing the bucket', async () => {
    const body = '<Delete><Object><Key>secret.txt</Key></Object></Delete>';
    await denied({ method: 'POST', url: `/${bucket}/?delete`, body, signAs: OTHER });
    await denied({ method: 'POST', url: `/${uniqueBucket()}/?delete`, body, signAs: OTHER });
  });

  it('denies GET Service to anonymous callers', async () => {
    await denied({ method: 'GET', url: '/' });
  });
});

describe('bad input', () => {
  it('refuses bad bucket names with InvalidBucketName', async () => {
    for (const name of [`Upper-${OWNER.appid}`, `-lead-${OWNER.appid}`, `under_score-${OWNER.appid}`, `trailing--${OWNER.appid}`, `.dot-${OWNER.appid}`]) {
      assertCosError(await raw({ method: 'PUT', url: `/${name}/`, signAs: OWNER }), 400, 'InvalidBucketName');
    }
    // A name without an APPID belongs to no account: nobody may create it.
    assertCosError(await raw({ method: 'PUT', url: '/noappid/', signAs: OWNER }), 403, 'AccessDenied');
  });

  it('refuses a wrong or malformed Content-MD5 and keeps the old object', async () => {
    const url = `/${bucket}/md5.txt`;
    assert.equal((await raw({ method: 'PUT', url, body: 'old', signAs: OWNER })).status, 200);
    const wrong = createHash('md5').update('something else').digest('base64');
    assertCosError(await raw({ method: 'PUT', url, body: 'new', headers: { 'content-md5': wrong }, signAs: OWNER }), 400, 'BadDigest');
    assertCosError(await raw({ method: 'PUT', url, body: 'new', headers: { 'content-md5': 'not-base64' }, signAs: OWNER }), 400, 'InvalidDigest');
    const right = createHash('md5').update('new').digest('base64');
    assert.equal((await raw({ method: 'GET', url, signAs: OWNER })).text, 'old');
    assert.equal((await raw({ method: 'PUT', url, body: 'new', headers: { 'content-md5': right }, signAs: OWNER })).status, 200);
    assert.equal((await raw({ method: 'GET', url, signAs: OWNER })).text, 'new');
  });

  it('refuses malformed, entity-expanding and oversize XML', async () => {
    const post = (body: string) => raw({ method: 'POST', url: `/${bucket}/?delete`, body, signAs: OWNER });
    assertCosError(await post('<Delete><Object><Key>x</Key></Object>'), 400, 'MalformedXML');
    assertCosError(await post('not xml at all'), 400, 'MalformedXML');
    assertCosError(await post('<Delete></Delete>'), 400, 'MalformedXML');
    const bomb = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Delete><Object><Key>&b;</Key></Object></Delete>';
    assertCosError(await post(bomb), 400, 'MalformedXML');
    const huge = `<Delete>${'<Object><Key>k</Key></Object>'.repeat(80_000)}</Delete>`;
    assertCosError(await post(huge), 400, 'XMLSizeLimit');
    const tooMany = `<Delete>${'<Object><Key>k</Key></Object>'.repeat(1001)}</Delete>`;
    assertCosError(await post(tooMany), 400, 'MalformedXML');
    assert.equal((await raw({ method: 'GET', url: `/${bucket}/secret.txt`, signAs: OWNER })).text, 'secret');
  });

  it('answers unknown subresources with NotImplemented and other methods with MethodNotAllowed', async () => {
    assertCosError(await raw({ method: 'GET', url: `/${bucket}/?notification`, signAs: OWNER }), 501, 'NotImplemented');
    assertCosError(await raw({ method: 'POST', url: `/${bucket}/secret.txt`, body: '', signAs: OWNER }), 405, 'MethodNotAllowed');
    assertCosError(await raw({ method: 'GET', url: `/${bucket}/%E0%A4%A`, signAs: OWNER, signPath: '/x' }), 400, 'InvalidURI');
  });

  it('ignores a Range it cannot parse and refuses one past the end', async () => {
    const url = `/${bucket}/secret.txt`;
    const garbled = await raw({ method: 'GET', url, headers: { range: 'bytes=abc' }, signAs: OWNER });
    assert.equal(garbled.status, 200);
    assert.equal(garbled.text, 'secret');
    const absurd = await raw({ method: 'GET', url, headers: { range: 'bytes=999999999999-' }, signAs: OWNER });
    assertCosError(absurd, 416, 'InvalidRange');
    assert.equal(absurd.headers['content-range'], 'bytes */6');
  });

  it('refuses keys over 850 bytes', async () => {
    assertCosError(await raw({ method: 'PUT', url: `/${bucket}/${'k'.repeat(851)}`, body: 'x', signAs: OWNER }), 400, 'KeyTooLong');
  });

  it('stores keys that look like paths as plain keys, never as files', { skip: onDiskOnly('the data directory') }, async () => {
    const key = '../../../../etc/evil';
    const url = `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    assert.equal((await raw({ method: 'PUT', url, body: 'evil', signAs: OWNER, signPath: `/${bucket}/${key}` })).status, 200);
    const got = await raw({ method: 'GET', url, signAs: OWNER, signPath: `/${bucket}/${key}` });
    assert.equal(got.text, 'evil');
    // sse-cos.key: the SSE-COS key (README, Server-side encryption), made at the first start.
    const metadataFiles = TEST_ENGINE === 'sqlite' ? ['meta.db', 'meta.db-shm', 'meta.db-wal'] : [];
    assert.deepEqual((await readdir(join(server.dataDir, 'data'))).sort(), ['blobs', 'locks', ...metadataFiles, 'sse-cos.key']);
  });

  it('drops a short body without storing anything', { skip: onDiskOnly('blob files') }, async () => {
    const blobsBefore = (await server.blobFiles()).sort();
    const [hostname, port] = server.hostPort.split(':');
    const { authorization } = await import('../helpers/sign.ts');
    const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'PUT', path: `/${bucket}/short.bin`, headers: { host: server.hostPort } });
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(`PUT /${bucket}/short.bin HTTP/1.1\r\nHost: ${server.hostPort}\r\nAuthorization: ${auth}\r\nContent-Length: 1000\r\n\r\n${'x'.repeat(10)}`);
        setTimeout(() => socket.end(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await raw({ method: 'HEAD', url: `/${bucket}/short.bin`, signAs: OWNER })).status, 404);
    assert.deepEqual((await server.blobFiles()).sort(), blobsBefore, 'the partial blob is removed');
  });
});
