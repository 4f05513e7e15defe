// The PostgreSQL server the tests use (issue #21): `npm test` starts a throwaway cluster
// (scripts/pg-test-cluster.sh) and names it in COSLOCAL_TEST_POSTGRES_URL; each store under test gets a
// database of its own on it, dropped when the test process ends.
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';

const ADMIN_URL = process.env['COSLOCAL_TEST_POSTGRES_URL'];

/** Where failing is better than skipping: CI, and runs that demand every suite (as .ci/run does). */
const REQUIRED = process.env['CI'] !== undefined || process.env['COSLOCAL_INTEROP_REQUIRED'] === '1';

/**
 * For a test's `{ skip }`: why the PostgreSQL tests cannot run here, or false when they can. Where they
 * are required, a missing server is an error instead.
 */
export function postgresUnavailable(): string | false {
  if (ADMIN_URL !== undefined) return false;
  if (REQUIRED) throw new Error('COSLOCAL_TEST_POSTGRES_URL is not set: run the tests with `npm test`, which starts PostgreSQL (Debian package postgresql)');
  return 'no PostgreSQL: `npm test` starts one when the Debian package postgresql is installed (or set COSLOCAL_TEST_POSTGRES_URL)';
}

let admin: Promise<pg.Client> | undefined;
const made: string[] = [];

// Registered when this module loads, so on the test file's root: after every test of the file.
after(async () => {
  if (!admin) return;
  const client = await admin;
  admin = undefined;
  // FORCE: a store a failed test left open must not keep its database.
  for (const name of made.splice(0)) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
});

function adminClient(): Promise<pg.Client> {
  if (ADMIN_URL === undefined) return Promise.reject(new Error(String(postgresUnavailable())));
  admin ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    return client;
  })();
  return admin;
}

/** A new, empty database on the test server; returns its URL. */
export async function freshDatabase(): Promise<string> {
  const client = await adminClient();
  const name = `coslocal_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await client.query(`CREATE DATABASE ${name}`);
  made.push(name);
  const url = new URL(ADMIN_URL ?? '');
  url.pathname = `/${name}`;
  return url.toString();
}
