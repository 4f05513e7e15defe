// Access logs delivered (jobs/logging.ts) through cos-nodejs-sdk-v5 on the test clock: requests to a bucket
// with logging on leave lines that the logging job writes, once their 5-minute period is over, as one log
// file in the target bucket under its prefix, in COS's naming and field order.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import { freezeClockAt, runJob } from '../helpers/jobs.ts';
import { OWNER, startTestServer, type TestServer } from '../helpers/server.ts';

const MINUTE = 60_000;
/** A period boundary (5 minutes) well ahead of the real time, frozen there, so every line's time is known. */
const START = Math.ceil((Date.now() + 24 * 60 * MINUTE) / (5 * MINUTE)) * 5 * MINUTE;

let server: TestServer;
let cos: COS;
const Region = (): string => server.region;

async function setClock(at: number): Promise<void> {
  cos = await freezeClockAt(server.hostPort, at);
}

const runLogging = (): Promise<void> => runJob(server.hostPort, 'logging');

async function keysOf(Bucket: string, Prefix = ''): Promise<string[]> {
  return (await cos.getBucket({ Bucket, Region: Region(), Prefix })).Contents.map((c) => c.Key);
}

async function linesOf(Bucket: string, Key: string): Promise<string[][]> {
  const { Body } = await cos.getObject({ Bucket, Region: Region(), Key });
  return Body.toString().trimEnd().split('\n').map((line) => line.split(' '));
}

before(async () => {
  server = await startTestServer({ args: ['--test-controls'] });
  cos = server.sdk();
});
after(() => server.close());

it('writes the requests of a period, once it is over, as one log file under the target prefix, in COS\'s field order', async () => {
  const [source, target] = [await server.newBucket(), await server.newBucket()];
  await setClock(START + MINUTE);
  await cos.putBucketVersioning({ Bucket: source, Region: Region(), VersioningConfiguration: { Status: 'Enabled' } });
  await cos.putBucketLogging({ Bucket: source, Region: Region(), BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: 'logs/' } } });
  assert.deepEqual((await cos.getBucketLogging({ Bucket: source, Region: Region() })).BucketLoggingStatus.LoggingEnabled, { TargetBucket: target, TargetPrefix: 'logs/' });
  const put = await cos.putObject({ Bucket: source, Region: Region(), Key: 'folder/a b.txt', Body: 'hello' });
  await cos.getObject({ Bucket: source, Region: Region(), Key: 'folder/a b.txt' });
  await assert.rejects(cos.headObject({ Bucket: source, Region: Region(), Key: 'missing' }));
  // The target bucket logs nothing of its own: reading it adds no line anywhere.
  assert.deepEqual(await keysOf(target), []);

  await runLogging();
  assert.deepEqual(await keysOf(target), [], 'the period is not over yet');

  await setClock(START + 5 * MINUTE);
  await runLogging();
  const keys = await keysOf(target);
  assert.equal(keys.length, 1, `one file: ${keys.join(', ')}`);
  const [key = ''] = keys;
  const day = new Date(START).toISOString().slice(0, 10).replaceAll('-', '/');
  const time = new Date(START).toISOString().slice(0, 19).replace(/[-T:]/g, '');
  assert.match(key, new RegExp(`^logs/${day}/${time}_[0-9a-f]{8}_0$`), 'TargetPrefix{YYYY}/{MM}/{DD}/{time}_{random}_{index}');

  const lines = await linesOf(target, key);
  assert.deepEqual(lines.map((f) => f.length), [30, 30, 30, 30], 'thirty fields a line');
  // eventName, reqPath, reqMethod, resHttpCode, resErrorCode of each line.
  assert.deepEqual(
    lines.map((f) => [f[5], f[11], f[12], f[14], f[15]]),
    [
      ['GetBucketLogging', '/', 'get', '200', '-'],
      ['PutObject', '/folder/a%20b.txt', 'put', '200', '-'],
      ['GetObject', '/folder/a%20b.txt', 'get', '200', '-'],
      ['HeadObject', '/missing', 'head', '404', 'NoSuchKey'],
    ],
  );
  const [, first = []] = lines;
  const eventTime = `${new Date(START + MINUTE).toISOString().slice(0, 19)}Z`;
  assert.deepEqual([first[0], first[1], first[2], first[3], first[4]], ['1.0', source, Region(), eventTime, `${source}.cos.${Region()}.myqcloud.com`]);
  assert.equal(first[7], OWNER.secretId, 'userSecretKeyId');
  assert.equal(first[19], 'USER', 'logSourceType');
  assert.equal(first[21], OWNER.uin, 'accountId: the bucket owner');
  assert.equal(first[23], `${OWNER.uin}:${OWNER.uin}`, 'requester: root uin:uin');
  assert.match(first[24] ?? '', /^[A-Za-z0-9=+/_-]+$/, 'requestId');
  assert.equal(lines[3]?.[16], 'The%20specified%20key%20does%20not%20exist.', 'resErrorMsg, its spaces encoded');
  assert.ok(Number(first[9]) > 5, 'reqBytesSent counts the request');
  const versionId = put.headers?.['x-cos-version-id'];
  assert.ok(versionId);
  assert.deepEqual(lines.map((f) => f[26]), ['-', versionId, versionId, '-'], 'versionId: the version the reply named');

  await runLogging();
  assert.deepEqual(await keysOf(target), [key], 'a delivered line is never delivered again');
});

it('delivers nothing once logging is off, and logs nothing for a bucket without logging', async () => {
  const [source, target] = [await server.newBucket(), await server.newBucket()];
  await setClock(START + 10 * MINUTE);
  await cos.putBucketLogging({ Bucket: source, Region: Region(), BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: '' } } });
  await cos.putObject({ Bucket: source, Region: Region(), Key: 'k', Body: 'x' });
  await cos.putBucketLogging({ Bucket: source, Region: Region(), BucketLoggingStatus: {} });
  await cos.putObject({ Bucket: target, Region: Region(), Key: 'own', Body: 'x' });
  await setClock(START + 20 * MINUTE);
  await runLogging();
  assert.deepEqual(await keysOf(target), ['own']);
});
