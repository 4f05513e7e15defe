// Driving the background jobs from a test: the admin endpoint's clock and jobs, as the root account.
import assert from 'node:assert/strict';
import COS from 'cos-nodejs-sdk-v5';
import { eventually } from './eventually.ts';
import { send, type RawResponse } from './raw.ts';
import { OWNER } from './server.ts';

/** A request to `/_coslocal/v1/<path>` of the server at hostPort. */
export const adminRequest =
  (hostPort: string) =>
  (method: string, path: string, body?: object): Promise<RawResponse> =>
    send(hostPort, { method, url: `/_coslocal/v1/${path}`, ...(body && { body: JSON.stringify(body) }), signAs: OWNER });

/**
 * Sets the server's clock to `at` and freezes it there, so that every time a request records is known;
 * returns an SDK client for OWNER on that clock (its signatures must stay in the server's window).
 */
export async function freezeClockAt(hostPort: string, at: number): Promise<COS> {
  const res = await adminRequest(hostPort)('POST', 'clock', { set: at, freeze: true });
  assert.equal(res.status, 200, res.text);
  return new COS({ SecretId: OWNER.secretId, SecretKey: OWNER.secretKey, Protocol: 'http:', Ip: hostPort, SystemClockOffset: at - Date.now() });
}

/** Runs the job now and checks that the run succeeded. */
export async function runJob(hostPort: string, name: string): Promise<void> {
  const res = await adminRequest(hostPort)('POST', `jobs/${name}/run`);
  assert.equal(res.status, 200, res.text);
  assert.equal((JSON.parse(res.text) as { outcome: string }).outcome, 'success', res.text);
}

interface ListedJob {
  name: string;
  running: boolean;
  lastRun?: { outcome: string };
}

/** Waits until the job's run in progress (a resumed one, after a restart) has ended in success. */
export async function jobSucceeded(hostPort: string, name: string): Promise<void> {
  await eventually(`the ${name} run ended`, async () => {
    const jobs = (JSON.parse((await adminRequest(hostPort)('GET', 'jobs')).text) as { jobs: ListedJob[] }).jobs;
    const job = jobs.find((j) => j.name === name);
    return job?.running === false && job.lastRun?.outcome === 'success';
  });
}
