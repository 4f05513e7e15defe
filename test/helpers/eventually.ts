import assert from 'node:assert/strict';

/** Polls until `done` holds; the deadline only turns a hang into a failure, it is no performance bound. */
export async function eventually(what: string, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await done())) {
    if (Date.now() > deadline) assert.fail(`still not true after 60 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
