// defineOperation: how an operation is authorized decides what it may need and what its run() must return.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyReply } from '../http/respond.ts';
import { OPERATION_HANDLERS } from './index.ts';
import { defineOperation } from './operation.ts';

// Compile-time checks: each @ts-expect-error below must meet a type error, or the typecheck that
// `npm test` runs first fails with "Unused '@ts-expect-error' directive". Exported so that the
// declarations count as used.
export const refusedByTheTypeChecker = [
  defineOperation({
    id: 'GetService',
    authorize: 'self',
    needs: { bucket: 'optional' },
    // @ts-expect-error authorizes itself but never decided: it has no Allowed to return.
    async run() {
      return emptyReply(200);
    },
  }),
  defineOperation({
    id: 'GetService',
    authorize: 'self',
    needs: { bucket: 'optional' },
    // @ts-expect-error an allow written by hand is no Allowed: only the request context's decide() and authorize() make one.
    async run() {
      return { ...emptyReply(200), allowedBy: { effect: 'allow', source: 'owner', reason: 'forged' } };
    },
  }),
  defineOperation({
    id: 'DeleteMultipleObjects',
    authorize: 'self',
    // @ts-expect-error NoSuchBucket before the operation's own decision would tell a denied caller the bucket is missing.
    needs: { bucket: 'required' },
    async run(ctx) {
      return { ...emptyReply(200), allowedBy: ctx.authorize({ action: 'name/cos:DeleteObject' }) };
    },
  }),
  defineOperation({
    id: 'GetObject',
    authorize: 'route',
    needs: { bucket: 'optional' },
    async run(_ctx, { bucket }) {
      // @ts-expect-error a bucket declared optional may be missing.
      return emptyReply(200, { 'x-cos-bucket': bucket.name });
    },
  }),
];

test('only these operations skip the route decision, and only POST Object authenticates itself', () => {
  // A new entry here is a security decision: it should be made on purpose, in review.
  const unlessRoute = Object.values(OPERATION_HANDLERS)
    .filter((op) => op.authorize !== 'route')
    .map((op) => `${op.id}: authorize ${op.authorize}, authenticate ${op.authenticate}`);
  assert.deepEqual(unlessRoute.sort(), [
    'DeleteMultipleObjects: authorize self, authenticate request',
    'GetService: authorize self, authenticate request',
    'OptionsObject: authorize none, authenticate none',
    'PostObject: authorize self, authenticate self',
  ]);
  assert.ok(Object.values(OPERATION_HANDLERS).every((op) => op.authorize !== 'route' || op.authenticate === 'request'));
});
