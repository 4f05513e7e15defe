// Table-driven authorization decisions: owner, other roots, sub-accounts, anonymous, PutBucket, missing buckets, GetService.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_USERS, AUTHENTICATED_USERS, cannedGrants, type Acl } from '../domain/acl.ts';
import { ANONYMOUS, camId, type Principal } from '../domain/identity.ts';
import { OPERATIONS } from '../routing/operations.ts';
import { ACTION_OF, type CosAction } from './actions.ts';
import { decide, type BucketFacts, type Decision, type RequestFacts } from './decide.ts';

const OWNER_UIN = '100000000001';
const OWNER: Principal = { kind: 'user', ownerUin: OWNER_UIN, uin: OWNER_UIN, appid: '1250000000', secretId: 'AKIDowner' };
const OWNER_SUB: Principal = { kind: 'user', ownerUin: OWNER_UIN, uin: '100000000011', appid: '1250000000', secretId: 'AKIDownersub' };
const OTHER: Principal = { kind: 'user', ownerUin: '100000000002', uin: '100000000002', appid: '1250000002', secretId: 'AKIDother' };
const OTHER_SUB: Principal = { kind: 'user', ownerUin: '100000000002', uin: '100000000022', appid: '1250000002', secretId: 'AKIDothersub' };

const NAME = 'examplebucket-1250000000';
/** An existing private bucket of OWNER (no stored ACL). */
const BUCKET: BucketFacts = { name: NAME, appid: '1250000000', ownerUin: OWNER_UIN, acl: undefined, region: 'ap-guangzhou', policy: undefined };
/** The same name, not (yet) created. */
const MISSING: BucketFacts = { name: NAME, appid: '1250000000', ownerUin: undefined, acl: undefined, region: 'ap-guangzhou', policy: undefined };
const NO_APPID: BucketFacts = { name: 'examplebucket', appid: undefined, ownerUin: undefined, acl: undefined, region: 'ap-guangzhou', policy: undefined };
const OTHERS_NAME: BucketFacts = { name: 'otherbucket-1250000002', appid: '1250000002', ownerUin: undefined, acl: undefined, region: 'ap-guangzhou', policy: undefined };

const withAcl = (acl: Acl): BucketFacts => ({ ...BUCKET, acl });
const PUBLIC_READ: Acl = { grants: cannedGrants('public-read', OWNER_UIN), canned: 'public-read' };
const AUTH_READ: Acl = { grants: cannedGrants('authenticated-read', OWNER_UIN), canned: 'authenticated-read' };
const PRIVATE: Acl = { grants: cannedGrants('private', OWNER_UIN), canned: 'private' };
const GRANT_OTHER_READ: Acl = {
  grants: [...cannedGrants('private', OWNER_UIN), { grantee: { type: 'CanonicalUser', id: camId('100000000002', '100000000002') }, permission: 'READ' }],
};

type Expect = { effect: 'allow'; source: Extract<Decision, { effect: 'allow' }>['source'] } | { effect: 'deny'; explicit: boolean };

interface Case {
  name: string;
  facts: RequestFacts;
  expect: Expect;
}

const act = (api: string): CosAction => `name/cos:${api}`;
const facts = (principal: Principal, api: string, bucket?: BucketFacts, key?: string): RequestFacts => ({
  principal,
  action: act(api),
  ...(bucket !== undefined && { bucket }),
  ...(key !== undefined && { key }),
});

const ALLOW_OWNER: Expect = { effect: 'allow', source: 'owner' };
const DENY: Expect = { effect: 'deny', explicit: false };

const CASES: Case[] = [
  // The owner may do anything on its bucket.
  // ...every action the route table can produce (PutBucket and GetService have their own rules below).
  ...OPERATIONS.filter((op) => op.id !== 'PutBucket' && op.id !== 'GetService').map(
    (op): Case => ({
      name: `owner ${op.id} (${ACTION_OF[op.id]})`,
      facts: { principal: OWNER, action: ACTION_OF[op.id], bucket: BUCKET, ...(op.target === 'object' && { key: 'a.txt' }) },
      expect: ALLOW_OWNER,
    }),
  ),
  { name: 'owner GetBucket', facts: facts(OWNER, 'GetBucket', BUCKET), expect: ALLOW_OWNER },
  { name: 'owner PutObject', facts: facts(OWNER, 'PutObject', BUCKET, 'a.txt'), expect: ALLOW_OWNER },
  { name: 'owner GetObject', facts: facts(OWNER, 'GetObject', BUCKET, 'a.txt'), expect: ALLOW_OWNER },
  { name: 'owner DeleteBucket (no ACL permission grants it)', facts: facts(OWNER, 'DeleteBucket', BUCKET), expect: ALLOW_OWNER },
  { name: 'owner GetBucketLocation', facts: facts(OWNER, 'GetBucketLocation', BUCKET), expect: ALLOW_OWNER },
  { name: 'owner PutBucketACL', facts: facts(OWNER, 'PutBucketACL', BUCKET), expect: ALLOW_OWNER },
  { name: 'owner GetObject on an object whose own ACL is private', facts: { ...facts(OWNER, 'GetObject', BUCKET, 'a.txt'), object: { acl: PRIVATE } }, expect: ALLOW_OWNER },

  // Another root account.
  { name: 'other root GetBucket on private bucket', facts: facts(OTHER, 'GetBucket', BUCKET), expect: DENY },
  { name: 'other root GetObject on private bucket', facts: facts(OTHER, 'GetObject', BUCKET, 'a.txt'), expect: DENY },
  { name: 'other root PutObject on private bucket', facts: facts(OTHER, 'PutObject', BUCKET, 'a.txt'), expect: DENY },
  { name: 'other root DeleteBucket', facts: facts(OTHER, 'DeleteBucket', BUCKET), expect: DENY },
  { name: 'other root GetBucketLocation', facts: facts(OTHER, 'GetBucketLocation', BUCKET), expect: DENY },
  { name: 'other root with explicit private ACL', facts: facts(OTHER, 'GetBucket', withAcl(PRIVATE)), expect: DENY },

  // The owner's own sub-account: not the owner; needs a policy (none here).
  { name: "owner's sub-account GetBucket", facts: facts(OWNER_SUB, 'GetBucket', BUCKET), expect: DENY },
  { name: "owner's sub-account PutObject", facts: facts(OWNER_SUB, 'PutObject', BUCKET, 'a.txt'), expect: DENY },
  { name: "owner's sub-account DeleteBucket", facts: facts(OWNER_SUB, 'DeleteBucket', BUCKET), expect: DENY },

  // Anonymous.
  { name: 'anonymous GetObject on private bucket', facts: facts(ANONYMOUS, 'GetObject', BUCKET, 'a.txt'), expect: DENY },
  { name: 'anonymous GetBucket on private bucket', facts: facts(ANONYMOUS, 'GetBucket', BUCKET), expect: DENY },
  { name: 'anonymous DeleteBucket', facts: facts(ANONYMOUS, 'DeleteBucket', BUCKET), expect: DENY },

  // PutBucket: only the root account whose APPID the name carries.
  { name: 'PutBucket by the root owning the APPID', facts: facts(OWNER, 'PutBucket', MISSING), expect: { effect: 'allow', source: 'creator' } },
  { name: 'PutBucket by the APPID root on an existing bucket (conflict handled later)', facts: facts(OWNER, 'PutBucket', BUCKET), expect: { effect: 'allow', source: 'creator' } },
  { name: 'PutBucket by another root (APPID mismatch)', facts: facts(OTHER, 'PutBucket', MISSING), expect: DENY },
  { name: 'PutBucket by another root on an existing bucket', facts: facts(OTHER, 'PutBucket', BUCKET), expect: DENY },
  { name: 'PutBucket by a sub-account of the APPID root', facts: facts(OWNER_SUB, 'PutBucket', MISSING), expect: DENY },
  { name: 'PutBucket by anonymous', facts: facts(ANONYMOUS, 'PutBucket', MISSING), expect: DENY },
  { name: 'PutBucket of a name without APPID', facts: facts(OWNER, 'PutBucket', NO_APPID), expect: DENY },
  { name: "PutBucket of another account's name by its root", facts: facts(OTHER, 'PutBucket', OTHERS_NAME), expect: { effect: 'allow', source: 'creator' } },

  // A bucket that does not exist: only the would-be owner learns NoSuchBucket.
  { name: 'missing bucket, would-be owner GetBucket', facts: facts(OWNER, 'GetBucket', MISSING), expect: ALLOW_OWNER },
  { name: 'missing bucket, would-be owner DeleteBucket', facts: facts(OWNER, 'DeleteBucket', MISSING), expect: ALLOW_OWNER },
  { name: 'missing bucket, other root', facts: facts(OTHER, 'GetBucket', MISSING), expect: DENY },
  { name: "missing bucket, would-be owner's sub-account", facts: facts(OWNER_SUB, 'HeadBucket', MISSING), expect: DENY },
  { name: 'missing bucket, anonymous', facts: facts(ANONYMOUS, 'GetObject', MISSING, 'a.txt'), expect: DENY },
  { name: 'missing bucket without APPID, root', facts: facts(OWNER, 'GetBucket', NO_APPID), expect: DENY },

  // GetService: any root account; never anonymous or sub-accounts.
  { name: 'GetService by owner root', facts: facts(OWNER, 'GetService'), expect: { effect: 'allow', source: 'account' } },
  { name: 'GetService by other root', facts: facts(OTHER, 'GetService'), expect: { effect: 'allow', source: 'account' } },
  { name: 'GetService by anonymous', facts: facts(ANONYMOUS, 'GetService'), expect: DENY },
  { name: 'GetService by sub-account', facts: facts(OWNER_SUB, 'GetService'), expect: DENY },
  { name: 'GetService by another sub-account', facts: facts(OTHER_SUB, 'GetService'), expect: DENY },

  // ACL inputs (spec/acl.md §1-§2).
  { name: 'public-read: anonymous GetObject', facts: facts(ANONYMOUS, 'GetObject', withAcl(PUBLIC_READ), 'a.txt'), expect: { effect: 'allow', source: 'acl' } },
  { name: 'public-read: anonymous PutObject', facts: facts(ANONYMOUS, 'PutObject', withAcl(PUBLIC_READ), 'a.txt'), expect: DENY },
  { name: 'public-read: anonymous DeleteBucket', facts: facts(ANONYMOUS, 'DeleteBucket', withAcl(PUBLIC_READ)), expect: DENY },
  { name: 'public-read bucket, private object: anonymous GetObject', facts: { ...facts(ANONYMOUS, 'GetObject', withAcl(PUBLIC_READ), 'a.txt'), object: { acl: PRIVATE } }, expect: DENY },
  { name: 'authenticated-read: anonymous GetBucket', facts: facts(ANONYMOUS, 'GetBucket', withAcl(AUTH_READ)), expect: DENY },
  { name: 'authenticated-read: other root GetBucket', facts: facts(OTHER, 'GetBucket', withAcl(AUTH_READ)), expect: { effect: 'allow', source: 'acl' } },
  { name: 'READ granted to other root: it may GetBucket', facts: facts(OTHER, 'GetBucket', withAcl(GRANT_OTHER_READ)), expect: { effect: 'allow', source: 'acl' } },
  { name: 'READ granted to other root: not its sub-account', facts: facts(OTHER_SUB, 'GetBucket', withAcl(GRANT_OTHER_READ)), expect: DENY },
  { name: 'READ granted to other root: not WRITE', facts: facts(OTHER, 'PutObject', withAcl(GRANT_OTHER_READ), 'a.txt'), expect: DENY },
];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function pick(d: Decision): Expect {
  return d.effect === 'allow' ? { effect: 'allow', source: d.source } : { effect: 'deny', explicit: d.explicit };
}

describe('decide()', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const snapshot = structuredClone(c.facts);
      const frozen = deepFreeze(structuredClone(c.facts));
      const d = decide(frozen); // throws in strict mode if decide writes to its input
      assert.deepEqual(pick(d), c.expect, d.reason);
      assert.equal(typeof d.reason, 'string');
      assert.ok(d.reason.trim().length > 0, 'every decision carries a reason');
      assert.deepEqual(frozen, snapshot, 'input unchanged');
      // Pure: the same facts give the same decision.
      assert.deepEqual(decide(frozen), d);
    });
  }

  it('has at least 20 cases covering every required group', () => {
    assert.ok(CASES.length >= 20);
  });

  it('does not mutate an unfrozen input either', () => {
    const f = facts(OTHER, 'GetObject', withAcl(PUBLIC_READ), 'a.txt');
    const before = structuredClone(f);
    decide(f);
    assert.deepEqual(f, before);
  });

  it('reasons name the caller and the bucket', () => {
    const d = decide(facts(OTHER, 'GetBucket', BUCKET));
    assert.ok(d.reason.includes(NAME), d.reason);
    assert.ok(d.reason.includes('100000000002'), d.reason);
  });

  it('the AllUsers group grant also admits signed callers', () => {
    const d = decide(facts(OTHER_SUB, 'GetObject', withAcl({ grants: [{ grantee: { type: 'Group', uri: ALL_USERS }, permission: 'READ' }] }), 'k'));
    assert.equal(d.effect, 'allow');
  });

  it('AuthenticatedUsers FULL_CONTROL admits any signed caller to WRITE, never anonymous', () => {
    const acl: Acl = { grants: [{ grantee: { type: 'Group', uri: AUTHENTICATED_USERS }, permission: 'FULL_CONTROL' }] };
    assert.equal(decide(facts(OTHER, 'PutObject', withAcl(acl), 'k')).effect, 'allow');
    assert.equal(decide(facts(ANONYMOUS, 'PutObject', withAcl(acl), 'k')).effect, 'deny');
  });
});
