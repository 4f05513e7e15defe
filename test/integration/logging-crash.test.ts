// kill -9 in the middle of a logging run (jobs/logging.ts): the restarted server resumes it, and in the end
// every request's line is in exactly one log file, and each (bucket, period) has exactly one file.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import type { JobState } from '../../src/storage/metadata.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort, startServer } from '../helpers/child-server.ts';
import { openStoredTables } from '../helpers/stored-tables.ts';
import { adminRequest, freezeClockAt, jobSucceeded } from '../helpers/jobs.ts';
import { send } from '../helpers/raw.ts';
import { onDiskOnly, OWNER } from '../helpers/server.ts';

const PERIOD = 5 * 60_000;
/** Periods with lines, per source bucket: enough files (one step each) that the kill lands inside the run. */
const PERIODS = 80;
const SOURCES = 3;
const REQUESTS_PER_PERIOD = 2;

const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-logging-crash-'));
after(() => rm(dataDir, { recursive: true, force: true }));

it('resumes a logging run killed mid-way: every line delivered once, one file per bucket and period', { skip: onDiskOnly('restarts after kill -9') }, async () => {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const setClock = async (at: number): Promise<void> => void (await freezeClockAt(hostPort, at));
  let server = await startServer(port, dataDir, { args: ['--test-controls'] });
  try {
    let cos = new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: hostPort });
    const Region = 'ap-guangzhou';
    const target = `logcrash-target-${OWNER.appid}`;
    const sources = Array.from({ length: SOURCES }, (_, i) => `logcrash-source${i}-${OWNER.appid}`);
    await cos.putBucket({ Bucket: target, Region });
    for (const Bucket of sources) {
      await cos.putBucket({ Bucket, Region });
      await cos.putBucketLogging({ Bucket, Region, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: `${Bucket}/` } } });
    }
    // Lines in PERIODS periods, made newest period first: with the clock always inside the newest period
    // that has lines, none is over and nothing is delivered until the clock passes them all.
    const start = Math.ceil((Date.now() + 86_400_000) / PERIOD) * PERIOD;
    for (let period = PERIODS - 1; period >= 0; period--) {
      await setClock(start + period * PERIOD + 1_000);
      for (const bucket of sources) {
        for (let i = 0; i < REQUESTS_PER_PERIOD; i++) assert.equal((await send(hostPort, { method: 'GET', url: `/${bucket}/p${period}-r${i}` })).status, 403);
      }
    }
    const total = PERIODS * SOURCES * REQUESTS_PER_PERIOD;

    const end = start + PERIODS * PERIOD;
    await setClock(end);
    // The clock's moves back and forth have left the job's next run after `end`: start it by hand, and
    // leave that request hanging (the kill cuts it).
    void adminRequest(hostPort)('POST', 'jobs/logging/run').catch(() => undefined);
    const watcher = await openStoredTables(dataDir);
    const pending = (): Promise<number> => watcher.value<number>('SELECT count(*) FROM access_logs');
    await eventually('the run has delivered a few files', async () => (await pending()) <= total - 10 * REQUESTS_PER_PERIOD);
    await watcher.close();
    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));

    const db = await openStoredTables(dataDir);
    const stored = JSON.parse(await db.value<string>('SELECT state FROM jobs WHERE name = ?', 'logging')) as JobState;
    const pendingBefore = await db.value<number>('SELECT count(*) FROM access_logs');
    await db.close();
    assert.ok(stored.run, 'killed inside the run');
    assert.ok(pendingBefore > 0 && pendingBefore < total, `killed mid-way (${pendingBefore} of ${total} lines pending)`);

    server = await startServer(port, dataDir, { args: ['--test-controls', '--clock', String(end)] });
    cos = new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: hostPort, SystemClockOffset: end - Date.now() });
    await jobSucceeded(hostPort, 'logging');

    const listed = await cos.getBucket({ Bucket: target, Region, MaxKeys: 1000 });
    const keys = listed.Contents.map((c) => c.Key);
    for (const bucket of sources) assert.equal(keys.filter((key) => key.startsWith(`${bucket}/`)).length, PERIODS, `one file per period of ${bucket}`);
    const requests: string[] = [];
    for (const Key of keys) {
      const { Body } = await cos.getObject({ Bucket: target, Region, Key });
      // reqPath (field 12) names the request: its bucket is the file's prefix.
      requests.push(...Body.toString().trimEnd().split('\n').map((line) => `${Key.split('/')[0] ?? ''}${line.split(' ')[11] ?? ''}`));
    }
    assert.equal(requests.length, total, 'no line twice, none lost');
    assert.equal(new Set(requests).size, total);
  } finally {
    server.kill('SIGKILL');
  }
});
