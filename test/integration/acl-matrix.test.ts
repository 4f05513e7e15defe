// The ACL permission matrix: bucket ACL x object ACL x caller x operation, expected outcomes from spec/acl.md as data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { send, type RawResponse } from '../helpers/raw.ts';
import { OTHER, OTHER_SUB, OWNER, SUB, THIRD, startTestServer, uniqueBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';

const ALL = 'http://cam.qcloud.com/groups/global/AllUsers';
const AUTH = 'http://cam.qcloud.com/groups/global/AuthenticatedUsers';
const id = (who: TestIdentity): string => `qcs::cam::uin/${who.uin}:uin/${who.uin}`;
const OTHER_ID = `id="${id(OTHER)}"`;

type Perm = 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
type Grantee = 'owner' | 'other' | typeof ALL | typeof AUTH;

/** Each ACL: the headers that set it, and who holds which permission (spec/acl.md §3 canned table). FULL_CONTROL is listed as all four. */
interface AclCase {
  name: string;
  headers: Record<string, string>;
  grants: Partial<Record<Perm, Grantee[]>>;
}

const FULL: Grantee[] = ['owner'];
const BUCKET_ACLS: AclCase[] = [
  { name: 'private', headers: { 'x-cos-acl': 'private' }, grants: {} },
  { name: 'public-read', headers: { 'x-cos-acl': 'public-read' }, grants: { READ: [ALL] } },
  { name: 'public-read-write', headers: { 'x-cos-acl': 'public-read-write' }, grants: { READ: [ALL], WRITE: [ALL] } },
  { name: 'authenticated-read', headers: { 'x-cos-acl': 'authenticated-read' }, grants: { READ: [AUTH] } },
  {
    name: 'grants to other',
    headers: { 'x-cos-grant-read': OTHER_ID, 'x-cos-grant-write': OTHER_ID, 'x-cos-grant-read-acp': OTHER_ID },
    grants: { READ: ['other'], WRITE: ['other'], READ_ACP: ['other'] },
  },
];

/** `default` has no grants of its own: the bucket's apply (spec/acl.md §4). */
const OBJECT_ACLS: Array<AclCase & { inherits?: true }> = [
  { name: 'default', headers: { 'x-cos-acl': 'default' }, grants: {}, inherits: true },
  { name: 'private', headers: { 'x-cos-acl': 'private' }, grants: {} },
  { name: 'public-read', headers: { 'x-cos-acl': 'public-read' }, grants: { READ: [ALL] } },
  {
    name: 'grants to other',
    headers: { 'x-cos-grant-full-control': OTHER_ID },
    grants: { READ: ['other'], READ_ACP: ['other'], WRITE_ACP: ['other'] },
  },
];

/** Callers and the grantees they count as. A grant to OTHER does not reach OTHER's sub-account (spec/policy.md §7). */
const CALLERS: Array<{ name: string; who: TestIdentity | undefined; is: Grantee[] }> = [
  { name: 'owner', who: OWNER, is: ['owner', ALL, AUTH] },
  { name: 'granted account', who: OTHER, is: ['other', ALL, AUTH] },
  { name: 'ungranted account', who: THIRD, is: [ALL, AUTH] },
  { name: "granted account's sub-account", who: OTHER_SUB, is: [ALL, AUTH] },
  { name: "owner's sub-account", who: SUB, is: [ALL, AUTH] },
  { name: 'anonymous', who: undefined, is: [ALL] },
];

/** What each operation needs, on the bucket ACL or the object's effective ACL (spec/acl.md §2). */
const OPERATIONS: Array<{ op: string; on: 'bucket' | 'object'; perm: Perm }> = [
  { op: 'list', on: 'bucket', perm: 'READ' },
  { op: 'get', on: 'object', perm: 'READ' },
  { op: 'head', on: 'object', perm: 'READ' },
  { op: 'put', on: 'bucket', perm: 'WRITE' },
  { op: 'delete', on: 'bucket', perm: 'WRITE' },
  { op: 'getBucketAcl', on: 'bucket', perm: 'READ_ACP' },
  { op: 'putBucketAcl', on: 'bucket', perm: 'WRITE_ACP' },
  { op: 'getObjectAcl', on: 'object', perm: 'READ_ACP' },
  { op: 'putObjectAcl', on: 'object', perm: 'WRITE_ACP' },
  { op: 'copyIn', on: 'bucket', perm: 'WRITE' },
  { op: 'copyOut', on: 'object', perm: 'READ' },
];

function expectedAllow(bucketAcl: AclCase, objectAcl: (typeof OBJECT_ACLS)[number], caller: (typeof CALLERS)[number], need: (typeof OPERATIONS)[number]): boolean {
  if (caller.name === 'owner') return true;
  const acl = need.on === 'object' && !objectAcl.inherits ? objectAcl : bucketAcl;
  return (acl.grants[need.perm] ?? FULL).some((g) => caller.is.includes(g));
}

let server: TestServer;
let source: string;
let sink: string;
const sdk = new Map<string, COS>();

before(async () => {
  server = await startTestServer();
  for (const who of [OWNER, OTHER, THIRD, OTHER_SUB, SUB]) sdk.set(who.uin, server.sdk(who));
  const owner = server.sdk(OWNER);
  // A public object anyone may copy in, and a public-read-write bucket anyone may copy out into.
  source = uniqueBucket();
  sink = uniqueBucket();
  await owner.putBucket({ Bucket: source, Region: server.region, ACL: 'public-read' });
  await owner.putObject({ Bucket: source, Region: server.region, Key: 'src', Body: 'source' });
  await owner.putBucket({ Bucket: sink, Region: server.region, ACL: 'public-read-write' });
});
after(() => server.close());

/** Runs one operation as the caller: through the SDK when signed, raw HTTP when anonymous. Resolves to the HTTP status. */
async function perform(op: string, who: TestIdentity | undefined, bucket: string, key: string, ctx: { bucketAcl: AclCase; objectAcl: AclCase }): Promise<number> {
  const tag = `${op}-${who?.uin ?? 'anon'}`;
  const copyIn = `${source}.cos.${server.region}.myqcloud.com/src`;
  const copyOut = `${bucket}.cos.${server.region}.myqcloud.com/${key}`;
  if (!who) {
    const requests: Record<string, { method: string; url: string; headers?: Record<string, string>; body?: string }> = {
      list: { method: 'GET', url: `/${bucket}/` },
      get: { method: 'GET', url: `/${bucket}/${key}` },
      head: { method: 'HEAD', url: `/${bucket}/${key}` },
      put: { method: 'PUT', url: `/${bucket}/${tag}`, body: 'x' },
      delete: { method: 'DELETE', url: `/${bucket}/victim` },
      getBucketAcl: { method: 'GET', url: `/${bucket}/?acl` },
      putBucketAcl: { method: 'PUT', url: `/${bucket}/?acl`, headers: ctx.bucketAcl.headers },
      getObjectAcl: { method: 'GET', url: `/${bucket}/${key}?acl` },
      putObjectAcl: { method: 'PUT', url: `/${bucket}/${key}?acl`, headers: ctx.objectAcl.headers },
      copyIn: { method: 'PUT', url: `/${bucket}/${tag}`, headers: { 'x-cos-copy-source': copyIn } },
      copyOut: { method: 'PUT', url: `/${sink}/${tag}-${bucket}`, headers: { 'x-cos-copy-source': copyOut } },
    };
    const r = requests[op];
    if (!r) throw new Error(op);
    const res: RawResponse = await send(server.hostPort, r);
    return res.status;
  }
  const cos = sdk.get(who.uin);
  if (!cos) throw new Error(who.uin);
  const Region = server.region;
  const calls: Record<string, () => Promise<unknown>> = {
    list: () => cos.getBucket({ Bucket: bucket, Region }),
    get: () => cos.getObject({ Bucket: bucket, Region, Key: key }),
    head: () => cos.headObject({ Bucket: bucket, Region, Key: key }),
    put: () => cos.putObject({ Bucket: bucket, Region, Key: tag, Body: 'x' }),
    delete: () => cos.deleteObject({ Bucket: bucket, Region, Key: 'victim' }),
    getBucketAcl: () => cos.getBucketAcl({ Bucket: bucket, Region }),
    putBucketAcl: () => cos.putBucketAcl({ Bucket: bucket, Region, Headers: ctx.bucketAcl.headers }),
    getObjectAcl: () => cos.getObjectAcl({ Bucket: bucket, Region, Key: key }),
    putObjectAcl: () => cos.putObjectAcl({ Bucket: bucket, Region, Key: key, Headers: ctx.objectAcl.headers }),
    copyIn: () => cos.putObjectCopy({ Bucket: bucket, Region, Key: tag, CopySource: copyIn }),
    copyOut: () => cos.putObjectCopy({ Bucket: sink, Region, Key: `${tag}-${bucket}`, CopySource: copyOut }),
  };
  const call = calls[op];
  if (!call) throw new Error(op);
  try {
    const result = (await call()) as { statusCode?: number };
    return result.statusCode ?? 200;
  } catch (error) {
    const e = error as { statusCode?: number; code?: string };
    // HEAD answers carry no body, so the SDK can only report the status.
    if (e.statusCode === 403 && op !== 'head') assert.equal(e.code, 'AccessDenied');
    return e.statusCode ?? 0;
  }
}

describe('ACL permission matrix', () => {
  for (const bucketAcl of BUCKET_ACLS) {
    describe(`bucket ${bucketAcl.name}`, () => {
      let bucket: string;
      before(async () => {
        bucket = uniqueBucket();
        const owner = sdk.get(OWNER.uin);
        assert.ok(owner);
        await owner.putBucket({ Bucket: bucket, Region: server.region, Headers: bucketAcl.headers });
        await owner.putObject({ Bucket: bucket, Region: server.region, Key: 'victim', Body: 'v' });
        for (const objectAcl of OBJECT_ACLS) {
          await owner.putObject({ Bucket: bucket, Region: server.region, Key: `obj-${objectAcl.name.replace(/ /g, '-')}`, Body: 'data', Headers: objectAcl.headers });
        }
      });
      for (const objectAcl of OBJECT_ACLS) {
        for (const caller of CALLERS) {
          it(`object ${objectAcl.name}, ${caller.name}`, async () => {
            const outcomes: string[] = [];
            const expected: string[] = [];
            for (const need of OPERATIONS) {
              const status = await perform(need.op, caller.who, bucket, `obj-${objectAcl.name.replace(/ /g, '-')}`, { bucketAcl, objectAcl });
              outcomes.push(`${need.op}:${status === 403 ? 'deny' : status < 300 ? 'allow' : status}`);
              expected.push(`${need.op}:${expectedAllow(bucketAcl, objectAcl, caller, need) ? 'allow' : 'deny'}`);
            }
            assert.deepEqual(outcomes, expected);
          });
        }
      }
    });
  }
});
