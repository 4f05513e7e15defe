// The S3 policy dialect as data: each S3 name's COS meaning, S3 documents evaluated like their COS twins, and
// every unmappable element refused by name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANONYMOUS, type Principal } from '../../domain/identity.ts';
import type { CosAction } from '../actions.ts';
import { COS_ACTIONS, CONDITION_KEYS } from './catalogue.ts';
import { compilePolicy, PolicyError, type PolicyKind } from './compile.ts';
import { evaluatePolicy, type PolicyRequest } from './evaluate.ts';
import { S3_ACTIONS, S3_CONDITION_KEYS } from './s3-catalogue.ts';

const BUCKET = 'examplebucket-1250000000';
const OWNER = '100000000001';
const OTHER = '100000000002';
const SUB = '100000000011';
const user = (ownerUin: string, uin: string, appid: string): Principal => ({ kind: 'user', ownerUin, uin, appid, secretId: `AKID${uin}` });
const WHO = { anon: ANONYMOUS, owner: user(OWNER, OWNER, '1250000000'), sub: user(OWNER, SUB, '1250000000'), other: user(OTHER, OTHER, '1250000002') } as const;

type Json = Record<string, unknown>;
const s3 = (...Statement: Json[]): string => JSON.stringify({ Version: '2012-10-17', Id: 'doc', Statement });
const allow = (extra: Json): Json => ({ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${OTHER}:root`] }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, ...extra });

interface Req {
  as?: keyof typeof WHO;
  anonPass?: boolean;
  action?: string;
  /** null: a bucket-level request. */
  key?: string | null;
  bucket?: string;
  appid?: string;
  region?: string;
  prefix?: string;
  ctx?: Record<string, string>;
}

function request(r: Req): PolicyRequest {
  const key = r.key === undefined ? 'folder/a.txt' : r.key;
  return {
    principal: WHO[r.as ?? 'other'],
    ...(r.anonPass && { anonymousPass: true }),
    action: `name/cos:${r.action ?? 'GetObject'}` as CosAction,
    resource: {
      region: r.region ?? 'ap-guangzhou',
      appid: r.appid ?? '1250000000',
      bucket: r.bucket ?? BUCKET,
      ...(key !== null && { key }),
      ...(r.prefix !== undefined && { prefix: r.prefix }),
    },
    conditions: new Map(Object.entries(r.ctx ?? {}).map(([k, v]) => [k, [v]] as const)),
    now: Date.parse('2024-06-01T12:00:00Z'),
  };
}

const verdict = (policy: string, r: Req, kind: PolicyKind = 'bucket'): string => {
  const v = evaluatePolicy(compilePolicy(policy, kind), request(r));
  return v.effect === 'none' ? 'none' : `${v.effect} ${v.statement}`;
};

describe('S3 actions map onto COS actions', () => {
  it('names only COS actions and COS condition keys', () => {
    for (const [s3Name, apis] of Object.entries(S3_ACTIONS)) for (const api of apis) assert.ok(COS_ACTIONS.has(api), `s3:${s3Name} -> ${api}`);
    for (const [s3Key, cos] of S3_CONDITION_KEYS) assert.ok(CONDITION_KEYS.has(cos), `${s3Key} -> ${cos}`);
  });

  // [action as written, the COS actions it allows]; everything else in COS_ACTIONS stays denied.
  const ACTIONS: [string, string[]][] = [
    ['s3:GetObject', ['GetObject', 'HeadObject']],
    ['s3:getobject', ['GetObject', 'HeadObject']],
    ['s3:PutObject', ['PutObject', 'PostObject', 'InitiateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'AppendObject']],
    ['s3:ListBucket', ['GetBucket', 'HeadBucket']],
    ['s3:DeleteObject', ['DeleteObject']],
    ['s3:DeleteObjectVersion', ['DeleteObject']],
    ['s3:GetObjectVersion', ['GetObject', 'HeadObject']],
    ['s3:GetBucketAcl', ['GetBucketACL']],
    ['s3:PutBucketAcl', ['PutBucketACL']],
    ['s3:GetObjectAcl', ['GetObjectACL']],
    ['s3:PutObjectAcl', ['PutObjectACL']],
    ['s3:ListBucketMultipartUploads', ['ListMultipartUploads']],
    ['s3:AbortMultipartUpload', ['AbortMultipartUpload']],
    ['s3:ListMultipartUploadParts', ['ListParts']],
    ['s3:GetBucketPolicy', ['GetBucketPolicy']],
    ['s3:PutBucketPolicy', ['PutBucketPolicy']],
    ['s3:DeleteBucketPolicy', ['DeleteBucketPolicy']],
    ['s3:GetBucketVersioning', ['GetBucketVersioning']],
    ['s3:PutBucketVersioning', ['PutBucketVersioning']],
    ['s3:ListBucketVersions', ['GetBucketObjectVersions']],
    ['s3:GetBucketCORS', ['GetBucketCORS']],
    ['s3:PutBucketCORS', ['PutBucketCORS', 'DeleteBucketCORS']],
    ['s3:GetBucketLocation', ['GetBucketLocation']],
    ['s3:CreateBucket', ['PutBucket']],
    ['s3:ListAllMyBuckets', ['GetService']],
    ['s3:*Policy', ['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy']],
    ['s3:List*', ['GetService', 'GetBucket', 'HeadBucket', 'GetBucketObjectVersions', 'ListMultipartUploads', 'ListParts']],
    ['s3:*', [...COS_ACTIONS]],
    ['*', [...COS_ACTIONS]],
  ];
  for (const [action, apis] of ACTIONS) {
    it(`${action} allows ${action.endsWith('*') && apis.length > 8 ? 'every COS action' : apis.join(', ')}`, () => {
      const policy = s3(allow({ Action: action, Resource: '*' }));
      const allowed = [...COS_ACTIONS].filter((api) => verdict(policy, { action: api }) !== 'none');
      assert.deepEqual(allowed.sort(), [...new Set(apis)].sort());
    });
  }
});

interface Case {
  name: string;
  policy: string;
  req: Req;
  expect: string;
}

const CASES: Case[] = [
  // Principals.
  { name: 'arn:aws:iam::<uin>:root names that root account', policy: s3(allow({ Sid: 'r' })), req: {}, expect: 'allow r' },
  { name: 'a bare account id names that root account', policy: s3(allow({ Sid: 'id', Principal: { AWS: OTHER } })), req: {}, expect: 'allow id' },
  { name: 'a root account does not admit its sub-accounts', policy: s3(allow({ Principal: { AWS: OWNER } })), req: { as: 'sub' }, expect: 'none' },
  { name: 'a CAM id names a sub-account', policy: s3(allow({ Sid: 'sub', Principal: { AWS: [`qcs::cam::uin/${OWNER}:uin/${SUB}`] } })), req: { as: 'sub' }, expect: 'allow sub' },
  { name: 'another account is not admitted', policy: s3(allow({})), req: { as: 'owner' }, expect: 'none' },
  { name: 'Principal "*" is anyone', policy: s3(allow({ Sid: 'any', Principal: '*' })), req: { as: 'anon' }, expect: 'allow any' },
  { name: 'Principal {"AWS": "*"} is anyone', policy: s3(allow({ Sid: 'any', Principal: { AWS: '*' } })), req: { as: 'anon' }, expect: 'allow any' },
  // Like COS's "anyone", a Deny to * binds the anonymous evaluation only (spec/policy.md §7).
  { name: 'Deny "*" binds the anonymous pass', policy: s3(allow({ Sid: 'no', Effect: 'Deny', Principal: '*' })), req: { anonPass: true }, expect: 'deny no' },
  { name: 'Deny "*" does not name a signed caller', policy: s3(allow({ Effect: 'Deny', Principal: '*' })), req: {}, expect: 'none' },
  // Resources.
  { name: 'bucket/* covers keys', policy: s3(allow({ Sid: 'k' })), req: { key: 'a/b/c' }, expect: 'allow k' },
  { name: 'bucket/* does not cover the bucket itself', policy: s3(allow({ Action: 's3:ListBucket' })), req: { action: 'GetBucket', key: null }, expect: 'none' },
  { name: 'the bare bucket ARN covers bucket-level requests', policy: s3(allow({ Sid: 'b', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` })), req: { action: 'GetBucket', key: null }, expect: 'allow b' },
  { name: 'the bare bucket ARN does not cover keys', policy: s3(allow({ Resource: `arn:aws:s3:::${BUCKET}` })), req: {}, expect: 'none' },
  { name: 'a key pattern', policy: s3(allow({ Sid: 'p', Resource: `arn:aws:s3:::${BUCKET}/public/*` })), req: { key: 'public/x' }, expect: 'allow p' },
  { name: 'a key pattern misses other keys', policy: s3(allow({ Resource: `arn:aws:s3:::${BUCKET}/public/*` })), req: { key: 'private/x' }, expect: 'none' },
  { name: 'any region', policy: s3(allow({ Sid: 'r' })), req: { region: 'ap-beijing' }, expect: 'allow r' },
  { name: 'another bucket is not covered', policy: s3(allow({})), req: { bucket: 'other-1250000000' }, expect: 'none' },
  { name: 'the APPID must be the bucket suffix', policy: s3(allow({})), req: { appid: '1250000002' }, expect: 'none' },
  { name: 'a bucket glob without / spans keys', policy: s3(allow({ Sid: 'g', Resource: 'arn:aws:s3:::example*' })), req: {}, expect: 'allow g' },
  { name: 'listing with a prefix matches bucket/<prefix> (§5.3)', policy: s3(allow({ Sid: 'l', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}/home/*` })), req: { action: 'GetBucket', key: null, prefix: 'home/me' }, expect: 'allow l' },
  // Effects.
  { name: 'Deny beats Allow', policy: s3(allow({ Sid: 'a' }), allow({ Sid: 'd', Effect: 'Deny' })), req: {}, expect: 'deny d' },
  // Conditions.
  { name: 'IpAddress aws:SourceIp', policy: s3(allow({ Sid: 'ip', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })), req: { ctx: { 'qcs:ip': '10.1.2.3' } }, expect: 'allow ip' },
  { name: 'IpAddress aws:SourceIp outside', policy: s3(allow({ Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } } })), req: { ctx: { 'qcs:ip': '11.1.2.3' } }, expect: 'none' },
  { name: 'NotIpAddress deny', policy: s3(allow({ Sid: 'a' }), allow({ Sid: 'out', Effect: 'Deny', Condition: { NotIpAddress: { 'aws:SourceIp': '127.0.0.1/32' } } })), req: { ctx: { 'qcs:ip': '192.168.0.9' } }, expect: 'deny out' },
  { name: 'Bool aws:SecureTransport', policy: s3(allow({ Sid: 'tls', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })), req: { ctx: { 'cos:secure-transport': 'false' } }, expect: 'deny tls' },
  { name: 'Bool aws:SecureTransport (JSON boolean)', policy: s3(allow({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': true } } })), req: { ctx: { 'cos:secure-transport': 'false' } }, expect: 'none' },
  { name: 'StringLike s3:prefix', policy: s3(allow({ Sid: 'pre', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringLike: { 's3:prefix': ['home/*'] } } })), req: { action: 'GetBucket', key: null, ctx: { 'cos:prefix': 'home/me' } }, expect: 'allow pre' },
  { name: 'StringNotLike s3:prefix', policy: s3(allow({ Sid: 'np', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringNotLike: { 's3:prefix': 'secret/*' } } })), req: { action: 'GetBucket', key: null, ctx: { 'cos:prefix': 'public/' } }, expect: 'allow np' },
  { name: 'StringNotLike s3:prefix (matching value)', policy: s3(allow({ Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringNotLike: { 's3:prefix': 'secret/*' } } })), req: { action: 'GetBucket', key: null, ctx: { 'cos:prefix': 'secret/x' } }, expect: 'none' },
  { name: 'StringEquals s3:x-amz-acl', policy: s3(allow({ Sid: 'acl', Action: 's3:PutObject', Condition: { StringEquals: { 's3:x-amz-acl': 'private' } } })), req: { action: 'PutObject', ctx: { 'cos:x-cos-acl': 'private' } }, expect: 'allow acl' },
  { name: 'StringNotEqualsIfExists s3:x-amz-acl, header absent', policy: s3(allow({ Sid: 'ie', Action: 's3:PutObject', Condition: { StringNotEqualsIfExists: { 's3:x-amz-acl': 'public-read' } } })), req: { action: 'PutObject' }, expect: 'allow ie' },
  { name: 'StringEquals s3:VersionId', policy: s3(allow({ Sid: 'v', Action: 's3:GetObjectVersion', Condition: { StringEquals: { 's3:VersionId': 'abc' } } })), req: { ctx: { 'cos:versionid': 'abc' } }, expect: 'allow v' },
  { name: 'Null s3:VersionId true (absent)', policy: s3(allow({ Sid: 'nv', Condition: { Null: { 's3:VersionId': 'true' } } })), req: {}, expect: 'allow nv' },
  { name: 'DateLessThan aws:CurrentTime', policy: s3(allow({ Sid: 't', Condition: { DateLessThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } } })), req: {}, expect: 'allow t' },
  { name: 'DateGreaterThan aws:CurrentTime (not yet)', policy: s3(allow({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } } })), req: {}, expect: 'none' },
  { name: 'ForAnyValue:StringEquals', policy: s3(allow({ Sid: 'fa', Condition: { 'ForAnyValue:StringEquals': { 's3:prefix': ['a', 'b'] } } })), req: { ctx: { 'cos:prefix': 'b' } }, expect: 'allow fa' },
  { name: 'StringEquals s3:RequestObjectTag/<key> tests that tag', policy: s3(allow({ Sid: 'rt', Action: 's3:PutObject', Condition: { StringEquals: { 's3:RequestObjectTag/Team': 'a b' } } })), req: { action: 'PutObject', ctx: { 'qcs:request_tag': 'Team&a b' } }, expect: 'allow rt' },
  { name: 'the tag key of s3:RequestObjectTag/<key> keeps its case', policy: s3(allow({ Action: 's3:PutObject', Condition: { StringEquals: { 's3:RequestObjectTag/Team': 'a' } } })), req: { action: 'PutObject', ctx: { 'qcs:request_tag': 'team&a' } }, expect: 'none' },
  { name: 'StringLike s3:ExistingObjectTag/<key>', policy: s3(allow({ Sid: 'et', Condition: { StringLike: { 's3:ExistingObjectTag/level': 'pub*' } } })), req: { ctx: { 'qcs:resource_tag': 'level&public' } }, expect: 'allow et' },
  { name: 's3:ExistingObjectTag/<key> of another tag', policy: s3(allow({ Condition: { StringEquals: { 's3:ExistingObjectTag/level': 'public' } } })), req: { ctx: { 'qcs:resource_tag': 'other&public' } }, expect: 'none' },
  { name: 'a key the request lacks fails the condition (COS rule 4)', policy: s3(allow({ Condition: { StringEquals: { 's3:x-amz-storage-class': 'STANDARD' } } })), req: {}, expect: 'none' },
  // A user policy (no Principal) in the S3 dialect.
  { name: 'an IAM user policy', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'u', Effect: 'Allow', Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*` }] }), req: { as: 'sub' }, expect: 'allow u' },
];

describe('S3 documents evaluate as their COS meaning', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const kind: PolicyKind = c.policy.includes('"Principal"') ? 'bucket' : 'user';
      assert.equal(verdict(c.policy, c.req, kind), c.expect);
    });
  }

  it('an S3 document and its COS twin decide every request alike', () => {
    const s3Doc = s3(
      allow({ Sid: 'read', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/pub/*`] }),
      allow({ Sid: 'ip', Effect: 'Deny', Action: 's3:*', Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { IpAddress: { 'aws:SourceIp': '10.9.0.0/16' } } }),
    );
    const res = `qcs::cos::uid/1250000000:${BUCKET}`;
    const principal = { qcs: [`qcs::cam::uin/${OTHER}:uin/${OTHER}`] };
    const cosDoc = JSON.stringify({
      version: '2.0',
      statement: [
        { sid: 'read', effect: 'allow', principal, action: ['name/cos:GetObject', 'name/cos:HeadObject', 'name/cos:GetBucket', 'name/cos:HeadBucket'], resource: [`${res}/`, `${res}/pub/*`] },
        { sid: 'ip', effect: 'deny', principal, action: 'name/cos:*', resource: `${res}/*`, condition: { ip_equal: { 'qcs:ip': '10.9.0.0/16' } } },
      ],
    });
    for (const action of COS_ACTIONS) {
      for (const key of [null, 'pub/a', 'priv/a']) {
        for (const ip of ['10.9.1.1', '127.0.0.1']) {
          const r: Req = { action, key, ctx: { 'qcs:ip': ip } };
          assert.equal(verdict(s3Doc, r), verdict(cosDoc, r), `${action} ${key} ${ip}`);
        }
      }
    }
  });
});

const GOOD = allow({});
const INVALID: { name: string; policy: string; kind?: PolicyKind; message: string }[] = [
  { name: 'unknown version', policy: JSON.stringify({ Version: '2012-10-18', Statement: [GOOD] }), message: 'version: must be "2.0" (COS) or "2012-10-17" or "2008-10-17" (S3), not "2012-10-18"' },
  { name: 'NotAction', policy: s3({ ...GOOD, Action: undefined, NotAction: 's3:GetObject' }), message: 'statement[0].NotAction: unknown element' },
  { name: 'NotPrincipal', policy: s3({ ...GOOD, Principal: undefined, NotPrincipal: { AWS: OTHER } }), message: 'statement[0].NotPrincipal: unknown element' },
  { name: 'NotResource', policy: s3({ ...GOOD, NotResource: 'arn:aws:s3:::x-1/*' }), message: 'statement[0].NotResource: unknown element' },
  { name: 'a top-level principal', policy: JSON.stringify({ Version: '2012-10-17', Principal: '*', Statement: [GOOD] }), message: 'Principal: unknown element' },
  { name: 'CanonicalUser principal', policy: s3({ ...GOOD, Principal: { CanonicalUser: 'abc' } }), message: 'statement[0].principal.CanonicalUser: CanonicalUser principals cannot be mapped to COS' },
  { name: 'Service principal', policy: s3({ ...GOOD, Principal: { Service: 'logging.s3.amazonaws.com' } }), message: 'statement[0].principal.Service: Service principals' },
  { name: 'IAM user ARN', policy: s3({ ...GOOD, Principal: { AWS: ['*', 'arn:aws:iam::100000000002:user/bob'] } }), message: 'statement[0].principal.AWS[1]: cannot map AWS principal "arn:aws:iam::100000000002:user/bob"' },
  { name: 'principal a plain string', policy: s3({ ...GOOD, Principal: '100000000002' }), message: 'statement[0].principal: expected {"AWS": [...]} or "*"' },
  { name: 'principal empty object', policy: s3({ ...GOOD, Principal: {} }), message: 'statement[0].principal: names no principal' },
  { name: 'non-S3 action', policy: s3({ ...GOOD, Action: ['s3:GetObject', 'iam:PassRole'] }), message: 'statement[0].action[1]: cannot map action "iam:PassRole"' },
  { name: 'COS action in an S3 document', policy: s3({ ...GOOD, Action: 'name/cos:GetObject' }), message: 'cannot map action "name/cos:GetObject"' },
  { name: 'S3 action without COS twin', policy: s3({ ...GOOD, Action: 's3:PutObjectLegalHold' }), message: 'cannot map action "s3:PutObjectLegalHold": COS has no equivalent' },
  { name: 'S3 glob matching nothing COS has', policy: s3({ ...GOOD, Action: 's3:*LegalHold' }), message: '"s3:*LegalHold" matches no S3 action that COS has' },
  { name: 'qcs resource in an S3 document', policy: s3({ ...GOOD, Resource: `qcs::cos::uid/1250000000:${BUCKET}/*` }), message: 'statement[0].resource: cannot map resource "qcs::cos::uid/1250000000:' },
  { name: 'ARN of another service', policy: s3({ ...GOOD, Resource: 'arn:aws:sqs:::queue' }), message: 'cannot map resource "arn:aws:sqs:::queue"' },
  { name: 'regional S3 ARN', policy: s3({ ...GOOD, Resource: 'arn:aws:s3:us-east-1::b-1/*' }), message: 'cannot map resource' },
  { name: 'bucket without APPID', policy: s3({ ...GOOD, Resource: 'arn:aws:s3:::mybucket/*' }), message: 'COS bucket names end in -<APPID>' },
  { name: '? wildcard', policy: s3({ ...GOOD, Resource: `arn:aws:s3:::${BUCKET}/a?c` }), message: 'no ? wildcard' },
  { name: 'policy variable', policy: s3({ ...GOOD, Resource: `arn:aws:s3:::${BUCKET}/home/\${aws:username}/*` }), message: 'no policy variables' },
  { name: 'empty bucket', policy: s3({ ...GOOD, Resource: 'arn:aws:s3:::/x' }), message: 'cannot map resource "arn:aws:s3:::/x"' },
  { name: 'unmapped condition key', policy: s3({ ...GOOD, Condition: { StringEquals: { 'aws:Referer': 'x' } } }), message: 'statement[0].condition.StringEquals.aws:Referer: cannot map condition key "aws:Referer"' },
  { name: 'Null on one tag', policy: s3({ ...GOOD, Condition: { Null: { 's3:ExistingObjectTag/a': 'true' } } }), message: 'statement[0].condition.Null.s3:ExistingObjectTag/a: Null cannot test one tag' },
  { name: 'tag keys without a tag', policy: s3({ ...GOOD, Condition: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': 'a' } } }), message: 'cannot map condition key "s3:RequestObjectTagKeys"' },
  { name: 'COS condition key in an S3 document', policy: s3({ ...GOOD, Condition: { IpAddress: { 'qcs:ip': '1.2.3.4' } } }), message: 'cannot map condition key "qcs:ip"' },
  { name: 'unmapped operator', policy: s3({ ...GOOD, Condition: { ArnLike: { 'aws:SourceArn': 'x' } } }), message: 'statement[0].condition.ArnLike: cannot map condition operator "ArnLike"' },
  { name: 'COS operator in an S3 document', policy: s3({ ...GOOD, Condition: { ip_equal: { 'aws:SourceIp': '1.2.3.4' } } }), message: 'cannot map condition operator "ip_equal"' },
  { name: 'unknown qualifier', policy: s3({ ...GOOD, Condition: { 'ForSomeValues:StringEquals': { 's3:prefix': 'a' } } }), message: 'cannot map condition qualifier "ForSomeValues"' },
  { name: 'NullIfExists', policy: s3({ ...GOOD, Condition: { NullIfExists: { 's3:prefix': 'true' } } }), message: '"NullIfExists": Null takes no IfExists' },
  { name: 'bad CIDR names the S3 element', policy: s3({ ...GOOD, Condition: { IpAddress: { 'aws:SourceIp': ['1.2.3.4/40'] } } }), message: 'statement[0].condition.IpAddress.aws:SourceIp[0]: "1.2.3.4/40" is not' },
  { name: 'epoch date', policy: s3({ ...GOOD, Condition: { DateLessThan: { 'aws:CurrentTime': 1700000000 } } }), message: 'is not an ISO-8601 date' },
  { name: 'Principal in a user policy', kind: 'user', policy: s3(GOOD), message: 'statement[0].principal: not allowed in a user policy' },
  { name: 'missing Principal in a bucket policy', policy: s3({ ...GOOD, Principal: undefined }), message: 'statement[0].principal: required in a bucket policy' },
];

describe('S3 documents: what cannot be mapped is refused by name', () => {
  for (const c of INVALID) {
    it(c.name, () => {
      assert.throws(
        () => compilePolicy(c.policy, c.kind ?? 'bucket'),
        (e: unknown) => (e instanceof PolicyError && e.message.includes(c.message) ? true : assert.fail(`got ${String(e)}; wanted a PolicyError containing ${JSON.stringify(c.message)}`)),
      );
    });
  }

  it('a session policy may name other services, which never match', () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'sqs:SendMessage'], Resource: [`arn:aws:s3:::${BUCKET}/*`, 'arn:aws:sqs:::q'] }] });
    assert.equal(verdict(doc, {}, 'session'), 'allow #0');
    assert.equal(verdict(doc, { action: 'PutObject' }, 'session'), 'none');
  });
});
