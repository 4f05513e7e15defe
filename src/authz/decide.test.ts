// Table-driven authorization decisions: owner, other roots, sub-accounts, anonymous, PutBucket, missing buckets, GetService.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_USERS, AUTHENTICATED_USERS, cannedGrants, type Acl } from '../domain/acl.ts';
import { ANONYMOUS, camId, type Principal } from '../domain/identity.ts';
import { OPERATIONS } from '../routing/operations.ts';
import { ACTION_OF, type CosAction } from './actions.ts';
import { decide, type BucketFacts, type Decision, type IdentityFacts, type RequestFacts } from './decide.ts';
import { compilePolicy, type CompiledPolicy } from './policy/compile.ts';

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

// Identity-based policies (spec/policy.md §7): sub-account user policies, temporary keys' session
// policies, permission propagation to other accounts' sub-accounts, and their interplay with ACLs and
// bucket policies. Compiled policies hold matcher functions, so these cases skip the clone-and-freeze harness.
describe('decide() with user and session policies', () => {
  const RES = `qcs::cos:ap-guangzhou:uid/1250000000:${NAME}`;
  const userPolicy = (...statements: object[]) => compilePolicy(JSON.stringify({ version: '2.0', statement: statements }), 'user');
  const sessionPolicy = (...statements: object[]) => compilePolicy(JSON.stringify({ version: '2.0', statement: statements }), 'session');
  const allowSt = (api: string, path = '*') => ({ effect: 'allow', action: [`name/cos:${api}`], resource: [`${RES}/${path}`] });
  const denySt = (api: string, path = '*') => ({ effect: 'deny', action: [`name/cos:${api}`], resource: [`${RES}/${path}`] });
  const bucketPolicy = (...statements: object[]) => compilePolicy(JSON.stringify({ version: '2.0', statement: statements }), 'bucket');
  const READ_UPLOADS = userPolicy(allowSt('GetObject', 'uploads/*'), allowSt('PutObject', 'uploads/*'));
  const ALL_COS = userPolicy({ effect: 'allow', action: ['name/cos:*'], resource: ['*'] });
  const NO_SECRET = userPolicy(allowSt('GetObject'), denySt('GetObject', 'secret/*'));
  const SERVICE = userPolicy({ effect: 'allow', action: ['name/cos:GetService', 'name/cos:PutBucket'], resource: ['*'] });
  const OTHER_READS = userPolicy({ effect: 'allow', action: ['name/cos:GetObject', 'name/cos:GetBucket'], resource: [`${RES}/*`] });
  const ONLY_GET = sessionPolicy({ effect: 'allow', principal: { qcs: ['*'] }, action: ['name/cos:GetObject', 'name/ci:Anything'], resource: [`${RES}/*`, 'qcs::ci:ap-guangzhou:uid/1250000000:bucket/x/*'] });
  const DENY_DELETE = sessionPolicy({ effect: 'allow', action: ['name/cos:*'], resource: ['*'] }, { effect: 'deny', action: ['name/cos:DeleteObject'], resource: ['*'] });
  const BP_OTHER_ROOT = bucketPolicy({ effect: 'allow', principal: { qcs: ['qcs::cam::uin/100000000002:uin/100000000002'] }, action: ['name/cos:GetObject'], resource: [`${RES}/*`] });
  const BP_DENY_SUB = bucketPolicy({ effect: 'deny', principal: { qcs: [camId(OWNER_UIN, '100000000011')] }, action: ['name/cos:GetObject'], resource: [`${RES}/private/*`] });

  const user = (...policies: CompiledPolicy[]): IdentityFacts => ({ userPolicies: policies.map((policy, i) => ({ name: `p${i}`, policy })) });
  const session = (policy: CompiledPolicy, ...policies: CompiledPolicy[]): IdentityFacts => ({ ...user(...policies), sessionPolicy: policy });
  const ALLOW_USER: Expect = { effect: 'allow', source: 'user-policy' };
  const EXPLICIT: Expect = { effect: 'deny', explicit: true };
  const withId = (f: RequestFacts, identity: IdentityFacts): RequestFacts => ({ ...f, identity });
  const withBp = (policy: CompiledPolicy, acl?: Acl): BucketFacts => ({ ...BUCKET, policy, ...(acl && { acl }) });

  const cases: Case[] = [
    // A sub-account of the owner acts through its user policies.
    { name: 'sub PutObject inside its prefix', facts: withId(facts(OWNER_SUB, 'PutObject', BUCKET, 'uploads/a'), user(READ_UPLOADS)), expect: ALLOW_USER },
    { name: 'sub PutObject outside its prefix', facts: withId(facts(OWNER_SUB, 'PutObject', BUCKET, 'other/a'), user(READ_UPLOADS)), expect: DENY },
    { name: 'sub GetBucket not in its policy', facts: withId(facts(OWNER_SUB, 'GetBucket', BUCKET), user(READ_UPLOADS)), expect: DENY },
    { name: 'sub with name/cos:* on * may DeleteBucket', facts: withId(facts(OWNER_SUB, 'DeleteBucket', BUCKET), user(ALL_COS)), expect: ALLOW_USER },
    { name: 'sub: a deny in one policy beats an allow in another', facts: withId(facts(OWNER_SUB, 'GetObject', BUCKET, 'secret/a'), user(ALL_COS, NO_SECRET)), expect: EXPLICIT },
    { name: 'sub: the same policies allow elsewhere', facts: withId(facts(OWNER_SUB, 'GetObject', BUCKET, 'open/a'), user(ALL_COS, NO_SECRET)), expect: ALLOW_USER },
    { name: 'sub: a bucket-policy deny naming it beats its user policy', facts: withId(facts(OWNER_SUB, 'GetObject', withBp(BP_DENY_SUB), 'private/a'), user(ALL_COS)), expect: EXPLICIT },
    { name: 'sub: that deny is scoped to its resource', facts: withId(facts(OWNER_SUB, 'GetObject', withBp(BP_DENY_SUB), 'public/a'), user(ALL_COS)), expect: ALLOW_USER },
    { name: 'sub GetService through its user policy', facts: withId(facts(OWNER_SUB, 'GetService'), user(SERVICE)), expect: ALLOW_USER },
    { name: 'sub PutBucket under its root\'s APPID through its user policy', facts: withId(facts(OWNER_SUB, 'PutBucket', MISSING), user(SERVICE)), expect: ALLOW_USER },
    { name: 'sub PutBucket under another APPID is still refused', facts: withId(facts(OWNER_SUB, 'PutBucket', OTHERS_NAME), user(SERVICE)), expect: DENY },
    { name: 'sub of the would-be owner learns a bucket is missing only if its policy allows the action', facts: withId(facts(OWNER_SUB, 'GetObject', MISSING, 'uploads/a'), user(READ_UPLOADS)), expect: ALLOW_USER },
    { name: 'user policies of another account\'s sub never make it the owner', facts: withId(facts(OTHER_SUB, 'DeleteBucket', BUCKET), user(ALL_COS)), expect: DENY },

    // Permission propagation: grants to another root reach its sub-accounts through their user policy.
    { name: 'ACL READ to other root + its sub\'s user policy', facts: withId(facts(OTHER_SUB, 'GetBucket', withAcl(GRANT_OTHER_READ)), user(OTHER_READS)), expect: { effect: 'allow', source: 'acl' } },
    { name: 'ACL READ to other root, sub\'s policy allows a different action', facts: withId(facts(OTHER_SUB, 'PutObject', withAcl(GRANT_OTHER_READ), 'a'), user(ALL_COS)), expect: DENY },
    { name: 'bucket policy names other root + its sub\'s user policy', facts: withId(facts(OTHER_SUB, 'GetObject', withBp(BP_OTHER_ROOT), 'a'), user(OTHER_READS)), expect: { effect: 'allow', source: 'policy' } },
    { name: 'bucket policy names other root, sub without a user policy', facts: facts(OTHER_SUB, 'GetObject', withBp(BP_OTHER_ROOT), 'a'), expect: DENY },
    { name: 'public-read ACL admits a sub-account with no user policy (anonymous pass)', facts: facts(OTHER_SUB, 'GetObject', withAcl(PUBLIC_READ), 'a'), expect: { effect: 'allow', source: 'acl' } },

    // Temporary keys: the identity's permissions ∩ the session policy.
    { name: 'owner temp key, session allows GetObject', facts: withId(facts(OWNER, 'GetObject', BUCKET, 'a'), session(ONLY_GET)), expect: ALLOW_OWNER },
    { name: 'owner temp key, session leaves out PutObject', facts: withId(facts(OWNER, 'PutObject', BUCKET, 'a'), session(ONLY_GET)), expect: DENY },
    { name: 'owner temp key, session denies DeleteObject explicitly', facts: withId(facts(OWNER, 'DeleteObject', BUCKET, 'a'), session(DENY_DELETE)), expect: EXPLICIT },
    { name: 'owner temp key, session allows everything else', facts: withId(facts(OWNER, 'PutObject', BUCKET, 'a'), session(DENY_DELETE)), expect: ALLOW_OWNER },
    { name: 'sub temp key: session allows, user policy does not', facts: withId(facts(OWNER_SUB, 'GetObject', BUCKET, 'other/a'), session(ONLY_GET, READ_UPLOADS)), expect: DENY },
    { name: 'sub temp key: both allow', facts: withId(facts(OWNER_SUB, 'GetObject', BUCKET, 'uploads/a'), session(ONLY_GET, READ_UPLOADS)), expect: ALLOW_USER },
    { name: 'sub temp key: user policy allows, session does not', facts: withId(facts(OWNER_SUB, 'PutObject', BUCKET, 'uploads/a'), session(ONLY_GET, READ_UPLOADS)), expect: DENY },
    { name: 'other root temp key with an ACL grant, session allows', facts: withId(facts(OTHER, 'GetObject', withAcl(GRANT_OTHER_READ), 'a'), session(ONLY_GET)), expect: { effect: 'allow', source: 'acl' } },
    { name: 'temp key: session actions of other services never match', facts: withId(facts(OWNER, 'GetBucket', BUCKET), session(ONLY_GET)), expect: DENY },
    { name: 'root temp key GetService needs the session to allow it', facts: withId(facts(OWNER, 'GetService'), session(ONLY_GET)), expect: DENY },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decide(c.facts);
      assert.deepEqual(pick(d), c.expect, d.reason);
      assert.ok(d.reason.trim().length > 0);
      assert.deepEqual(decide(c.facts), d, 'pure');
    });
  }

  it('reasons name the user policy, the statement and the session policy', () => {
    const d = decide(withId(facts(OWNER_SUB, 'GetObject', BUCKET, 'secret/a'), user(ALL_COS, NO_SECRET)));
    assert.match(d.reason, /user policy p1 statement #1 denies uin\/100000000001:uin\/100000000011/);
    const s = decide(withId(facts(OWNER, 'PutObject', BUCKET, 'a'), session(ONLY_GET)));
    assert.match(s.reason, /owns bucket .*but the temporary key's session policy does not allow name\/cos:PutObject/);
  });
});
