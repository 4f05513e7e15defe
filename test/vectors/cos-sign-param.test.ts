// The `sign=` query parameter: a whole q-sign string (cos.getAuth) or a legacy V4 signature
// (cos.getV4Auth, the V4 SDKs' 多次有效/单次有效签名), each produced by the official code and held to
// what it signs: bucket, file, window, and for V4 (which signs no method or query) reads or one DELETE.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import { authenticate, type AuthRequest } from '../../src/auth/authenticate.ts';
import { SingleUseLedger } from '../../src/auth/cosv4/single-use.ts';
import { SyncBatcher } from '../../src/storage/fs/sync-batcher.ts';
import { MemoryMetadata } from '../../src/storage/memory/memory-metadata.ts';
import { SqliteMetadata } from '../../src/storage/sqlite/sqlite-metadata.ts';
import type { Keyring } from '../../src/auth/keyring.ts';
import { CosError } from '../../src/errors/cos-error.ts';

const SECRET_ID = 'AKIDcosSignParamVector00000000000001';
const SECRET_KEY = 'cosSignParamVectorSecretKey000001';
const BUCKET = 'examplebucket-1250000000';
const HOST = `${BUCKET}.cos.ap-guangzhou.myqcloud.com`;

// A published V4 test vector (a PHP COS V4 client's unit test): fields in another order than Node's, `b` last.
const PHP = {
  secretId: 'AKIDQofI9X9xvQOu0c5KT4Dr3wLFWHkcR8YV',
  secretKey: 'hdBMz8k3cum0k6rD8PGdRojTMrpHHorX',
  bucket: 'test_qcloud_appid-1000032',
  // a=1000032&k=…&e=1437136774&t=1434544774&r=917470780&f=&b=test_qcloud_appid
  multi: 'YhAXn8kTrXMXtw8Hwvw/zJau4F9hPTEwMDAwMzImaz1BS0lEUW9mSTlYOXh2UU91MGM1S1Q0RHIzd0xGV0hrY1I4WVYmZT0xNDM3MTM2Nzc0JnQ9MTQzNDU0NDc3NCZyPTkxNzQ3MDc4MCZmPSZiPXRlc3RfcWNsb3VkX2FwcGlk',
  // a=1000032&k=…&e=0&t=1434544388&r=419749449&f=/1000032/test_qcloud_appid/test.txt&b=test_qcloud_appid
  once: 'sGvpRjsnRVwIu07xIYjDR2t8/sxhPTEwMDAwMzImaz1BS0lEUW9mSTlYOXh2UU91MGM1S1Q0RHIzd0xGV0hrY1I4WVYmZT0wJnQ9MTQzNDU0NDM4OCZyPTQxOTc0OTQ0OSZmPS8xMDAwMDMyL3Rlc3RfcWNsb3VkX2FwcGlkL3Rlc3QudHh0JmI9dGVzdF9xY2xvdWRfYXBwaWQ=',
};

const keyring: Keyring = {
  async find(id) {
    const secretKey = id === SECRET_ID ? SECRET_KEY : id === PHP.secretId ? PHP.secretKey : undefined;
    return secretKey === undefined ? undefined : { secretKey, principal: { kind: 'user', ownerUin: '1', uin: '1', appid: '1250000000', secretId: id } };
  },
};

const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY });
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const request = (sign: string, over: Partial<AuthRequest> & { bucket?: string; key?: string } = {}): AuthRequest => {
  const { bucket = BUCKET, key = 'dir/中文 1.txt', ...rest } = over;
  return {
    method: 'GET',
    paths: [`/${key}`],
    query: [['sign', sign]],
    headers: { host: HOST },
    now: nowSeconds(),
    target: { route: { style: 'path', bucket, key }, rawPath: `/${bucket}/${key}` },
    ...rest,
  };
};

const code = (c: string, message?: RegExp) => (e: unknown) => e instanceof CosError && e.code === c && (message === undefined || message.test(e.message));

describe('sign= holding a q-sign string (cos.getAuth)', () => {
  const auth = cos.getAuth({ Method: 'get', Key: 'dir/中文 1.txt', Headers: { Host: HOST }, Expires: 60 });

  it('authenticates the request it signs', async () => {
    assert.equal((await authenticate(request(auth), keyring)).scheme, 'qsign');
  });
  it('is bound by its window, path and method like the header form', async () => {
    await assert.rejects(authenticate(request(auth, { now: nowSeconds() + 120 }), keyring), code('AccessDenied', /^Request has expired$/));
    await assert.rejects(authenticate(request(auth, { paths: ['/dir/other.txt'] }), keyring), code('SignatureDoesNotMatch'));
    await assert.rejects(authenticate(request(auth, { method: 'DELETE' }), keyring), code('SignatureDoesNotMatch'));
    await assert.rejects(authenticate(request(auth, { headers: { host: `other-1250000000.cos.ap-guangzhou.myqcloud.com` } }), keyring), code('SignatureDoesNotMatch'));
  });
  it('signs its Query: a parameter it lists must hold the signed value', async () => {
    const withQuery = cos.getAuth({ Method: 'get', Key: 'dir/中文 1.txt', Query: { 'response-content-type': 'text/plain' }, Headers: { Host: HOST } });
    const sign: [string, string] = ['sign', withQuery];
    assert.equal((await authenticate(request(withQuery, { query: [sign, ['response-content-type', 'text/plain']] }), keyring)).scheme, 'qsign');
    await assert.rejects(authenticate(request(withQuery, { query: [sign, ['response-content-type', 'text/html']] }), keyring), code('SignatureDoesNotMatch'));
  });
  it('is held to the presigned URL rules: no unsigned subresource, copy-source, ACL or grant header', async () => {
    await assert.rejects(authenticate(request('', { query: [['sign', auth], ['acl', '']] }), keyring), code('AccessDenied', /q-url-param-list/));
    for (const header of ['x-cos-acl', 'x-cos-copy-source', 'x-cos-grant-read']) {
      await assert.rejects(authenticate(request(auth, { headers: { host: HOST, [header]: 'x' } }), keyring), code('AccessDenied', /q-header-list/));
    }
  });
  it('a malformed q-sign string is AccessDenied', async () => {
    await assert.rejects(authenticate(request('q-sign-algorithm=sha1&q-ak=x'), keyring), code('AccessDenied', /^Invalid Authorization/));
  });
  it('an Authorization header wins over a sign parameter of the request', async () => {
    const header = cos.getAuth({ Method: 'get', Key: 'dir/中文 1.txt', Query: { sign: 'mine' }, Headers: { Host: HOST } });
    const r = request('mine', { headers: { host: HOST, authorization: header } });
    assert.equal((await authenticate(r, keyring)).scheme, 'qsign');
  });
});

describe('sign= holding a legacy V4 signature (cos.getV4Auth)', () => {
  const v4 = (key = 'dir/中文 1.txt', expires = 60): string => cos.getV4Auth({ Bucket: BUCKET, Key: key, Expires: expires });

  it('authenticates GET and HEAD of its file, with response-* overrides and a token parameter', async () => {
    assert.equal((await authenticate(request(v4()), keyring)).scheme, 'cosv4');
    assert.equal((await authenticate(request(v4(), { method: 'HEAD' }), keyring)).scheme, 'cosv4');
    const query: [string, string][] = [['sign', v4()], ['response-content-disposition', 'attachment']];
    assert.equal((await authenticate(request('', { query }), keyring)).scheme, 'cosv4');
  });
  it('binds the file and the bucket', async () => {
    await assert.rejects(authenticate(request(v4(), { key: 'dir/other.txt' }), keyring), code('AccessDenied', /signed for file/));
    await assert.rejects(authenticate(request(v4(), { bucket: 'otherbucket-1250000000' }), keyring), code('AccessDenied', /signed for bucket/));
    await assert.rejects(authenticate(request(v4(), { bucket: 'examplebucket-1250000001' }), keyring), code('AccessDenied', /signed for bucket/));
  });
  it('covers no write, no subresource and no other query parameter (it signs neither)', async () => {
    for (const method of ['PUT', 'DELETE', 'POST']) {
      await assert.rejects(authenticate(request(v4(), { method }), keyring), code('AccessDenied', /does not cover/));
    }
    for (const extra of ['acl', 'tagging', 'versionId', 'uploads']) {
      await assert.rejects(authenticate(request('', { query: [['sign', v4()], [extra, '']] }), keyring), code('AccessDenied', /does not cover the query parameter/));
    }
  });
  it('expires at e, and is refused when signed more than 15 minutes ahead', async () => {
    await assert.rejects(authenticate(request(v4('dir/中文 1.txt', 60), { now: nowSeconds() + 62 }), keyring), code('AccessDenied', /^Request has expired$/));
    await assert.rejects(authenticate(request(v4(), { now: nowSeconds() - 1000 }), keyring), code('RequestTimeTooSkewed'));
  });
  it('a changed byte of the signed text or digest is SignatureDoesNotMatch; an unknown k InvalidAccessKeyId', async () => {
    const bytes = Buffer.from(v4(), 'base64');
    const tamper = (at: number): string => {
      const copy = Buffer.from(bytes);
      copy[at] = (copy[at] ?? 0) ^ 1;
      return copy.toString('base64');
    };
    await assert.rejects(authenticate(request(tamper(3)), keyring), code('SignatureDoesNotMatch'));
    // The last byte of the text is the file id's: still valid text, but not what was signed.
    await assert.rejects(authenticate(request(tamper(bytes.length - 1), { key: 'dir/中文 1.tx' + String.fromCharCode('t'.charCodeAt(0) ^ 1) }), keyring), code('SignatureDoesNotMatch'));
    const foreign = new COS({ SecretId: 'AKIDnobody', SecretKey: SECRET_KEY }).getV4Auth({ Bucket: BUCKET, Key: 'dir/中文 1.txt' });
    await assert.rejects(authenticate(request(foreign), keyring), code('InvalidAccessKeyId'));
  });
  it('garbage is AccessDenied, not a crash', async () => {
    for (const garbage of ['', 'not base64!', 'AAAA', Buffer.from('x'.repeat(20) + 'a=1&b=2').toString('base64')]) {
      await assert.rejects(authenticate(request(garbage), keyring), code('AccessDenied', /^Invalid sign/));
    }
  });
});

describe('published V4 vectors (multi-use for the bucket, single-use for one file)', () => {
  const php = (sign: string, now: number, over: Partial<AuthRequest> = {}): AuthRequest => ({
    ...request(sign, { bucket: PHP.bucket, key: 'test.txt', now }),
    ...over,
  });

  it('multi-use with an empty f covers reads of any file of its bucket until e', async () => {
    assert.equal((await authenticate(php(PHP.multi, 1437136774), keyring)).scheme, 'cosv4');
    await assert.rejects(authenticate(php(PHP.multi, 1437136775), keyring), code('AccessDenied', /^Request has expired$/));
  });
  it('single-use (e=0) is good once, for its file, within 15 minutes of t', async () => {
    const ledger = new SingleUseLedger(new MemoryMetadata());
    const at = 1434544388 + 60;
    await assert.rejects(authenticate(php(PHP.once, at, { method: 'DELETE' }), keyring), code('AccessDenied', /not accepted here/));
    assert.equal((await authenticate(php(PHP.once, at, { method: 'DELETE' }), keyring, { strictCosS3: false, singleUse: ledger })).scheme, 'cosv4');
    await assert.rejects(authenticate(php(PHP.once, at + 1), keyring, { strictCosS3: false, singleUse: ledger }), code('AccessDenied', /used already/));
    const fresh = new SingleUseLedger(new MemoryMetadata());
    await assert.rejects(authenticate(php(PHP.once, 1434544388 + 901), keyring, { strictCosS3: false, singleUse: fresh }), code('AccessDenied', /^Request has expired$/));
    await assert.rejects(authenticate({ ...php(PHP.once, at), target: { route: { style: 'path', bucket: PHP.bucket, key: 'other.txt' }, rawPath: `/${PHP.bucket}/other.txt` } }, keyring, { strictCosS3: false, singleUse: fresh }), code('AccessDenied', /signed for file/));
    await assert.rejects(authenticate(php(PHP.once, at, { method: 'PUT' }), keyring, { strictCosS3: false, singleUse: fresh }), code('AccessDenied', /does not cover PUT/));
  });
  it('single-use across processes: used through one, it is refused by another sharing the store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coslocal-single-use-'));
    const [one, other] = [new SqliteMetadata(join(dir, 'meta.db'), new SyncBatcher()), new SqliteMetadata(join(dir, 'meta.db'), new SyncBatcher())];
    try {
      const at = 1434544388 + 60;
      assert.equal((await authenticate(php(PHP.once, at, { method: 'DELETE' }), keyring, { strictCosS3: false, singleUse: new SingleUseLedger(one) })).scheme, 'cosv4');
      await assert.rejects(authenticate(php(PHP.once, at + 1), keyring, { strictCosS3: false, singleUse: new SingleUseLedger(other) }), code('AccessDenied', /used already/));
    } finally {
      await one.close();
      await other.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('a single-use signature must name its file', async () => {
    const text = `a=1000032&b=test_qcloud_appid&k=${PHP.secretId}&e=0&t=1434544388&r=1&f=`;
    const digest = createHmac('sha1', PHP.secretKey).update(text).digest();
    const sign = Buffer.concat([digest, Buffer.from(text)]).toString('base64');
    await assert.rejects(authenticate(php(sign, 1434544400), keyring, { strictCosS3: false, singleUse: new SingleUseLedger(new MemoryMetadata()) }), code('AccessDenied', /must name its file/));
  });
});
