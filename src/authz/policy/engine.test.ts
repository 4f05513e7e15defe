// Table-driven policy engine tests: wildcards, principals, actions, resources (incl. legacy), every condition
// operator, deny over allow, the "deny anyone" rule, user policies, element-name casing, and invalid documents.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANONYMOUS, type Principal } from '../../domain/identity.ts';
import type { CosAction } from '../actions.ts';
import { compilePolicy, PolicyError, type PolicyKind } from './compile.ts';
import { evaluatePolicy, matchStatements, type PolicyRequest, type PolicyVerdict } from './evaluate.ts';
import { compileWildcard } from './wildcard.ts';

const APPID = '1250000000';
const BUCKET = 'examplebucket-1250000000';
const REGION = 'ap-guangzhou';
const RES = `qcs::cos:${REGION}:uid/${APPID}:${BUCKET}`;
const OWNER = '100000000001';
const SUB = '100000000011';
const OTHER = '100000000002';
const OTHER_SUB = '100000000022';
const id = (root: string, uin: string = root): string => `qcs::cam::uin/${root}:uin/${uin}`;
const ANYONE = 'qcs::cam::anyone:anyone';
const ANON = 'qcs::cam::anonymous:anonymous';
const NOW = '2024-06-01T12:00:00Z';

const user = (ownerUin: string, uin: string, appid: string): Principal => ({ kind: 'user', ownerUin, uin, appid, secretId: `AKID${uin}` });
const WHO = {
  anon: ANONYMOUS,
  owner: user(OWNER, OWNER, APPID),
  sub: user(OWNER, SUB, APPID),
  other: user(OTHER, OTHER, '1250000002'),
  otherSub: user(OTHER, OTHER_SUB, '1250000002'),
} as const;

/** A request in shorthand: defaults are the other root account GETting `folder/a.txt`. `key: null` = bucket-level. */
interface Req {
  as?: keyof typeof WHO;
  anonPass?: boolean;
  action?: string;
  key?: string | null;
  service?: boolean;
  bucket?: string;
  region?: string;
  appid?: string;
  prefix?: string;
  ctx?: Record<string, string | string[]>;
  now?: string;
}

interface Case {
  name: string;
  policy: string;
  kind?: PolicyKind;
  req: Req;
  /** `allow <label>`, `deny <label>` or `none`. */
  expect: string;
}

function request(r: Req): PolicyRequest {
  const key = r.key === undefined ? 'folder/a.txt' : r.key;
  const resource = {
    region: r.region ?? REGION,
    appid: r.appid ?? APPID,
    bucket: r.bucket ?? BUCKET,
    ...(key === null ? {} : { key }),
    ...(r.prefix === undefined ? {} : { prefix: r.prefix }),
  };
  const conditions = new Map(Object.entries(r.ctx ?? {}).map(([k, v]) => [k, typeof v === 'string' ? [v] : v] as const));
  return {
    principal: WHO[r.as ?? 'other'],
    ...(r.anonPass ? { anonymousPass: true } : {}),
    action: `name/cos:${r.action ?? 'GetObject'}` as CosAction,
    resource: r.service ? 'service' : resource,
    conditions,
    now: Date.parse(r.now ?? NOW),
  };
}

const show = (v: PolicyVerdict): string => (v.effect === 'none' ? 'none' : `${v.effect} ${v.statement}`);

// --- policy builders (the policy under test is still JSON text) ---
type Json = Record<string, unknown>;
const doc = (...statements: Json[]): string => JSON.stringify({ version: '2.0', Statement: statements });
const stmt = (effect: string, principal: string | string[] | undefined, action: string | string[], resource: string | string[], condition?: Json, sid?: string): Json => ({
  ...(sid === undefined ? {} : { Sid: sid }),
  Effect: effect,
  ...(principal === undefined ? {} : { Principal: { qcs: principal } }),
  Action: action,
  Resource: resource,
  ...(condition === undefined ? {} : { Condition: condition }),
});
/** Allow `other` GetObject on the whole bucket, under a condition. */
const cond = (condition: Json): string => doc(stmt('allow', id(OTHER), 'name/cos:GetObject', `${RES}/*`, condition));
const allowOther = (action: string | string[], resource: string | string[] = `${RES}/*`): string => doc(stmt('allow', id(OTHER), action, resource));
const allowAnyone = (action: string | string[], resource: string | string[] = `${RES}/*`): string => doc(stmt('allow', ANYONE, action, resource));

const PRINCIPALS: Case[] = [
  { name: 'root named: root allowed', policy: allowOther('name/cos:GetObject'), req: {}, expect: 'allow #0' },
  { name: 'root named: its sub-account not admitted', policy: allowOther('name/cos:GetObject'), req: { as: 'otherSub' }, expect: 'none' },
  { name: 'sub named: sub allowed', policy: doc(stmt('allow', id(OTHER, OTHER_SUB), 'name/cos:GetObject', `${RES}/*`)), req: { as: 'otherSub' }, expect: 'allow #0' },
  { name: 'sub named: its root not admitted', policy: doc(stmt('allow', id(OTHER, OTHER_SUB), 'name/cos:GetObject', `${RES}/*`)), req: { as: 'other' }, expect: 'none' },
  { name: 'owner sub named', policy: doc(stmt('allow', id(OWNER, SUB), 'name/cos:*', `${RES}/*`)), req: { as: 'sub' }, expect: 'allow #0' },
  { name: 'a different root not admitted', policy: allowOther('name/cos:GetObject'), req: { as: 'owner' }, expect: 'none' },
  { name: 'uin/R:root names R', policy: doc(stmt('allow', `qcs::cam::uin/${OTHER}:root`, 'name/cos:GetObject', `${RES}/*`)), req: {}, expect: 'allow #0' },
  { name: 'uin/R:root does not name sub of R', policy: doc(stmt('allow', `qcs::cam::uin/${OTHER}:root`, 'name/cos:GetObject', `${RES}/*`)), req: { as: 'otherSub' }, expect: 'none' },
  { name: 'anyone admits anonymous', policy: allowAnyone('name/cos:GetObject'), req: { as: 'anon' }, expect: 'allow #0' },
  { name: 'anyone: signed caller, identity pass: not named', policy: allowAnyone('name/cos:GetObject'), req: {}, expect: 'none' },
  { name: 'anyone: signed caller, anonymous pass', policy: allowAnyone('name/cos:GetObject'), req: { anonPass: true }, expect: 'allow #0' },
  { name: 'anonymous:anonymous admits anonymous', policy: doc(stmt('allow', ANON, 'name/cos:GetObject', `${RES}/*`)), req: { as: 'anon' }, expect: 'allow #0' },
  { name: 'anonymous:anonymous in a signed anonymous pass', policy: doc(stmt('allow', ANON, 'name/cos:GetObject', `${RES}/*`)), req: { as: 'sub', anonPass: true }, expect: 'allow #0' },
  { name: 'qcs "*" admits anonymous', policy: doc(stmt('allow', '*', 'name/cos:GetObject', `${RES}/*`)), req: { as: 'anon' }, expect: 'allow #0' },
  { name: 'Principal "*" (console Everyone)', policy: JSON.stringify({ version: '2.0', Statement: [{ Principal: '*', Effect: 'Allow', Action: 'name/cos:GetObject', Resource: `${RES}/*` }] }), req: { as: 'anon' }, expect: 'allow #0' },
  { name: 'named statement does not admit anonymous', policy: allowOther('name/cos:GetObject'), req: { as: 'anon' }, expect: 'none' },
  { name: 'named statement ignored in the anonymous pass', policy: allowOther('name/cos:GetObject'), req: { anonPass: true }, expect: 'none' },
  { name: 'principal array: second entry', policy: doc(stmt('allow', [id(OWNER, SUB), id(OTHER)], 'name/cos:GetObject', `${RES}/*`)), req: {}, expect: 'allow #0' },
  { name: 'principal array with anyone + id: id pass', policy: doc(stmt('allow', [ANYONE, id(OTHER)], 'name/cos:GetObject', `${RES}/*`)), req: {}, expect: 'allow #0' },
  { name: 'principal array with anyone + id: anonymous', policy: doc(stmt('allow', [ANYONE, id(OTHER)], 'name/cos:GetObject', `${RES}/*`)), req: { as: 'anon' }, expect: 'allow #0' },
  { name: 'top-level principal applies to statements', policy: JSON.stringify({ version: '2.0', principal: { qcs: [id(OTHER)] }, statement: [{ effect: 'allow', action: ['name/cos:GetObject'], resource: [`${RES}/*`] }] }), req: {}, expect: 'allow #0' },
  { name: 'statement principal overrides top-level', policy: JSON.stringify({ version: '2.0', principal: { qcs: [id(OTHER)] }, statement: [{ principal: { qcs: ANYONE }, effect: 'allow', action: 'name/cos:GetObject', resource: `${RES}/*` }] }), req: {}, expect: 'none' },
  { name: 'principal with spaces trimmed', policy: doc(stmt('allow', ` ${id(OTHER)} `, 'name/cos:GetObject', `${RES}/*`)), req: {}, expect: 'allow #0' },
];

const DENIES: Case[] = [
  { name: 'deny anyone: anonymous denied', policy: doc(stmt('allow', ANYONE, 'name/cos:GetObject', `${RES}/*`), stmt('deny', ANYONE, 'name/cos:GetObject', `${RES}/secret/*`)), req: { as: 'anon', key: 'secret/x' }, expect: 'deny #1' },
  { name: 'deny anyone: signed identity pass unaffected (§7)', policy: doc(stmt('deny', ANYONE, 'name/cos:GetObject', `${RES}/*`), stmt('allow', id(OTHER), 'name/cos:GetObject', `${RES}/*`)), req: {}, expect: 'allow #1' },
  { name: 'deny anyone: signed anonymous pass denied', policy: doc(stmt('deny', ANYONE, 'name/cos:GetObject', `${RES}/*`), stmt('allow', ANYONE, 'name/cos:GetObject', `${RES}/*`)), req: { anonPass: true }, expect: 'deny #0' },
  { name: 'deny anyone, identity pass with no allow: none', policy: doc(stmt('deny', ANYONE, 'name/cos:GetObject', `${RES}/*`)), req: { as: 'sub' }, expect: 'none' },
  { name: 'deny named id beats allow to same id', policy: doc(stmt('allow', id(OTHER), 'name/cos:*', `${RES}/*`), stmt('deny', id(OTHER), 'name/cos:DeleteObject', `${RES}/*`)), req: { action: 'DeleteObject' }, expect: 'deny #1' },
  { name: 'deny named id: other action still allowed', policy: doc(stmt('allow', id(OTHER), 'name/cos:*', `${RES}/*`), stmt('deny', id(OTHER), 'name/cos:DeleteObject', `${RES}/*`)), req: { action: 'PutObject' }, expect: 'allow #0' },
  { name: 'deny listed first', policy: doc(stmt('deny', id(OTHER), 'name/cos:GetObject', `${RES}/*`), stmt('allow', id(OTHER), 'name/cos:GetObject', `${RES}/*`)), req: {}, expect: 'deny #0' },
  { name: 'deny root does not deny its sub-account', policy: doc(stmt('deny', id(OWNER), 'name/cos:GetObject', `${RES}/*`), stmt('allow', id(OWNER, SUB), 'name/cos:GetObject', `${RES}/*`)), req: { as: 'sub' }, expect: 'allow #1' },
  { name: 'deny the owner root (owner can be limited, §7)', policy: doc(stmt('deny', id(OWNER), 'name/cos:DeleteBucket', `${RES}/`)), req: { as: 'owner', action: 'DeleteBucket', key: null }, expect: 'deny #0' },
  { name: 'sid labels the deny', policy: doc(stmt('allow', id(OTHER), 'name/cos:GetObject', `${RES}/*`, undefined, 'ok'), stmt('deny', id(OTHER), 'name/cos:GetObject', `${RES}/private/*`, undefined, 'no-private')), req: { key: 'private/a' }, expect: 'deny no-private' },
  { name: 'sid labels the allow', policy: doc(stmt('allow', id(OTHER), 'name/cos:GetObject', `${RES}/*`, undefined, 'ok'), stmt('deny', id(OTHER), 'name/cos:GetObject', `${RES}/private/*`, undefined, 'no-private')), req: { key: 'public/a' }, expect: 'allow ok' },
  { name: 'first of several allows wins', policy: doc(stmt('allow', id(OTHER), 'name/cos:PutObject', `${RES}/*`), stmt('allow', id(OTHER), 'name/cos:GetObject', `${RES}/*`, undefined, 'second'), stmt('allow', id(OTHER), '*', '*')), req: {}, expect: 'allow second' },
  { name: 'deny after several allows', policy: doc(stmt('allow', id(OTHER), '*', '*'), stmt('allow', id(OTHER), 'name/cos:GetObject', `${RES}/*`), stmt('deny', id(OTHER), 'name/cos:Get*', `${RES}/*`)), req: {}, expect: 'deny #2' },
  { name: 'deny with unmet condition does not apply', policy: doc(stmt('allow', id(OTHER), '*', '*'), stmt('deny', id(OTHER), '*', '*', { bool_equal: { 'cos:secure-transport': 'false' } })), req: { ctx: { 'cos:secure-transport': 'true' } }, expect: 'allow #0' },
  { name: 'empty sid falls back to index', policy: doc(stmt('allow', id(OTHER), '*', '*', undefined, '')), req: {}, expect: 'allow #0' },
];

const ACTIONS: Case[] = [
  { name: 'exact action', policy: allowOther('name/cos:GetObject'), req: {}, expect: 'allow #0' },
  { name: 'exact action, other request action', policy: allowOther('name/cos:GetObject'), req: { action: 'HeadObject' }, expect: 'none' },
  { name: 'short form cos:GetObject', policy: allowOther('cos:GetObject'), req: {}, expect: 'allow #0' },
  { name: 'array of actions', policy: allowOther(['name/cos:GetObject', 'name/cos:HeadObject']), req: { action: 'HeadObject' }, expect: 'allow #0' },
  { name: 'array of actions, miss', policy: allowOther(['name/cos:GetObject', 'name/cos:HeadObject']), req: { action: 'PutObject' }, expect: 'none' },
  { name: '* alone', policy: allowOther('*'), req: { action: 'PutBucketACL', key: null }, expect: 'allow #0' },
  { name: 'name/cos:*', policy: allowOther('name/cos:*'), req: { action: 'DeleteObject' }, expect: 'allow #0' },
  { name: 'cos:*', policy: allowOther('cos:*'), req: { action: 'AbortMultipartUpload' }, expect: 'allow #0' },
  { name: 'cos:Get* covers GetObject', policy: allowOther('cos:Get*'), req: {}, expect: 'allow #0' },
  { name: 'cos:Get* covers GetBucket', policy: allowOther('cos:Get*'), req: { action: 'GetBucket', key: null }, expect: 'allow #0' },
  { name: 'cos:Get* does not cover PutObject', policy: allowOther('cos:Get*'), req: { action: 'PutObject' }, expect: 'none' },
  { name: 'cos:Get* does not cover HeadObject', policy: allowOther('cos:Get*'), req: { action: 'HeadObject' }, expect: 'none' },
  { name: 'name/cos:GetBucket* covers GetBucketACL', policy: allowOther('name/cos:GetBucket*'), req: { action: 'GetBucketACL', key: null }, expect: 'allow #0' },
  { name: 'name/cos:GetBucket* covers GetBucket itself', policy: allowOther('name/cos:GetBucket*'), req: { action: 'GetBucket', key: null }, expect: 'allow #0' },
  { name: 'name/cos:PutObject* covers PutObjectACL', policy: allowOther('name/cos:PutObject*'), req: { action: 'PutObjectACL' }, expect: 'allow #0' },
  { name: 'leading glob *Object', policy: allowOther('name/cos:*Object'), req: { action: 'HeadObject' }, expect: 'allow #0' },
  { name: 'leading glob *Object misses ObjectACL', policy: allowOther('name/cos:*Object'), req: { action: 'GetObjectACL' }, expect: 'none' },
  { name: 'embedded glob Get*ACL', policy: allowOther('name/cos:Get*ACL'), req: { action: 'GetObjectACL' }, expect: 'allow #0' },
  { name: 'embedded glob Get*ACL misses GetObject', policy: allowOther('name/cos:Get*ACL'), req: {}, expect: 'none' },
  { name: 'glob is case-sensitive', policy: allowOther('cos:get*'), req: {}, expect: 'none' },
  { name: 'alias PutObjectCopy matches PutObject', policy: allowOther('name/cos:PutObjectCopy'), req: { action: 'PutObject' }, expect: 'allow #0' },
  { name: 'alias PutObjectCopy does not match GetObject', policy: allowOther('name/cos:PutObjectCopy'), req: {}, expect: 'none' },
  { name: 'alias DeleteMultipleObjects matches DeleteObject', policy: allowOther('name/cos:DeleteMultipleObjects'), req: { action: 'DeleteObject' }, expect: 'allow #0' },
  { name: 'alias ListObject matches GetBucket', policy: allowOther('name/cos:ListObject', `${RES}/`), req: { action: 'GetBucket', key: null }, expect: 'allow #0' },
  { name: 'alias RestoreObject matches PostObjectRestore', policy: allowOther('cos:RestoreObject'), req: { action: 'PostObjectRestore' }, expect: 'allow #0' },
  { name: 'GetBucket does not imply GetObject', policy: allowOther('name/cos:GetBucket'), req: {}, expect: 'none' },
  { name: 'multipart actions listed', policy: allowOther(['name/cos:InitiateMultipartUpload', 'name/cos:UploadPart', 'name/cos:CompleteMultipartUpload']), req: { action: 'UploadPart' }, expect: 'allow #0' },
  { name: 'symlink action', policy: allowOther('name/cos:GetSymlink'), req: { action: 'GetSymlink' }, expect: 'allow #0' },
];

const RESOURCES: Case[] = [
  { name: 'exact key', policy: allowOther('name/cos:GetObject', `${RES}/folder/a.txt`), req: {}, expect: 'allow #0' },
  { name: 'exact key, other key', policy: allowOther('name/cos:GetObject', `${RES}/folder/a.txt`), req: { key: 'folder/b.txt' }, expect: 'none' },
  { name: 'folder/* covers nested keys', policy: allowOther('name/cos:GetObject', `${RES}/folder/*`), req: { key: 'folder/sub/deep/x' }, expect: 'allow #0' },
  { name: 'folder/* misses a sibling folder', policy: allowOther('name/cos:GetObject', `${RES}/folder/*`), req: { key: 'folder2/x' }, expect: 'none' },
  { name: 'folder/* misses the folder marker itself? no: covers "folder/"', policy: allowOther('name/cos:GetObject', `${RES}/folder/*`), req: { key: 'folder/' }, expect: 'allow #0' },
  { name: 'bucket-level resource matches bucket action', policy: allowOther('name/cos:GetBucket', `${RES}/`), req: { action: 'GetBucket', key: null }, expect: 'allow #0' },
  { name: 'bucket-level resource does not match an object', policy: allowOther('name/cos:GetObject', `${RES}/`), req: {}, expect: 'none' },
  { name: '/* covers the bucket-level resource (§5 FAQ)', policy: allowOther('name/cos:GetBucket', `${RES}/*`), req: { action: 'GetBucket', key: null }, expect: 'allow #0' },
  { name: 'folder/* does not cover the bucket', policy: allowOther('name/cos:GetBucket', `${RES}/folder/*`), req: { action: 'GetBucket', key: null }, expect: 'none' },
  { name: 'resource * covers everything', policy: allowOther('name/cos:GetObject', '*'), req: { bucket: 'another-1250000009', appid: '1250000009' }, expect: 'allow #0' },
  { name: 'resource * covers GetService', policy: allowOther('name/cos:GetService', '*'), req: { action: 'GetService', service: true }, expect: 'allow #0' },
  { name: 'bucket resource does not cover GetService', policy: allowOther('name/cos:GetService', `${RES}/*`), req: { action: 'GetService', service: true }, expect: 'none' },
  { name: 'other bucket not covered', policy: allowOther('name/cos:GetObject'), req: { bucket: 'otherbucket-1250000000' }, expect: 'none' },
  { name: 'bucket name prefix is not a match', policy: allowOther('name/cos:GetObject', `${RES}/*`), req: { bucket: `${BUCKET}x` }, expect: 'none' },
  { name: 'other region not covered', policy: allowOther('name/cos:GetObject'), req: { region: 'ap-beijing' }, expect: 'none' },
  { name: 'empty region = any region', policy: allowOther('name/cos:GetObject', `qcs::cos::uid/${APPID}:${BUCKET}/*`), req: { region: 'ap-beijing' }, expect: 'allow #0' },
  { name: 'region glob ap-*', policy: allowOther('name/cos:GetObject', `qcs::cos:ap-*:uid/${APPID}:${BUCKET}/*`), req: { region: 'ap-shanghai' }, expect: 'allow #0' },
  { name: 'region glob ap-* misses na-', policy: allowOther('name/cos:GetObject', `qcs::cos:ap-*:uid/${APPID}:${BUCKET}/*`), req: { region: 'na-ashburn' }, expect: 'none' },
  { name: 'other APPID not covered', policy: allowOther('name/cos:GetObject'), req: { appid: '1250000009' }, expect: 'none' },
  { name: 'account * = any APPID', policy: allowOther('name/cos:GetObject', `qcs::cos:${REGION}:*:${BUCKET}/*`), req: {}, expect: 'allow #0' },
  { name: 'bucket glob without a slash spans keys', policy: allowOther('name/cos:GetObject', `qcs::cos:${REGION}:uid/${APPID}:examplebucket-*`), req: {}, expect: 'allow #0' },
  { name: 'bucket glob before slash', policy: allowOther('name/cos:GetObject', `qcs::cos:${REGION}:uid/${APPID}:*/folder/*`), req: {}, expect: 'allow #0' },
  { name: 'embedded key glob', policy: allowOther('name/cos:GetObject', `${RES}/folder/*/x.txt`), req: { key: 'folder/a/b/x.txt' }, expect: 'allow #0' },
  { name: 'embedded key glob, wrong suffix', policy: allowOther('name/cos:GetObject', `${RES}/folder/*/x.txt`), req: { key: 'folder/a/b/y.txt' }, expect: 'none' },
  { name: 'suffix glob *.jpg', policy: allowOther('name/cos:GetObject', `${RES}/*.jpg`), req: { key: 'a/b/c.jpg' }, expect: 'allow #0' },
  { name: 'keys are case-sensitive', policy: allowOther('name/cos:GetObject', `${RES}/Folder/*`), req: {}, expect: 'none' },
  { name: 'decoded key with spaces and unicode', policy: allowOther('name/cos:GetObject', `${RES}/文件 夹/*`), req: { key: '文件 夹/a b.txt' }, expect: 'allow #0' },
  { name: 'key containing a colon', policy: allowOther('name/cos:GetObject', `${RES}/a:b/*`), req: { key: 'a:b/c' }, expect: 'allow #0' },
  { name: 'resource array, second matches', policy: allowOther('name/cos:GetObject', [`${RES}/x/*`, `${RES}/folder/*`]), req: {}, expect: 'allow #0' },
  { name: 'legacy prefix// form', policy: allowOther('name/cos:GetObject', `qcs::cos:${REGION}:uid/${APPID}:prefix//${APPID}/examplebucket/folder/*`), req: {}, expect: 'allow #0' },
  { name: 'legacy prefix// form, bucket-level', policy: allowOther('name/cos:GetBucket', `qcs::cos:${REGION}:uid/${APPID}:prefix//${APPID}/examplebucket/`), req: { action: 'GetBucket', key: null }, expect: 'allow #0' },
  { name: 'legacy prefix// form, other short name', policy: allowOther('name/cos:GetObject', `qcs::cos:${REGION}:uid/${APPID}:prefix//${APPID}/otherbucket/*`), req: {}, expect: 'none' },
  { name: 'legacy <bucket>//<appid>/<short>/ form', policy: allowOther('name/cos:GetObject', `${RES}//${APPID}/examplebucket/*`), req: {}, expect: 'allow #0' },
  { name: 'legacy <bucket>//<appid>/<short>/ form, path', policy: allowOther('name/cos:GetObject', `${RES}//${APPID}/examplebucket/other/*`), req: {}, expect: 'none' },
  { name: 'legacy host form', policy: allowOther('name/cos:GetObject', `qcs::cos:${REGION}:uid/${APPID}:${BUCKET}.${REGION}.myqcloud.com/*`), req: {}, expect: 'allow #0' },
  { name: 'legacy host form with cos. prefix', policy: allowOther('name/cos:GetObject', `qcs::cos:${REGION}:uid/${APPID}:${BUCKET}.cos.${REGION}.myqcloud.com/folder/*`), req: {}, expect: 'allow #0' },
  { name: 'legacy host form, empty region takes the host region', policy: allowOther('name/cos:GetObject', `qcs::cos::uid/${APPID}:${BUCKET}.ap-beijing.myqcloud.com/*`), req: {}, expect: 'none' },
  { name: 'listing prefix matches folder resource (§5.3)', policy: allowOther('name/cos:GetBucket', `${RES}/folder/*`), req: { action: 'GetBucket', key: null, prefix: 'folder/' }, expect: 'allow #0' },
  { name: 'listing prefix outside the folder', policy: allowOther('name/cos:GetBucket', `${RES}/folder/*`), req: { action: 'GetBucket', key: null, prefix: 'other/' }, expect: 'none' },
  { name: 'listing prefix for ListMultipartUploads', policy: allowOther('name/cos:ListMultipartUploads', `${RES}/doc/*`), req: { action: 'ListMultipartUploads', key: null, prefix: 'doc/x' }, expect: 'allow #0' },
  { name: 'listing prefix for GetBucketObjectVersions', policy: allowOther('name/cos:GetBucketObjectVersions', `${RES}/doc/*`), req: { action: 'GetBucketObjectVersions', key: null, prefix: 'doc/' }, expect: 'allow #0' },
  { name: 'prefix ignored for non-listing bucket actions', policy: allowOther('name/cos:GetBucketACL', `${RES}/folder/*`), req: { action: 'GetBucketACL', key: null, prefix: 'folder/' }, expect: 'none' },
];

const IF_EXIST_TIME = '2024-06-01T12:00:00Z';
const CONDITIONS: Case[] = [
  // string_equal / string_not_equal
  { name: 'string_equal match', policy: cond({ string_equal: { 'cos:x-cos-acl': 'private' } }), req: { ctx: { 'cos:x-cos-acl': 'private' } }, expect: 'allow #0' },
  { name: 'string_equal mismatch', policy: cond({ string_equal: { 'cos:x-cos-acl': 'private' } }), req: { ctx: { 'cos:x-cos-acl': 'public-read' } }, expect: 'none' },
  { name: 'string_equal is case-sensitive', policy: cond({ string_equal: { 'cos:x-cos-acl': 'private' } }), req: { ctx: { 'cos:x-cos-acl': 'PRIVATE' } }, expect: 'none' },
  { name: 'string_equal absent key is false (§6 rule 4)', policy: cond({ string_equal: { 'cos:versionid': 'v1' } }), req: {}, expect: 'none' },
  { name: 'string_equal_if_exist absent key is true', policy: cond({ string_equal_if_exist: { 'cos:versionid': 'v1' } }), req: {}, expect: 'allow #0' },
  { name: 'string_equal_if_exist present and wrong', policy: cond({ string_equal_if_exist: { 'cos:versionid': 'v1' } }), req: { ctx: { 'cos:versionid': 'v2' } }, expect: 'none' },
  { name: 'string_equal any of several values', policy: cond({ string_equal: { 'cos:x-cos-storage-class': ['STANDARD', 'STANDARD_IA'] } }), req: { ctx: { 'cos:x-cos-storage-class': 'STANDARD_IA' } }, expect: 'allow #0' },
  { name: 'string_equal empty request value', policy: cond({ string_equal: { 'cos:versionid': '' } }), req: { ctx: { 'cos:versionid': '' } }, expect: 'allow #0' },
  { name: 'string_not_equal differs', policy: cond({ string_not_equal: { 'cos:x-cos-acl': 'public-read' } }), req: { ctx: { 'cos:x-cos-acl': 'private' } }, expect: 'allow #0' },
  { name: 'string_not_equal equal', policy: cond({ string_not_equal: { 'cos:x-cos-acl': 'public-read' } }), req: { ctx: { 'cos:x-cos-acl': 'public-read' } }, expect: 'none' },
  { name: 'string_not_equal absent key is false', policy: cond({ string_not_equal: { 'cos:x-cos-acl': 'public-read' } }), req: {}, expect: 'none' },
  { name: 'string_not_equal_if_exist absent key is true', policy: cond({ string_not_equal_if_exist: { 'cos:x-cos-acl': 'public-read' } }), req: {}, expect: 'allow #0' },
  { name: 'string_not_equal with several values: equal to one', policy: cond({ string_not_equal: { 'cos:x-cos-acl': ['public-read', 'public-read-write'] } }), req: { ctx: { 'cos:x-cos-acl': 'public-read-write' } }, expect: 'none' },
  { name: 'string_not_equal with several values: none equal', policy: cond({ string_not_equal: { 'cos:x-cos-acl': ['public-read', 'public-read-write'] } }), req: { ctx: { 'cos:x-cos-acl': 'private' } }, expect: 'allow #0' },
  // ignore case
  { name: 'string_equal_ignore_case', policy: cond({ string_equal_ignore_case: { 'cos:content-type': 'IMAGE/JPEG' } }), req: { ctx: { 'cos:content-type': 'image/jpeg' } }, expect: 'allow #0' },
  { name: 'string_equal_ignore_case mismatch', policy: cond({ string_equal_ignore_case: { 'cos:content-type': 'image/png' } }), req: { ctx: { 'cos:content-type': 'image/jpeg' } }, expect: 'none' },
  { name: 'string_not_equal_ignore_case equal', policy: cond({ string_not_equal_ignore_case: { 'cos:content-type': 'IMAGE/JPEG' } }), req: { ctx: { 'cos:content-type': 'image/jpeg' } }, expect: 'none' },
  { name: 'string_not_equal_ignore_case differs', policy: cond({ string_not_equal_ignore_case: { 'cos:content-type': 'image/png' } }), req: { ctx: { 'cos:content-type': 'image/jpeg' } }, expect: 'allow #0' },
  // string_like
  { name: 'string_like trailing *', policy: cond({ string_like: { 'cos:content-type': 'image/*' } }), req: { ctx: { 'cos:content-type': 'image/png' } }, expect: 'allow #0' },
  { name: 'string_like trailing * mismatch', policy: cond({ string_like: { 'cos:content-type': 'image/*' } }), req: { ctx: { 'cos:content-type': 'text/plain' } }, expect: 'none' },
  { name: 'string_like leading *', policy: cond({ string_like: { 'cos:prefix': '*%2F' } }), req: { ctx: { 'cos:prefix': 'folder%2F' } }, expect: 'allow #0' },
  { name: 'string_like without * is equality', policy: cond({ string_like: { 'cos:prefix': 'folder' } }), req: { ctx: { 'cos:prefix': 'folder2' } }, expect: 'none' },
  { name: 'string_like is case-sensitive', policy: cond({ string_like: { 'cos:content-type': 'image/*' } }), req: { ctx: { 'cos:content-type': 'Image/png' } }, expect: 'none' },
  { name: 'string_like_if_exist absent', policy: cond({ string_like_if_exist: { 'cos:content-type': 'image/*' } }), req: {}, expect: 'allow #0' },
  { name: 'string_like URL-encoded parameter value (§6.1)', policy: cond({ string_equal: { 'cos:response-content-type': 'image%2Fjpeg' } }), req: { ctx: { 'cos:response-content-type': 'image%2Fjpeg' } }, expect: 'allow #0' },
  // binary
  { name: 'binary_equal', policy: cond({ binary_equal: { 'qcs:request_tag': 'a2V5PXZhbHVl' } }), req: { ctx: { 'qcs:request_tag': 'a2V5PXZhbHVl' } }, expect: 'allow #0' },
  { name: 'binary_equal mismatch', policy: cond({ binary_equal: { 'qcs:request_tag': 'a2V5PXZhbHVl' } }), req: { ctx: { 'qcs:request_tag': 'eA==' } }, expect: 'none' },
  // ip
  { name: 'ip_equal v4 CIDR inside', policy: cond({ ip_equal: { 'qcs:ip': '10.1.1.0/24' } }), req: { ctx: { 'qcs:ip': '10.1.1.77' } }, expect: 'allow #0' },
  { name: 'ip_equal v4 CIDR outside', policy: cond({ ip_equal: { 'qcs:ip': '10.1.1.0/24' } }), req: { ctx: { 'qcs:ip': '10.1.2.1' } }, expect: 'none' },
  { name: 'ip_equal v4 single address', policy: cond({ ip_equal: { 'qcs:ip': '192.168.0.5' } }), req: { ctx: { 'qcs:ip': '192.168.0.5' } }, expect: 'allow #0' },
  { name: 'ip_equal v4 single address, neighbour', policy: cond({ ip_equal: { 'qcs:ip': '192.168.0.5' } }), req: { ctx: { 'qcs:ip': '192.168.0.6' } }, expect: 'none' },
  { name: 'ip_equal v4 /0 matches all v4', policy: cond({ ip_equal: { 'qcs:ip': '0.0.0.0/0' } }), req: { ctx: { 'qcs:ip': '203.0.113.9' } }, expect: 'allow #0' },
  { name: 'ip_equal v4 /0 does not match v6', policy: cond({ ip_equal: { 'qcs:ip': '0.0.0.0/0' } }), req: { ctx: { 'qcs:ip': '2001:db8::1' } }, expect: 'none' },
  { name: 'ip_equal host bits in CIDR ignored', policy: cond({ ip_equal: { 'qcs:ip': '10.1.1.9/24' } }), req: { ctx: { 'qcs:ip': '10.1.1.200' } }, expect: 'allow #0' },
  { name: 'ip_equal /31 boundary', policy: cond({ ip_equal: { 'qcs:ip': '10.0.0.2/31' } }), req: { ctx: { 'qcs:ip': '10.0.0.4' } }, expect: 'none' },
  { name: 'ip_equal any of two ranges (§8 example)', policy: cond({ ip_equal: { 'qcs:ip': ['192.168.1.0/24', '172.16.0.0/12'] } }), req: { ctx: { 'qcs:ip': '172.31.255.255' } }, expect: 'allow #0' },
  { name: 'ip_equal v4-mapped v6 request address', policy: cond({ ip_equal: { 'qcs:ip': '10.1.1.0/24' } }), req: { ctx: { 'qcs:ip': '::ffff:10.1.1.3' } }, expect: 'allow #0' },
  { name: 'ip_equal v6 CIDR inside', policy: cond({ ip_equal: { 'qcs:ip': '2001:db8::/32' } }), req: { ctx: { 'qcs:ip': '2001:db8:abcd::1' } }, expect: 'allow #0' },
  { name: 'ip_equal v6 CIDR outside', policy: cond({ ip_equal: { 'qcs:ip': '2001:db8::/32' } }), req: { ctx: { 'qcs:ip': '2001:db9::1' } }, expect: 'none' },
  { name: 'ip_equal v6 /64 long form request', policy: cond({ ip_equal: { 'qcs:ip': 'fd00:1:2:3::/64' } }), req: { ctx: { 'qcs:ip': 'fd00:0001:0002:0003:ffff:ffff:ffff:ffff' } }, expect: 'allow #0' },
  { name: 'ip_equal v6 single ::1', policy: cond({ ip_equal: { 'qcs:ip': '::1' } }), req: { ctx: { 'qcs:ip': '0:0:0:0:0:0:0:1' } }, expect: 'allow #0' },
  { name: 'ip_equal v6 does not match v4', policy: cond({ ip_equal: { 'qcs:ip': '::/0' } }), req: { ctx: { 'qcs:ip': '127.0.0.1' } }, expect: 'none' },
  { name: 'ip_equal v6 with zone id', policy: cond({ ip_equal: { 'qcs:ip': 'fe80::/10' } }), req: { ctx: { 'qcs:ip': 'fe80::1%eth0' } }, expect: 'allow #0' },
  { name: 'ip_equal malformed request address', policy: cond({ ip_equal: { 'qcs:ip': '0.0.0.0/0' } }), req: { ctx: { 'qcs:ip': 'not-an-ip' } }, expect: 'none' },
  { name: 'ip_equal absent key', policy: cond({ ip_equal: { 'qcs:ip': '0.0.0.0/0' } }), req: {}, expect: 'none' },
  { name: 'ip_not_equal outside', policy: cond({ ip_not_equal: { 'qcs:ip': '10.0.0.0/8' } }), req: { ctx: { 'qcs:ip': '11.0.0.1' } }, expect: 'allow #0' },
  { name: 'ip_not_equal inside', policy: cond({ ip_not_equal: { 'qcs:ip': '10.0.0.0/8' } }), req: { ctx: { 'qcs:ip': '10.200.0.1' } }, expect: 'none' },
  { name: 'ip_not_equal v6 inside', policy: cond({ ip_not_equal: { 'qcs:ip': '2001:db8::/32' } }), req: { ctx: { 'qcs:ip': '2001:db8::5' } }, expect: 'none' },
  { name: 'ip_not_equal_if_exist absent', policy: cond({ ip_not_equal_if_exist: { 'qcs:ip': '10.0.0.0/8' } }), req: {}, expect: 'allow #0' },
  { name: 'stray space in key name (§6)', policy: cond({ ip_equal: { 'qcs:ip ': '10.1.1.0/24' } }), req: { ctx: { 'qcs:ip': '10.1.1.1' } }, expect: 'allow #0' },
  // numeric
  { name: 'numeric_equal', policy: cond({ numeric_equal: { 'cos:content-length': 100 } }), req: { ctx: { 'cos:content-length': '100' } }, expect: 'allow #0' },
  { name: 'numeric_equal string value', policy: cond({ numeric_equal: { 'cos:content-length': '100' } }), req: { ctx: { 'cos:content-length': '101' } }, expect: 'none' },
  { name: 'numeric_not_equal differs', policy: cond({ numeric_not_equal: { 'cos:content-length': 100 } }), req: { ctx: { 'cos:content-length': '5' } }, expect: 'allow #0' },
  { name: 'numeric_not_equal equal', policy: cond({ numeric_not_equal: { 'cos:content-length': 100 } }), req: { ctx: { 'cos:content-length': '100' } }, expect: 'none' },
  { name: 'numeric_greater_than above', policy: cond({ numeric_greater_than: { 'cos:content-length': 100 } }), req: { ctx: { 'cos:content-length': '101' } }, expect: 'allow #0' },
  { name: 'numeric_greater_than equal', policy: cond({ numeric_greater_than: { 'cos:content-length': 100 } }), req: { ctx: { 'cos:content-length': '100' } }, expect: 'none' },
  { name: 'numeric_greater_than_equal equal', policy: cond({ numeric_greater_than_equal: { 'cos:content-length': 100 } }), req: { ctx: { 'cos:content-length': '100' } }, expect: 'allow #0' },
  { name: 'numeric_greater_than_equal below', policy: cond({ numeric_greater_than_equal: { 'cos:content-length': 100 } }), req: { ctx: { 'cos:content-length': '99' } }, expect: 'none' },
  { name: 'numeric_less_than below', policy: cond({ numeric_less_than: { 'cos:content-length': 1048576 } }), req: { ctx: { 'cos:content-length': '1048575' } }, expect: 'allow #0' },
  { name: 'numeric_less_than equal', policy: cond({ numeric_less_than: { 'cos:content-length': 1048576 } }), req: { ctx: { 'cos:content-length': '1048576' } }, expect: 'none' },
  { name: 'numeric_less_than_equal equal', policy: cond({ numeric_less_than_equal: { 'cos:content-length': 10 } }), req: { ctx: { 'cos:content-length': '10' } }, expect: 'allow #0' },
  { name: 'numeric_less_than_equal above', policy: cond({ numeric_less_than_equal: { 'cos:content-length': 10 } }), req: { ctx: { 'cos:content-length': '11' } }, expect: 'none' },
  { name: 'numeric non-numeric request value', policy: cond({ numeric_less_than: { 'cos:content-length': 10 } }), req: { ctx: { 'cos:content-length': 'abc' } }, expect: 'none' },
  { name: 'numeric decimals (tls-version)', policy: cond({ numeric_greater_than_equal: { 'cos:tls-version': 1.2 } }), req: { ctx: { 'cos:tls-version': '1.3' } }, expect: 'allow #0' },
  { name: 'numeric decimals below', policy: cond({ numeric_greater_than_equal: { 'cos:tls-version': '1.2' } }), req: { ctx: { 'cos:tls-version': '1.1' } }, expect: 'none' },
  { name: 'numeric_less_than_if_exist absent', policy: cond({ numeric_less_than_if_exist: { 'cos:content-length': 10 } }), req: {}, expect: 'allow #0' },
  { name: 'numeric_greater_than absent', policy: cond({ numeric_greater_than: { 'cos:content-length': 10 } }), req: {}, expect: 'none' },
  // date (now from the request, never the clock)
  { name: 'date_less_than: before deadline', policy: cond({ date_less_than: { 'qcs:current_time': '2024-12-31T00:00:00Z' } }), req: {}, expect: 'allow #0' },
  { name: 'date_less_than: after deadline', policy: cond({ date_less_than: { 'qcs:current_time': '2024-01-01T00:00:00Z' } }), req: {}, expect: 'none' },
  { name: 'date_less_than_equal at the instant', policy: cond({ date_less_than_equal: { 'qcs:current_time': IF_EXIST_TIME } }), req: {}, expect: 'allow #0' },
  { name: 'date_greater_than after start', policy: cond({ date_greater_than: { 'qcs:current_time': '2024-06-01' } }), req: {}, expect: 'allow #0' },
  { name: 'date_greater_than at the instant', policy: cond({ date_greater_than: { 'qcs:current_time': IF_EXIST_TIME } }), req: {}, expect: 'none' },
  { name: 'date_greater_than_equal at the instant', policy: cond({ date_greater_than_equal: { 'qcs:current_time': IF_EXIST_TIME } }), req: {}, expect: 'allow #0' },
  { name: 'date_greater_than_equal before', policy: cond({ date_greater_than_equal: { 'qcs:current_time': '2024-06-01T12:00:01Z' } }), req: {}, expect: 'none' },
  { name: 'date_equal with offset', policy: cond({ date_equal: { 'qcs:current_time': '2024-06-01T20:00:00+08:00' } }), req: {}, expect: 'allow #0' },
  { name: 'date_equal zone-less date-time is UTC', policy: cond({ date_equal: { 'qcs:current_time': '2024-06-01T12:00:00' } }), req: {}, expect: 'allow #0' },
  { name: 'date_equal mismatch', policy: cond({ date_equal: { 'qcs:current_time': '2024-06-01T12:00:00.001Z' } }), req: {}, expect: 'none' },
  { name: 'date_not_equal differs', policy: cond({ date_not_equal: { 'qcs:current_time': '2020-01-01T00:00:00Z' } }), req: {}, expect: 'allow #0' },
  { name: 'date_not_equal equal', policy: cond({ date_not_equal: { 'qcs:current_time': IF_EXIST_TIME } }), req: {}, expect: 'none' },
  { name: 'date uses the request now, moved forward', policy: cond({ date_less_than: { 'qcs:current_time': '2024-12-31T00:00:00Z' } }), req: { now: '2025-01-01T00:00:00Z' }, expect: 'none' },
  { name: 'date from an explicit condition value', policy: cond({ date_less_than: { 'qcs:current_time': '2024-12-31T00:00:00Z' } }), req: { ctx: { 'qcs:current_time': '2023-01-01T00:00:00Z' }, now: '2030-01-01T00:00:00Z' }, expect: 'allow #0' },
  // bool
  { name: 'bool_equal false (force HTTPS deny, §8)', policy: doc(stmt('allow', id(OTHER), '*', '*'), stmt('deny', id(OTHER), '*', '*', { bool_equal: { 'cos:secure-transport': 'false' } })), req: { ctx: { 'cos:secure-transport': 'false' } }, expect: 'deny #1' },
  { name: 'bool_equal JSON boolean', policy: cond({ bool_equal: { 'cos:secure-transport': true } }), req: { ctx: { 'cos:secure-transport': 'true' } }, expect: 'allow #0' },
  { name: 'bool_equal case-insensitive', policy: cond({ bool_equal: { 'cos:secure-transport': 'TRUE' } }), req: { ctx: { 'cos:secure-transport': 'true' } }, expect: 'allow #0' },
  { name: 'bool_equal mismatch', policy: cond({ bool_equal: { 'cos:secure-transport': 'true' } }), req: { ctx: { 'cos:secure-transport': 'false' } }, expect: 'none' },
  { name: 'bool_equal_if_exist absent', policy: cond({ bool_equal_if_exist: { 'cos:secure-transport': 'true' } }), req: {}, expect: 'allow #0' },
  // null
  { name: 'null_equal true: key absent', policy: cond({ null_equal: { 'cos:versionid': 'true' } }), req: {}, expect: 'allow #0' },
  { name: 'null_equal true: key present', policy: cond({ null_equal: { 'cos:versionid': true } }), req: { ctx: { 'cos:versionid': 'v1' } }, expect: 'none' },
  { name: 'null_equal false: key present', policy: cond({ null_equal: { 'cos:versionid': 'false' } }), req: { ctx: { 'cos:versionid': 'v1' } }, expect: 'allow #0' },
  { name: 'null_equal false: key absent', policy: cond({ null_equal: { 'cos:versionid': false } }), req: {}, expect: 'none' },
  // combinations
  { name: 'two keys under one operator: both hold', policy: cond({ string_equal: { 'cos:x-cos-acl': 'private', 'cos:x-cos-storage-class': 'STANDARD' } }), req: { ctx: { 'cos:x-cos-acl': 'private', 'cos:x-cos-storage-class': 'STANDARD' } }, expect: 'allow #0' },
  { name: 'two keys under one operator: one fails', policy: cond({ string_equal: { 'cos:x-cos-acl': 'private', 'cos:x-cos-storage-class': 'STANDARD' } }), req: { ctx: { 'cos:x-cos-acl': 'private', 'cos:x-cos-storage-class': 'ARCHIVE' } }, expect: 'none' },
  { name: 'two operators: both hold', policy: cond({ ip_equal: { 'qcs:ip': '10.0.0.0/8' }, bool_equal: { 'cos:secure-transport': 'true' } }), req: { ctx: { 'qcs:ip': '10.9.9.9', 'cos:secure-transport': 'true' } }, expect: 'allow #0' },
  { name: 'two operators: one fails', policy: cond({ ip_equal: { 'qcs:ip': '10.0.0.0/8' }, bool_equal: { 'cos:secure-transport': 'true' } }), req: { ctx: { 'qcs:ip': '10.9.9.9', 'cos:secure-transport': 'false' } }, expect: 'none' },
  { name: 'empty condition object', policy: cond({}), req: {}, expect: 'allow #0' },
  { name: 'operator name upper-case accepted', policy: cond({ STRING_EQUAL: { 'cos:x-cos-acl': 'private' } }), req: { ctx: { 'cos:x-cos-acl': 'private' } }, expect: 'allow #0' },
  { name: 'condition key upper-case normalised', policy: cond({ string_equal: { 'COS:X-COS-ACL': 'private' } }), req: { ctx: { 'cos:x-cos-acl': 'private' } }, expect: 'allow #0' },
  // multi-valued keys
  { name: 'for_any_value: one request value matches', policy: cond({ 'for_any_value:string_equal': { 'qcs:request_tag': ['a&b', 'c&d'] } }), req: { ctx: { 'qcs:request_tag': ['x&y', 'c&d'] } }, expect: 'allow #0' },
  { name: 'for_any_value: none matches', policy: cond({ 'for_any_value:string_equal': { 'qcs:request_tag': ['a&b'] } }), req: { ctx: { 'qcs:request_tag': ['x&y', 'c&d'] } }, expect: 'none' },
  { name: 'for_all_value: all request values match', policy: cond({ 'for_all_value:string_equal': { 'qcs:request_tag': ['a&b', 'c&d'] } }), req: { ctx: { 'qcs:request_tag': ['a&b', 'c&d'] } }, expect: 'allow #0' },
  { name: 'for_all_value: one request value does not', policy: cond({ 'for_all_value:string_equal': { 'qcs:request_tag': ['a&b', 'c&d'] } }), req: { ctx: { 'qcs:request_tag': ['a&b', 'x&y'] } }, expect: 'none' },
  { name: 'for_all_value:string_not_equal: none banned', policy: cond({ 'for_all_value:string_not_equal': { 'qcs:request_tag': 'bad&1' } }), req: { ctx: { 'qcs:request_tag': ['a&b', 'c&d'] } }, expect: 'allow #0' },
  { name: 'plain string_not_equal over several request values', policy: cond({ string_not_equal: { 'qcs:request_tag': 'bad&1' } }), req: { ctx: { 'qcs:request_tag': ['a&b', 'bad&1'] } }, expect: 'none' },
];

const USER_POLICIES: Case[] = [
  { name: 'user policy applies without a principal', kind: 'user', policy: doc(stmt('allow', undefined, 'cos:Get*', '*')), req: { as: 'sub' }, expect: 'allow #0' },
  { name: 'user policy: action outside', kind: 'user', policy: doc(stmt('allow', undefined, 'cos:Get*', '*')), req: { as: 'sub', action: 'PutObject' }, expect: 'none' },
  { name: 'user policy deny', kind: 'user', policy: doc(stmt('allow', undefined, 'name/cos:*', `${RES}/*`), stmt('deny', undefined, 'name/cos:DeleteObject', `${RES}/*`)), req: { as: 'sub', action: 'DeleteObject' }, expect: 'deny #1' },
  { name: 'user policy resource scoping', kind: 'user', policy: doc(stmt('allow', undefined, 'name/cos:*', `qcs::cos:*:uid/${APPID}:${BUCKET}/home/sub/*`)), req: { as: 'sub', key: 'home/other/x' }, expect: 'none' },
  { name: 'user policy GetService on *', kind: 'user', policy: doc(stmt('allow', undefined, 'name/cos:GetService', '*')), req: { as: 'sub', action: 'GetService', service: true }, expect: 'allow #0' },
  { name: 'user policy with conditions', kind: 'user', policy: doc(stmt('allow', undefined, 'cos:*', '*', { ip_equal: { 'qcs:ip': '10.0.0.0/8' } })), req: { as: 'sub', ctx: { 'qcs:ip': '192.168.1.1' } }, expect: 'none' },
];

const CASING: Case[] = [
  { name: 'all lower-case element names (Go SDK)', policy: JSON.stringify({ version: '2.0', statement: [{ principal: { qcs: [id(OTHER)] }, effect: 'allow', action: ['name/cos:GetObject'], resource: [`${RES}/*`] }] }), req: {}, expect: 'allow #0' },
  { name: 'console casing with lower-case version', policy: `{"version":"2.0","Statement":[{"Principal":{"qcs":["${id(OTHER)}"]},"Effect":"Allow","Action":["name/cos:GetObject"],"Resource":["${RES}/*"]}]}`, req: {}, expect: 'allow #0' },
  { name: 'Version capitalised and mixed element case', policy: `{"Version":"2.0","STATEMENT":[{"SID":"x","pRiNcIpAl":{"QCS":"${id(OTHER)}"},"EFFECT":"ALLOW","ACTION":"name/cos:GetObject","RESOURCE":"${RES}/*"}]}`, req: {}, expect: 'allow x' },
  { name: 'effect DENY upper-case', policy: `{"version":"2.0","statement":[{"principal":{"qcs":"${id(OTHER)}"},"effect":"DENY","action":"*","resource":"*"}]}`, req: {}, expect: 'deny #0' },
  { name: 'single statement object instead of array', policy: `{"version":"2.0","statement":{"principal":{"qcs":"${id(OTHER)}"},"effect":"allow","action":"*","resource":"*"}}`, req: {}, expect: 'allow #0' },
  { name: 'Condition element capitalised', policy: `{"version":"2.0","Statement":[{"Principal":{"qcs":"${ANYONE}"},"Effect":"Allow","Action":"name/cos:GetObject","Resource":"${RES}/*","Condition":{"ip_equal":{"qcs:ip":["10.1.1.0/24"]}}}]}`, req: { as: 'anon', ctx: { 'qcs:ip': '10.1.1.1' } }, expect: 'allow #0' },
];

// §8 worked examples.
const EXAMPLES: Case[] = [
  { name: '§8 public read for two IPs: inside', policy: doc(stmt('allow', ANON, ['name/cos:GetObject', 'name/cos:HeadObject'], `${RES}/*`, { ip_equal: { 'qcs:ip': ['192.168.1.1', '192.168.1.2'] } })), req: { as: 'anon', action: 'HeadObject', ctx: { 'qcs:ip': '192.168.1.2' } }, expect: 'allow #0' },
  { name: '§8 public read for two IPs: elsewhere', policy: doc(stmt('allow', ANON, ['name/cos:GetObject', 'name/cos:HeadObject'], `${RES}/*`, { ip_equal: { 'qcs:ip': ['192.168.1.1', '192.168.1.2'] } })), req: { as: 'anon', ctx: { 'qcs:ip': '192.168.1.3' } }, expect: 'none' },
  { name: '§8 hide listing: GetBucket denied to anonymous', policy: doc(stmt('deny', ANYONE, ['name/cos:GetBucket', 'name/cos:GetBucketObjectVersions'], `${RES}/*`)), req: { as: 'anon', action: 'GetBucket', key: null }, expect: 'deny #0' },
  { name: '§8 hide listing: GetObject unaffected', policy: doc(stmt('deny', ANYONE, ['name/cos:GetBucket', 'name/cos:GetBucketObjectVersions'], `${RES}/*`)), req: { as: 'anon' }, expect: 'none' },
  { name: '§8 sub-account folder control', policy: doc(stmt('allow', id(OWNER, SUB), 'name/cos:*', `${RES}/folder/sub-folder/*`)), req: { as: 'sub', action: 'PutObject', key: 'folder/sub-folder/x' }, expect: 'allow #0' },
  { name: '§8 sub-account folder control: outside', policy: doc(stmt('allow', id(OWNER, SUB), 'name/cos:*', `${RES}/folder/sub-folder/*`)), req: { as: 'sub', action: 'PutObject', key: 'folder/x' }, expect: 'none' },
  ...(['private', 'public-read', undefined] as const).map((acl) => ({
    name: `§8 private uploads only: x-cos-acl ${acl ?? 'absent'}`,
    policy: doc(stmt('allow', id(OTHER), 'name/cos:PutObject', `${RES}/*`, { string_equal: { 'cos:x-cos-acl': 'private' } }), stmt('deny', id(OTHER), 'name/cos:PutObject', `${RES}/*`, { string_not_equal_if_exist: { 'cos:x-cos-acl': 'private' } })),
    req: { action: 'PutObject', ...(acl === undefined ? {} : { ctx: { 'cos:x-cos-acl': acl } }) },
    expect: acl === 'private' ? 'allow #0' : 'deny #1', // an absent header fails string_equal and meets _if_exist
  })),
];

const GROUPS: Record<string, Case[]> = { PRINCIPALS, DENIES, ACTIONS, RESOURCES, CONDITIONS, USER_POLICIES, CASING, EXAMPLES };

describe('evaluatePolicy', () => {
  for (const [group, cases] of Object.entries(GROUPS)) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => {
          const policy = compilePolicy(c.policy, c.kind ?? 'bucket');
          assert.equal(show(evaluatePolicy(policy, request(c.req))), c.expect);
        });
      }
    });
  }
});

describe('matchStatements', () => {
  it('lists every applicable statement in order', () => {
    const policy = compilePolicy(doc(stmt('allow', id(OTHER), '*', '*', undefined, 'a'), stmt('deny', id(OWNER), '*', '*'), stmt('deny', id(OTHER), 'cos:Get*', `${RES}/*`, undefined, 'c')), 'bucket');
    assert.deepEqual(matchStatements(policy, request({})), [
      { effect: 'allow', statement: 'a', index: 0 },
      { effect: 'deny', statement: 'c', index: 2 },
    ]);
  });
  it('is empty when nothing applies', () => {
    assert.deepEqual(matchStatements(compilePolicy(allowOther('name/cos:PutObject'), 'bucket'), request({})), []);
  });
});

const WILDCARDS: [pattern: string, subject: string, expected: boolean][] = [
  ['abc', 'abc', true],
  ['abc', 'abcd', false],
  ['abc', 'ABC', false],
  ['', '', true],
  ['', 'a', false],
  ['*', '', true],
  ['*', 'anything/at/all', true],
  ['**', 'x', true],
  ['a*', 'a', true],
  ['a*', 'abc/def', true],
  ['a*', 'ba', false],
  ['*c', 'abc', true],
  ['*c', 'abd', false],
  ['a*c', 'ac', true],
  ['a*c', 'abbbc', true],
  ['a*c', 'abcd', false],
  ['a*b*c', 'aXbYc', true],
  ['a*b*c', 'acb', false],
  ['a*ab', 'aab', true],
  ['a*ab', 'ab', false],
  ['*a*a*a*a*a*b', 'a'.repeat(5000), false],
  ['*a*a*a*a*a*b', `${'a'.repeat(5000)}b`, true],
  ['folder/*/x', 'folder//x', true],
  ['x*y*z', 'xyz', true],
  ['x*y*z', 'xzy', false],
  ['*/', 'bucket/', true],
  ['ab*ba', 'aba', false],
];

describe('compileWildcard', () => {
  for (const [pattern, subject, expected] of WILDCARDS) {
    it(`${JSON.stringify(pattern)} ~ ${JSON.stringify(subject.length > 40 ? `${subject.slice(0, 20)}…(${subject.length})` : subject)} = ${expected}`, () => {
      assert.equal(compileWildcard(pattern)(subject), expected);
    });
  }
});

const P = (statement: Json, extra: Json = {}): string => JSON.stringify({ version: '2.0', ...extra, statement: [statement] });
const GOOD: Json = { principal: { qcs: [id(OTHER)] }, effect: 'allow', action: 'name/cos:GetObject', resource: `${RES}/*` };
const INVALID: { name: string; policy: string; kind?: PolicyKind; message: string }[] = [
  { name: 'not JSON', policy: '{"version":"2.0",', message: 'not valid JSON' },
  { name: 'JSON array', policy: '[]', message: 'expected a JSON object' },
  { name: 'JSON string', policy: '"policy"', message: 'expected a JSON object' },
  { name: 'missing version', policy: JSON.stringify({ statement: [GOOD] }), message: 'version: required' },
  { name: 'wrong version', policy: JSON.stringify({ version: '1.0', statement: [GOOD] }), message: 'version: must be "2.0" (COS) or "2012-10-17" or "2008-10-17" (S3), not "1.0"' },
  { name: 'numeric version', policy: JSON.stringify({ version: 2.0, statement: [GOOD] }), message: 'version: must be "2.0"' },
  { name: 'missing statement', policy: JSON.stringify({ version: '2.0' }), message: 'statement: required' },
  { name: 'empty statement array', policy: JSON.stringify({ version: '2.0', statement: [] }), message: 'statement: must not be empty' },
  { name: 'statement not an object', policy: JSON.stringify({ version: '2.0', statement: ['x'] }), message: 'statement[0]: expected an object' },
  { name: 'unknown top-level element', policy: JSON.stringify({ version: '2.0', statement: [GOOD], extra: 1 }), message: 'extra: unknown element' },
  { name: 'duplicate element differing in case', policy: JSON.stringify({ version: '2.0', statement: [GOOD], Statement: [GOOD] }), message: 'Statement: element given twice' },
  { name: 'unknown statement element (typo)', policy: P({ ...GOOD, efect: 'allow' }), message: 'statement[0].efect: unknown element' },
  { name: 'missing effect', policy: P({ ...GOOD, effect: undefined }), message: 'statement[0].effect: required' },
  { name: 'bad effect', policy: P({ ...GOOD, effect: 'permit' }), message: 'statement[0].effect: must be allow or deny, not "permit"' },
  { name: 'missing action', policy: P({ ...GOOD, action: undefined }), message: 'statement[0].action: required' },
  { name: 'missing resource', policy: P({ ...GOOD, resource: undefined }), message: 'statement[0].resource: required' },
  { name: 'empty action array', policy: P({ ...GOOD, action: [] }), message: 'statement[0].action: must not be empty' },
  { name: 'action not a string', policy: P({ ...GOOD, action: ['name/cos:GetObject', 5] }), message: 'statement[0].action[1]: expected a string' },
  { name: 'unknown action', policy: P({ ...GOOD, action: ['name/cos:GetObject', 'name/cos:GetObjekt'] }), message: 'statement[0].action[1]: unknown action name/cos:GetObjekt' },
  { name: 'action with wrong case', policy: P({ ...GOOD, action: 'name/cos:getobject' }), message: 'did you mean name/cos:GetObject?' },
  { name: 'non-COS action', policy: P({ ...GOOD, action: 'name/cvm:DescribeInstances' }), message: 'unknown action name/cvm:DescribeInstances' },
  { name: 'action without service', policy: P({ ...GOOD, action: 'GetObject' }), message: 'unknown action GetObject' },
  { name: 'empty action name', policy: P({ ...GOOD, action: 'name/cos:' }), message: 'unknown action name/cos:' },
  { name: 'missing principal in bucket policy', policy: P({ ...GOOD, principal: undefined }), message: 'statement[0].principal: required in a bucket policy' },
  { name: 'principal in a user policy', kind: 'user', policy: P(GOOD), message: 'statement[0].principal: not allowed in a user policy' },
  { name: 'top-level principal in a user policy', kind: 'user', policy: P({ ...GOOD, principal: undefined }, { principal: { qcs: ANYONE } }), message: 'principal: not allowed in a user policy' },
  { name: 'principal a plain id string', policy: P({ ...GOOD, principal: id(OTHER) }), message: 'statement[0].principal: expected {"qcs": [...]} or "*"' },
  { name: 'principal unknown form', policy: P({ ...GOOD, principal: { qcs: ['qcs::cam::uin/1:role/x'] } }), message: 'statement[0].principal.qcs[0]: unsupported principal' },
  { name: 'principal with non-numeric uin', policy: P({ ...GOOD, principal: { qcs: 'qcs::cam::uin/abc:uin/abc' } }), message: 'unsupported principal' },
  { name: 'principal unknown key', policy: P({ ...GOOD, principal: { cam: [id(OTHER)] } }), message: 'statement[0].principal.cam: unknown element' },
  { name: 'principal missing qcs', policy: P({ ...GOOD, principal: {} }), message: 'statement[0].principal: missing "qcs"' },
  { name: 'principal empty list', policy: P({ ...GOOD, principal: { qcs: [] } }), message: 'statement[0].principal.qcs: must not be empty' },
  { name: 'resource not qcs', policy: P({ ...GOOD, resource: 'arn:aws:s3:::bucket/*' }), message: 'statement[0].resource: malformed resource "arn:aws:s3:::bucket/*"' },
  { name: 'resource too few segments', policy: P({ ...GOOD, resource: ['*', 'qcs::cos:ap-guangzhou'] }), message: 'statement[0].resource[1]: malformed resource' },
  { name: 'resource other service', policy: P({ ...GOOD, resource: `qcs::cvm:${REGION}:uid/${APPID}:instance/*` }), message: 'service must be "cos"' },
  { name: 'resource bad account', policy: P({ ...GOOD, resource: `qcs::cos:${REGION}:${APPID}:${BUCKET}/*` }), message: 'account must be uid/<APPID>' },
  { name: 'resource missing bucket path', policy: P({ ...GOOD, resource: `qcs::cos:${REGION}:uid/${APPID}:${BUCKET}` }), message: 'missing "<BucketName-APPID>/<path>"' },
  { name: 'resource empty bucket part', policy: P({ ...GOOD, resource: `qcs::cos:${REGION}:uid/${APPID}:` }), message: 'malformed resource' },
  { name: 'resource not a string', policy: P({ ...GOOD, resource: { x: 1 } }), message: 'statement[0].resource: expected a string or an array of strings' },
  { name: 'unknown operator', policy: P({ ...GOOD, condition: { string_equals: { 'cos:x-cos-acl': 'private' } } }), message: 'statement[0].condition.string_equals: unknown condition operator "string_equals"' },
  { name: 'unknown operator string_not_like', policy: P({ ...GOOD, condition: { string_not_like: { 'cos:prefix': 'a*' } } }), message: 'unknown condition operator' },
  { name: 'null_equal_if_exist not an operator', policy: P({ ...GOOD, condition: { null_equal_if_exist: { 'cos:prefix': 'true' } } }), message: 'unknown condition operator' },
  { name: 'unknown qualifier', policy: P({ ...GOOD, condition: { 'for_some_value:string_equal': { 'cos:prefix': 'a' } } }), message: 'unknown condition operator' },
  { name: 'unknown condition key', policy: P({ ...GOOD, condition: { string_equal: { 'cos:nonsense': 'a' } } }), message: 'statement[0].condition.string_equal.cos:nonsense: unknown condition key' },
  { name: 'condition not an object', policy: P({ ...GOOD, condition: ['x'] }), message: 'statement[0].condition: expected an object' },
  { name: 'condition operator block empty', policy: P({ ...GOOD, condition: { string_equal: {} } }), message: 'statement[0].condition.string_equal: expected a non-empty object' },
  { name: 'condition values empty', policy: P({ ...GOOD, condition: { string_equal: { 'cos:prefix': [] } } }), message: 'must not be empty' },
  { name: 'condition value object', policy: P({ ...GOOD, condition: { string_equal: { 'cos:prefix': [{}] } } }), message: 'cos:prefix[0]: expected a string, number or boolean' },
  { name: 'bad CIDR', policy: P({ ...GOOD, condition: { ip_equal: { 'qcs:ip': ['10.0.0.0/8', '10.0.0.0/33'] } } }), message: 'qcs:ip[1]: "10.0.0.0/33" is not an IPv4/IPv6 address or CIDR block' },
  { name: 'bad IPv4', policy: P({ ...GOOD, condition: { ip_equal: { 'qcs:ip': '300.1.1.1' } } }), message: 'is not an IPv4/IPv6 address' },
  { name: 'bad IPv6', policy: P({ ...GOOD, condition: { ip_not_equal: { 'qcs:ip': '2001:db8:::1/64' } } }), message: 'is not an IPv4/IPv6 address' },
  { name: 'bad number', policy: P({ ...GOOD, condition: { numeric_less_than: { 'cos:content-length': 'ten' } } }), message: '"ten" is not a number' },
  { name: 'bad date', policy: P({ ...GOOD, condition: { date_less_than: { 'qcs:current_time': 'tomorrow' } } }), message: '"tomorrow" is not an ISO-8601 date' },
  { name: 'bad bool', policy: P({ ...GOOD, condition: { bool_equal: { 'cos:secure-transport': 'yes' } } }), message: '"yes" is not true or false' },
  { name: 'sid not a string', policy: P({ ...GOOD, sid: 3 }), message: 'statement[0].sid: expected a string' },
  { name: 'error in a later statement names its index', policy: JSON.stringify({ version: '2.0', statement: [GOOD, GOOD, { ...GOOD, action: 'name/cos:Nope' }] }), message: 'statement[2].action: unknown action name/cos:Nope' },
];

describe('compilePolicy rejects', () => {
  for (const c of INVALID) {
    it(c.name, () => {
      assert.throws(
        () => compilePolicy(c.policy, c.kind ?? 'bucket'),
        (e: unknown) => e instanceof PolicyError && e.message.includes(c.message) ? true : assert.fail(`got ${String(e)}; wanted a PolicyError containing ${JSON.stringify(c.message)}`),
      );
    });
  }
});
