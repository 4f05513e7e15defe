// The test controls over HTTP: reset (--allow-reset), fault rules seen through cos-nodejs-sdk-v5's own
// retries, and the test clock (--test-controls), each refused on a server started without its switch.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import COS from 'cos-nodejs-sdk-v5';
import { errorOf, send, sendUrl, type RawResponse } from '../helpers/raw.ts';
import { sdkWithTemporaryKey, type TemporaryKeyReply } from '../helpers/temporary-keys.ts';
import { codeOf, onDiskOnly, OTHER, OWNER, SUB, startTestServer, uniqueBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';

const admin = (server: TestServer, method: string, path: string, body?: object, as: TestIdentity = OWNER): Promise<RawResponse> =>
  send(server.hostPort, { method, url: `/_coslocal/v1/${path}`, ...(body && { body: JSON.stringify(body) }), signAs: as });

const temporaryClient = (server: TestServer, key: TemporaryKeyReply): COS => sdkWithTemporaryKey(server.hostPort, key);

const json = (res: RawResponse): Record<string, unknown> => JSON.parse(res.text) as Record<string, unknown>;

describe('reset', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ args: ['--allow-reset'] })));
  after(() => server.close());

  it('removes every bucket, object and upload, and returns identities to the seed', async () => {
    const cos = server.sdk();
    const Region = server.region;
    const Bucket = uniqueBucket();
    await cos.putBucket({ Bucket, Region });
    await cos.putObject({ Bucket, Region, Key: 'a.txt', Body: 'a' });
    const { UploadId } = await cos.multipartInit({ Bucket, Region, Key: 'big.bin' });
    await cos.putObject({ Bucket: `seeded-${OWNER.appid}`, Region, Key: 'in-a-seeded-bucket', Body: 'x' });
    const withTemporaryKey = temporaryClient(server, json(await admin(server, 'POST', 'temporary-keys', {})) as unknown as TemporaryKeyReply);
    await withTemporaryKey.headBucket({ Bucket, Region });

    const res = await admin(server, 'POST', 'reset');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(json(res), { reset: true });

    assert.equal(await codeOf(cos.headBucket({ Bucket, Region })), '404');
    const names = (await cos.getService({})).Buckets.map((b) => b.Name).sort();
    assert.deepEqual(names, [`seeded-${OWNER.appid}`, `seededgrants-${OWNER.appid}`, `seededpublic-${OWNER.appid}`]);
    const seeded = await cos.getBucket({ Bucket: `seeded-${OWNER.appid}`, Region });
    assert.deepEqual(seeded.Contents, [], 'a seeded bucket comes back empty');
    assert.equal(await codeOf(withTemporaryKey.getService({})), 'InvalidAccessKeyId', 'a key the seed does not have is gone at once');
    await server.sdk(OTHER).getService({});
    // The bucket name is free again.
    await cos.putBucket({ Bucket, Region });
    assert.deepEqual((await cos.getBucket({ Bucket, Region })).Contents, []);
    assert.equal(await codeOf(cos.multipartListPart({ Bucket, Region, Key: 'big.bin', UploadId })), 'NoSuchUpload');
  });

  it('hands the bytes of what it removed to the collector, which frees them', { skip: onDiskOnly('blob files') }, async () => {
    const cos = server.sdk();
    const Bucket = uniqueBucket();
    await cos.putBucket({ Bucket, Region: server.region });
    await cos.putObject({ Bucket, Region: server.region, Key: 'big', Body: Buffer.alloc(256 * 1024, 1) });
    const { UploadId } = await cos.multipartInit({ Bucket, Region: server.region, Key: 'parts' });
    await cos.multipartUpload({ Bucket, Region: server.region, Key: 'parts', UploadId, PartNumber: 1, Body: Buffer.alloc(256 * 1024, 2) });
    assert.equal((await server.blobFiles()).length, 2);
    await admin(server, 'POST', 'reset');
    assert.deepEqual(await server.blobFiles(), []);
  });

  it('is for root accounts\' permanent keys only', async () => {
    const res = await admin(server, 'POST', 'reset', undefined, SUB);
    assert.equal(res.status, 403, res.text);
    const unsigned = await send(server.hostPort, { method: 'POST', url: '/_coslocal/v1/reset' });
    assert.equal(unsigned.status, 403, unsigned.text);
  });
});

describe('reset without --allow-reset', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  it('is refused, and nothing is removed', async () => {
    const Bucket = uniqueBucket();
    await server.sdk().putBucket({ Bucket, Region: server.region });
    const res = await admin(server, 'POST', 'reset');
    assert.equal(res.status, 403, res.text);
    assert.equal(json(res)['code'], 'AccessDenied');
    assert.match(String(json(res)['message']), /--allow-reset/);
    await server.sdk().headBucket({ Bucket, Region: server.region });
  });

  it('the test controls are refused too', async () => {
    for (const path of ['faults', 'clock']) {
      const res = await admin(server, 'GET', path);
      assert.equal(res.status, 403, res.text);
      assert.match(String(json(res)['message']), /--test-controls/);
    }
  });
});

describe('fault injection', () => {
  let server: TestServer;
  let Bucket: string;
  const Region = (): string => server.region;
  before(async () => {
    server = await startTestServer({ args: ['--test-controls'] });
    Bucket = uniqueBucket();
    const cos = server.sdk();
    await cos.putBucket({ Bucket, Region: Region() });
    for (const Key of ['500', '503', '504', 'shutdown', 'timeout', '404', '403']) await cos.putObject({ Bucket, Region: Region(), Key, Body: `body of ${Key}` });
  });
  after(() => server.close());

  const addRule = async (rule: object): Promise<string> => {
    const res = await admin(server, 'POST', 'faults', rule);
    assert.equal(res.status, 200, res.text);
    const [added] = json(res)['added'] as { id: string }[];
    return added?.id ?? '';
  };
  const hitsOf = async (id: string): Promise<number | undefined> =>
    (json(await admin(server, 'GET', 'faults'))['rules'] as { id: string; hits: number }[]).find((r) => r.id === id)?.hits;

  // The official SDK's own retry tests (its test.js, 'retry myqcloud.com'): fail once then succeed, or always fail.
  it('a 5xx answered once is retried by the SDK, which then gets the object', async () => {
    for (const status of [500, 503, 504]) {
      const id = await addRule({ bucket: Bucket, key: String(status), operation: 'GetObject', status, times: 1 });
      const got = await server.sdk().getObject({ Bucket, Region: Region(), Key: String(status) });
      assert.equal(got.Body.toString(), `body of ${status}`);
      assert.equal(await hitsOf(id), 1);
    }
  });

  it('a 5xx every time fails after the SDK\'s retries, with COS\'s error body', async () => {
    const id = await addRule({ bucket: Bucket, key: '503', operation: 'GetObject', error: 'SlowDown' });
    const error = (await server.sdk().getObject({ Bucket, Region: Region(), Key: '503' }).then(() => undefined, (e: unknown) => e)) as { statusCode: number; code: string } | undefined;
    assert.equal(error?.statusCode, 503);
    assert.equal(error.code, 'SlowDown');
    assert.equal(await hitsOf(id), 4, 'the first try and the SDK\'s three retries');
    const res = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/503`, signAs: OWNER });
    assert.equal(res.status, 503);
    assert.equal(errorOf(res)['Code'], 'SlowDown');
    assert.ok(errorOf(res)['RequestId'], 'a RequestId, as every COS error');
    assert.equal(res.headers['x-cos-request-id'], errorOf(res)['RequestId']);
    await admin(server, 'DELETE', 'faults');
  });

  it('4xx faults always fail and are not retried', async () => {
    const notFound = await addRule({ bucket: Bucket, key: '404', status: 404 });
    const denied = await addRule({ bucket: Bucket, key: '403', status: 403 });
    assert.equal(await codeOf(server.sdk().getObject({ Bucket, Region: Region(), Key: '404' })), 'NoSuchKey');
    assert.equal(await codeOf(server.sdk().getObject({ Bucket, Region: Region(), Key: '403' })), 'AccessDenied');
    assert.equal(await codeOf(server.sdk().getObject({ Bucket, Region: Region(), Key: '403' })), 'AccessDenied');
    assert.deepEqual([await hitsOf(notFound), await hitsOf(denied)], [1, 2]);
    await admin(server, 'DELETE', 'faults');
  });

  it('a dropped connection and a stall are retried by the SDK', async () => {
    const drop = await addRule({ bucket: Bucket, key: 'shutdown', operation: 'GetObject', drop: true, times: 1 });
    assert.equal((await server.sdk().getObject({ Bucket, Region: Region(), Key: 'shutdown' })).Body.toString(), 'body of shutdown');
    assert.equal(await hitsOf(drop), 1);
    const stall = await addRule({ bucket: Bucket, key: 'timeout', operation: 'GetObject', delayMs: 3000, times: 1 });
    const impatient = new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: server.hostPort, Timeout: 1000 });
    const started = Date.now();
    assert.equal((await impatient.getObject({ Bucket, Region: Region(), Key: 'timeout' })).Body.toString(), 'body of timeout');
    assert.ok(Date.now() - started < 3000, 'the retry did not wait for the stalled request');
    assert.equal(await hitsOf(stall), 1);
  });

  it('matches keys by pattern and operations by name, a probability of its matches, and lists and clears its rules', async () => {
    await admin(server, 'DELETE', 'faults');
    const id = await addRule({ bucket: Bucket, key: '5*', operation: 'HeadObject', status: 500 });
    assert.equal(await codeOf(server.sdk().getObject({ Bucket, Region: Region(), Key: '500' })), undefined, 'another operation');
    assert.equal(await codeOf(server.sdk().headObject({ Bucket, Region: Region(), Key: 'shutdown' })), undefined, 'another key');
    assert.equal(await codeOf(server.sdk().headObject({ Bucket, Region: Region(), Key: '504' })), '500');
    const listed = json(await admin(server, 'GET', 'faults'))['rules'];
    assert.deepEqual(listed, [{ id, bucket: Bucket, key: '5*', operation: 'HeadObject', effect: { kind: 'error', code: 'InternalError', status: 500 }, hits: 4 }]);
    assert.deepEqual(json(await admin(server, 'DELETE', 'faults')), { cleared: 1 });
    assert.deepEqual(json(await admin(server, 'GET', 'faults')), { rules: [] });
    await server.sdk().headObject({ Bucket, Region: Region(), Key: '504' });
  });

  it('refuses a rule it cannot apply, with the reason', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ key: 'x' }, /exactly one of/],
      [{ status: 500, drop: true }, /exactly one of/],
      [{ error: 'NoSuchThing' }, /not a COS error code/],
      [{ status: 200 }, /400-599/],
      [{ drop: true, times: 0 }, /positive integer/],
      [{ drop: true, probability: 2 }, /\(0, 1\]/],
      [{ drop: true, colour: 'red' }, /unknown fields colour/],
      [{ rules: 'no' }, /array/],
    ];
    for (const [rule, message] of cases) {
      const res = await admin(server, 'POST', 'faults', rule);
      assert.equal(res.status, 400, res.text);
      assert.match(String(json(res)['message']), message);
    }
    assert.deepEqual(json(await admin(server, 'GET', 'faults')), { rules: [] });
  });
});

describe('fault rules from the seed file', () => {
  it('are in force from the start, and a reset brings them back', async () => {
    const server = await startTestServer({ args: ['--test-controls', '--allow-reset'], faults: [{ bucket: `seeded-${OWNER.appid}`, operation: 'HeadBucket', status: 503, times: 1 }] });
    try {
      const head = (): Promise<string | undefined> => codeOf(server.sdk().headBucket({ Bucket: `seeded-${OWNER.appid}`, Region: server.region }));
      const raw = (): Promise<RawResponse> => send(server.hostPort, { method: 'HEAD', url: `/seeded-${OWNER.appid}`, signAs: OWNER });
      assert.equal((await raw()).status, 503);
      assert.equal((await raw()).status, 200);
      await admin(server, 'POST', 'reset');
      assert.equal((await raw()).status, 503);
      assert.equal(await head(), undefined);
    } finally {
      await server.close();
    }
  });

  it('need --test-controls', async () => {
    await assert.rejects(startTestServer({ faults: [{ drop: true }] }), /--test-controls/);
  });
});

describe('test clock', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ args: ['--test-controls'] })));
  after(() => server.close());

  const clock = async (body?: object): Promise<{ now: string; epochMs: number; offsetMs: number; frozen: boolean }> => {
    const res = await admin(server, body ? 'POST' : 'GET', 'clock', body);
    assert.equal(res.status, 200, res.text);
    return JSON.parse(res.text) as { now: string; epochMs: number; offsetMs: number; frozen: boolean };
  };

  it('advanced past a presigned URL\'s expiry, the URL is refused', async () => {
    const cos = server.sdk();
    const Bucket = uniqueBucket();
    await cos.putBucket({ Bucket, Region: server.region });
    await cos.putObject({ Bucket, Region: server.region, Key: 'k', Body: 'v' });
    const url = cos.getObjectUrl({ Bucket, Region: server.region, Key: 'k', Sign: true, Expires: 60 }, () => undefined);
    assert.equal((await sendUrl(server.hostPort, url)).text, 'v');
    const moved = await clock({ advanceSeconds: 61 });
    assert.ok(moved.offsetMs >= 61_000 && moved.offsetMs < 70_000, JSON.stringify(moved));
    const expired = await sendUrl(server.hostPort, url);
    assert.equal(expired.status, 403);
    assert.equal(errorOf(expired)['Message'], 'Request has expired');
    await clock({ restore: true });
    assert.equal((await sendUrl(server.hostPort, url)).text, 'v');
  });

  it('a temporary key expires when the clock passes its end', async () => {
    const key = json(await admin(server, 'POST', 'temporary-keys', { durationSeconds: 1800 })) as unknown as TemporaryKeyReply;
    await temporaryClient(server, key).getService({});
    const { epochMs } = await clock({ set: new Date((key.expiredTime + 1) * 1000).toISOString() });
    // Signed for a window around the server's time, so that only the key's expiry is in question (the SDK
    // signs for the key's own window, which has ended too: AccessDenied, Request has expired).
    const serverNow = Math.floor(epochMs / 1000);
    const res = await send(server.hostPort, {
      method: 'GET',
      url: '/',
      headers: { 'x-cos-security-token': key.credentials.sessionToken },
      signAs: { ...OWNER, secretId: key.credentials.tmpSecretId, secretKey: key.credentials.tmpSecretKey },
      signWindow: { start: serverNow - 1, end: serverNow + 900 },
    });
    assert.deepEqual([res.status, errorOf(res)['Code']], [400, 'ExpiredToken']);
    assert.equal(await codeOf(temporaryClient(server, key).getService({})), 'AccessDenied');
    await clock({ restore: true });
    await temporaryClient(server, key).getService({});
  });

  it('set, frozen and restored, as its answers say; a request signed now is too early for a server in the past', async () => {
    const frozen = await clock({ set: '2020-01-02T03:04:05.000Z', freeze: true });
    assert.deepEqual([frozen.now, frozen.frozen], ['2020-01-02T03:04:05.000Z', true]);
    assert.equal((await clock({ advanceSeconds: 3600 })).now, '2020-01-02T04:04:05.000Z');
    const early = await send(server.hostPort, { method: 'GET', url: '/', signAs: OWNER });
    assert.equal(early.status, 403);
    assert.deepEqual([errorOf(early)['Code'], errorOf(early)['ServerTime']], ['RequestTimeTooSkewed', '2020-01-02T04:04:05Z']);
    // The Date header too: the SDKs correct their clock skew from it (the AWS SDK from every response).
    assert.equal(early.headers['date'], 'Thu, 02 Jan 2020 04:04:05 GMT');
    const restored = await clock({ restore: true });
    assert.equal(restored.frozen, false);
    assert.ok(Math.abs(restored.epochMs - Date.now()) < 5000);
    const bad = await admin(server, 'POST', 'clock', { set: 'yesterday' });
    assert.equal(bad.status, 400);
    assert.match(String(json(bad)['message']), /ISO 8601/);
  });
});

describe('coslocal reset', () => {
  const run = promisify(execFile);
  const cli = (env: Record<string, string>, ...args: string[]): Promise<{ stdout: string }> =>
    run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'reset', ...args], { env: { ...process.env, ...env } });

  it('resets a server started with --allow-reset, signing with the root key from the environment', async () => {
    const server = await startTestServer({ args: ['--allow-reset'] });
    try {
      const Bucket = uniqueBucket();
      await server.sdk().putBucket({ Bucket, Region: server.region });
      const { stdout } = await cli({ COSLOCAL_SECRET_ID: OWNER.secretId, COSLOCAL_SECRET_KEY: OWNER.secretKey }, '--endpoint', server.endpoint);
      assert.deepEqual(JSON.parse(stdout), { reset: true });
      assert.equal(await codeOf(server.sdk().headBucket({ Bucket, Region: server.region })), '404');
    } finally {
      await server.close();
    }
  });

  it('says why a server refused, and exits 1', async () => {
    const server = await startTestServer();
    try {
      const failed = (await cli({}, '--endpoint', server.endpoint, '--secret-id', OWNER.secretId, '--secret-key', OWNER.secretKey).then(
        () => undefined,
        (error: unknown) => error,
      )) as { code: number; stderr: string } | undefined;
      assert.equal(failed?.code, 1);
      assert.match(failed.stderr, /refused the reset: 403 AccessDenied: reset is off: start the server with --allow-reset/);
    } finally {
      await server.close();
    }
  });
});
