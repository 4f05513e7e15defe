// A PostgreSQL URL is shown without its password.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describePostgresUrl } from './describe-url.ts';

it('hides the password and keeps the rest', () => {
  assert.equal(describePostgresUrl('postgres://coslocal:s3cret@db.local:5432/meta?sslmode=require'), 'postgres://coslocal:***@db.local:5432/meta?sslmode=require');
  assert.equal(describePostgresUrl('postgresql://coslocal@127.0.0.1/meta'), 'postgresql://coslocal@127.0.0.1/meta');
});
