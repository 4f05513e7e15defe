// Bucket versioning through cos-nodejs-sdk-v5 (raw signed requests where the SDK cannot say it, e.g.
// PUT Object acl with a versionId): state changes, versions and delete markers, per-version reads,
// deletes, ACLs and copies, multi-delete, paging 10 000 versions, and every bad input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { OTHER, OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cos: COS;
let Region: string;

before(async () => {
  server = await startTestServer();
  cos = server.sdk();
  Region = server.region;
});
after(() => server.close());

async function newBucket(status?: 'Enabled' | 'Suspended'): Promise<string> {
  const Bucket = uniqueBucket();
  await cos.putBucket({ Bucket, Region });
  if (status) await cos.putBucketVersioning({ Bucket, Region, VersioningConfiguration: { Status: status } });
  return Bucket;
}

async function errorCode(promise: Promise<unknown>): Promise<{ code: string | undefined; status: number | undefined; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; statusCode?: number; headers?: Record<string, string> };
    return { code: e.code, status: e.statusCode, headers: e.headers ?? {} };
  }
  assert.fail('expected an error');
}

const put = async (Bucket: string, Key: string, Body: string): Promise<string | undefined> =>
  (await cos.putObject({ Bucket, Region, Key, Body })).headers?.['x-cos-version-id'];

const read = async (Bucket: string, Key: string, VersionId?: string): Promise<string> =>
  (await cos.getObject({ Bucket, Region, Key, ...(VersionId !== undefined && { VersionId }) })).Body.toString();

/** Every entry of a versions listing as `key@versionId` (delete markers as `key@versionId:DM`), latest marked `*`. */
async function history(Bucket: string, Prefix = ''): Promise<string[]> {
  const page = await listVersions(Bucket, { Prefix });
  const entries = [
    ...page.Versions.map((v) => ({ key: v.Key, id: v.VersionId, latest: String(v.IsLatest) === 'true', dm: false, at: v.LastModified })),
    ...page.DeleteMarkers.map((d) => ({ key: d.Key, id: d.VersionId, latest: String(d.IsLatest) === 'true', dm: true, at: d.LastModified })),
  ];
  return entries.map((e) => `${e.key}@${e.id}${e.dm ? ':DM' : ''}${e.latest ? '*' : ''}`).sort();
}

// The SDK's JavaScript forwards VersionId on deleteObject/headObject and KeyMarker on listObjectVersions
// (sdk/base.js), and the result has NextKeyMarker; its index.d.ts omits them (and types MaxKeys as a string).
interface ListParams {
  Prefix?: string;
  Delimiter?: string;
  EncodingType?: 'url';
  MaxKeys?: number;
  KeyMarker?: string | undefined;
  VersionIdMarker?: string | undefined;
}
type VersionsPage = COS.ListObjectVersionsResult & { NextKeyMarker?: string };
const listVersions = (Bucket: string, p: ListParams = {}, client: COS = cos): Promise<VersionsPage> =>
  client.listObjectVersions({ Bucket, Region, ...p } as unknown as COS.ListObjectVersionsParams);
const deleteObject = (Bucket: string, Key: string, VersionId?: string): Promise<COS.DeleteObjectResult> =>
  cos.deleteObject({ Bucket, Region, Key, ...(VersionId !== undefined && { VersionId }) } as COS.DeleteObjectParams);
const headObject = (Bucket: string, Key: string, VersionId?: string): Promise<COS.HeadObjectResult> =>
  cos.headObject({ Bucket, Region, Key, ...(VersionId !== undefined && { VersionId }) } as COS.HeadObjectParams);

function raw(method: string, url: string, extra: { headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return send(server.hostPort, { method, url, signAs: OWNER, ...extra });
}

describe('PUT/GET Bucket versioning', () => {
  it('is empty until enabled, then Enabled or Suspended, never back to empty', async () => {
    const Bucket = await newBucket();
    const never = await raw('GET', `/${Bucket}/?versioning`);
    assert.equal(never.status, 200);
    assert.deepEqual(never.xml?.['VersioningConfiguration'], '', 'an empty VersioningConfiguration');
    assert.deepEqual((await cos.getBucketVersioning({ Bucket, Region })).VersioningConfiguration, {});
    for (const Status of ['Enabled', 'Suspended', 'Enabled', 'Suspended'] as const) {
      await cos.putBucketVersioning({ Bucket, Region, VersioningConfiguration: { Status } });
      assert.equal((await cos.getBucketVersioning({ Bucket, Region })).VersioningConfiguration.Status, Status);
    }
  });

  it('refuses malformed, unknown-status and oversized bodies with COS errors, and other callers', async () => {
    const Bucket = await newBucket();
    for (const body of ['', '<VersioningConfiguration>', '<VersioningConfiguration><Status>Disabled</Status></VersioningConfiguration>', '<VersioningConfiguration/>', '<Other><Status>Enabled</Status></Other>']) {
      const res = await raw('PUT', `/${Bucket}/?versioning`, { body });
      assert.equal(res.status, 400, body);
      assert.equal(errorOf(res)['Code'], 'MalformedXML', body);
    }
    const big = `<VersioningConfiguration><Status>Enabled</Status>${' '.repeat(5000)}</VersioningConfiguration>`;
    assert.equal(errorOf(await raw('PUT', `/${Bucket}/?versioning`, { body: big }))['Code'], 'XMLSizeLimit');
    const badMd5 = await raw('PUT', `/${Bucket}/?versioning`, {
      body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>',
      headers: { 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' },
    });
    assert.equal(errorOf(badMd5)['Code'], 'BadDigest');
    // Bucket configuration: no ACL grants it, so another account is denied without learning anything.
    const other = server.sdk(OTHER);
    assert.equal((await errorCode(other.putBucketVersioning({ Bucket, Region, VersioningConfiguration: { Status: 'Enabled' } }))).code, 'AccessDenied');
    assert.equal((await errorCode(other.getBucketVersioning({ Bucket, Region }))).code, 'AccessDenied');
    assert.deepEqual((await cos.getBucketVersioning({ Bucket, Region })).VersioningConfiguration, {}, 'nothing changed');
  });
});

describe('versions through enable/suspend cycles', () => {
  it('keeps every Enabled write, replaces the null version otherwise, and deletes as each state says', async () => {
    const Bucket = await newBucket();
    assert.equal(await put(Bucket, 'k', 'before'), undefined, 'no version header before versioning');
    await cos.putBucketVersioning({ Bucket, Region, VersioningConfiguration: { Status: 'Enabled' } });
    const v1 = await put(Bucket, 'k', 'one');
    const v2 = await put(Bucket, 'k', 'two');
    assert.ok(v1 && v2 && v1 !== v2 && v1 !== 'null');
    assert.equal(await read(Bucket, 'k'), 'two');
    assert.equal(await read(Bucket, 'k', v1), 'one');
    assert.equal(await read(Bucket, 'k', 'null'), 'before', 'the pre-versioning object is the null version');
    assert.deepEqual(await history(Bucket), [`k@${v1}`, `k@${v2}*`, 'k@null'].sort());

    // Suspended: a write replaces the null version and becomes current.
    await cos.putBucketVersioning({ Bucket, Region, VersioningConfiguration: { Status: 'Suspended' } });
    assert.equal(await put(Bucket, 'k', 'suspended'), 'null');
    assert.equal(await read(Bucket, 'k'), 'suspended');
    assert.deepEqual(await history(Bucket), [`k@${v1}`, `k@${v2}`, 'k@null*'].sort());

    // Suspended DELETE: a null delete marker takes the null version's place.
    const del = await deleteObject(Bucket, 'k');
    assert.equal(del.headers?.['x-cos-delete-marker'], 'true');
    assert.equal(del.headers?.['x-cos-version-id'], 'null');
    assert.deepEqual(await history(Bucket), [`k@${v1}`, `k@${v2}`, 'k@null:DM*'].sort());
    const gone = await errorCode(cos.getObject({ Bucket, Region, Key: 'k' }));
    assert.equal(gone.code, 'NoSuchKey');
    assert.equal(gone.headers['x-cos-delete-marker'], 'true');
    assert.equal((await errorCode(headObject(Bucket, 'k'))).status, 404);
    assert.equal(await read(Bucket, 'k', v2), 'two', 'older versions stay readable');

    // Enabled DELETE: a new delete marker stacks on top.
    await cos.putBucketVersioning({ Bucket, Region, VersioningConfiguration: { Status: 'Enabled' } });
    const marker = (await deleteObject(Bucket, 'k')).headers?.['x-cos-version-id'];
    assert.ok(marker && marker !== 'null');
    assert.deepEqual(await history(Bucket), [`k@${v1}`, `k@${v2}`, 'k@null:DM', `k@${marker}:DM*`].sort());
    const named = await errorCode(cos.getObject({ Bucket, Region, Key: 'k', VersionId: marker }));
    assert.deepEqual([named.status, named.code, named.headers['x-cos-delete-marker']], [405, 'MethodNotAllowed', 'true']);

    // Removing delete markers by id brings the newest remaining version back.
    const removed = await deleteObject(Bucket, 'k', marker);
    assert.equal(removed.headers?.['x-cos-delete-marker'], 'true');
    assert.equal(removed.headers?.['x-cos-version-id'], marker);
    await deleteObject(Bucket, 'k', 'null');
    assert.equal(await read(Bucket, 'k'), 'two');
    const head = await headObject(Bucket, 'k');
    assert.equal(head.headers?.['x-cos-version-id'], v2);

    // Listing objects shows only current non-marker versions.
    await put(Bucket, 'only-marker', 'x');
    await deleteObject(Bucket, 'only-marker');
    const listed = await cos.getBucket({ Bucket, Region });
    assert.deepEqual(listed.Contents.map((c) => c.Key), ['k']);

    // The bucket is not empty while any version or marker remains.
    await deleteObject(Bucket, 'k', v2);
    await deleteObject(Bucket, 'k', v1);
    assert.equal((await cos.getBucket({ Bucket, Region })).Contents.length, 0);
    assert.equal((await errorCode(cos.deleteBucket({ Bucket, Region }))).code, 'BucketNotEmpty');
    for (const v of (await listVersions(Bucket)).DeleteMarkers) {
      await deleteObject(Bucket, v.Key, v.VersionId);
    }
    assert.equal((await errorCode(cos.deleteBucket({ Bucket, Region }))).code, 'BucketNotEmpty', 'the only-marker object version remains');
    for (const v of (await listVersions(Bucket)).Versions) {
      await deleteObject(Bucket, v.Key, v.VersionId);
    }
    await cos.deleteBucket({ Bucket, Region });
  });

  it('answers NoSuchVersion, InvalidArgument and deletes of missing versions as COS/S3 do', async () => {
    const Bucket = await newBucket('Enabled');
    await put(Bucket, 'k', 'x');
    const missing = await errorCode(cos.getObject({ Bucket, Region, Key: 'k', VersionId: 'AAAAAAAAAAAAAAAAAAAAAAAA' }));
    assert.deepEqual([missing.status, missing.code], [404, 'NoSuchVersion']);
    assert.equal((await errorCode(cos.getObjectAcl({ Bucket, Region, Key: 'k', VersionId: 'AAAAAAAAAAAAAAAAAAAAAAAA' }))).code, 'NoSuchVersion');
    assert.equal((await errorCode(headObject(Bucket, 'k', 'AAAAAAAAAAAAAAAAAAAAAAAA'))).status, 404);
    const malformed = await raw('GET', `/${Bucket}/k?versionId=${encodeURIComponent('bad id/..')}`);
    assert.deepEqual([malformed.status, errorOf(malformed)['Code']], [400, 'InvalidArgument']);
    const badMarker = await raw('GET', `/${Bucket}/?versions&version-id-marker=abc`);
    assert.deepEqual([badMarker.status, errorOf(badMarker)['Code']], [400, 'InvalidArgument'], 'version-id-marker needs key-marker');
    // Deleting a version that does not exist succeeds and changes nothing.
    const del = await raw('DELETE', `/${Bucket}/k?versionId=AAAAAAAAAAAAAAAAAAAAAAAA`);
    assert.equal(del.status, 204);
    assert.equal(await read(Bucket, 'k'), 'x');
  });

  it('versionId=null reads the object of a never-versioned bucket; other ids are NoSuchVersion there', async () => {
    const Bucket = await newBucket();
    await put(Bucket, 'k', 'plain');
    const got = await cos.getObject({ Bucket, Region, Key: 'k', VersionId: 'null' });
    assert.equal(got.Body.toString(), 'plain');
    assert.equal(got.headers?.['x-cos-version-id'], undefined, 'no version header on a never-versioned bucket');
    assert.equal((await errorCode(cos.getObject({ Bucket, Region, Key: 'k', VersionId: 'abc' }))).code, 'NoSuchVersion');
    const del = await deleteObject(Bucket, 'k');
    assert.equal(del.headers?.['x-cos-delete-marker'], undefined);
    assert.deepEqual(await history(Bucket), []);
  });
});

describe('per-version ACLs and copies', () => {
  it('GET/PUT Object acl with versionId read and set that version only', async () => {
    const Bucket = await newBucket('Enabled');
    const v1 = await put(Bucket, 'k', 'one');
    const v2 = await put(Bucket, 'k', 'two');
    assert.ok(v1 && v2);
    const grant = `id="qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}"`;
    const set = await raw('PUT', `/${Bucket}/k?acl&versionId=${v1}`, { headers: { 'x-cos-grant-read': grant } });
    assert.equal(set.status, 200);
    assert.equal(set.headers['x-cos-version-id'], v1);

    const acl1 = await cos.getObjectAcl({ Bucket, Region, Key: 'k', VersionId: v1 });
    assert.ok(acl1.Grants.some((g) => (g.Grantee as { ID?: string }).ID === `qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}` && g.Permission === 'READ'));
    assert.equal(acl1.headers?.['x-cos-version-id'], v1);
    const acl2 = await cos.getObjectAcl({ Bucket, Region, Key: 'k' });
    assert.equal(acl2.ACL, 'default', 'the current version keeps its own (default) ACL');
    assert.equal(acl2.headers?.['x-cos-version-id'], v2);

    // The grant applies to that version alone.
    const other = server.sdk(OTHER);
    assert.equal((await other.getObject({ Bucket, Region, Key: 'k', VersionId: v1 })).Body.toString(), 'one');
    assert.equal((await errorCode(other.getObject({ Bucket, Region, Key: 'k' }))).code, 'AccessDenied');
    assert.equal((await errorCode(other.getObject({ Bucket, Region, Key: 'k', VersionId: v2 }))).code, 'AccessDenied');

    // A delete marker has no ACL to read.
    const marker = (await deleteObject(Bucket, 'k')).headers?.['x-cos-version-id'];
    assert.equal((await errorCode(cos.getObjectAcl({ Bucket, Region, Key: 'k', VersionId: marker }))).code, 'MethodNotAllowed');
    assert.equal((await errorCode(cos.getObjectAcl({ Bucket, Region, Key: 'k' }))).code, 'NoSuchKey');
  });

  it('copies a named source version and reports both version ids', async () => {
    const Bucket = await newBucket('Enabled');
    const v1 = await put(Bucket, 'src', 'first');
    await put(Bucket, 'src', 'second');
    const copied = await cos.putObjectCopy({
      Bucket,
      Region,
      Key: 'dst',
      CopySource: `${Bucket}.cos.${Region}.myqcloud.com/src?versionId=${v1}`,
    });
    assert.equal(copied.headers?.['x-cos-copy-source-version-id'], v1);
    const dstVersion = copied.headers?.['x-cos-version-id'];
    assert.ok(dstVersion && dstVersion !== v1);
    assert.equal(await read(Bucket, 'dst'), 'first');
    // Restoring an old version onto its own key is allowed (it is not a no-op copy).
    await cos.putObjectCopy({ Bucket, Region, Key: 'src', CopySource: `${Bucket}.cos.${Region}.myqcloud.com/src?versionId=${v1}` });
    assert.equal(await read(Bucket, 'src'), 'first');
    const unknown = await errorCode(
      cos.putObjectCopy({ Bucket, Region, Key: 'x', CopySource: `${Bucket}.cos.${Region}.myqcloud.com/src?versionId=AAAAAAAAAAAAAAAAAAAAAAAA` }),
    );
    assert.equal(unknown.code, 'NoSuchVersion');
  });
});

describe('DELETE Multiple Objects with versions', () => {
  it('removes named versions and stacks markers for unnamed keys, reporting DeleteMarker/DeleteMarkerVersionId', async () => {
    const Bucket = await newBucket('Enabled');
    const a1 = await put(Bucket, 'a', 'a1');
    await put(Bucket, 'a', 'a2');
    await put(Bucket, 'b', 'b1');
    const result = await cos.deleteMultipleObject({ Bucket, Region, Objects: [{ Key: 'a', VersionId: a1 ?? '' }, { Key: 'b' }] });
    assert.equal(result.Error.length, 0);
    const byKey = new Map(result.Deleted.map((d) => [d.Key, d as unknown as Record<string, string>]));
    assert.equal(byKey.get('a')?.['VersionId'], a1);
    assert.equal(byKey.get('a')?.['DeleteMarker'], undefined);
    assert.equal(byKey.get('b')?.['DeleteMarker'], 'true');
    const bMarker = byKey.get('b')?.['DeleteMarkerVersionId'];
    assert.ok(bMarker);
    assert.equal(await read(Bucket, 'a'), 'a2');
    assert.equal((await errorCode(cos.getObject({ Bucket, Region, Key: 'b' }))).code, 'NoSuchKey');
    // Naming the marker removes it, and the result says it was one.
    const undo = await cos.deleteMultipleObject({ Bucket, Region, Objects: [{ Key: 'b', VersionId: bMarker ?? '' }] });
    const entry = undo.Deleted[0] as unknown as Record<string, string>;
    assert.deepEqual([entry['VersionId'], entry['DeleteMarker'], entry['DeleteMarkerVersionId']], [bMarker, 'true', bMarker]);
    assert.equal(await read(Bucket, 'b'), 'b1');
    const bad = await cos.deleteMultipleObject({ Bucket, Region, Objects: [{ Key: 'a', VersionId: 'no/such id' }] });
    assert.equal(bad.Error[0]?.Code, 'InvalidArgument');
  });
});

describe('GET Bucket Object versions', () => {
  it('rolls keys up under a delimiter, url-encodes names and honours key-marker/version-id-marker', async () => {
    const Bucket = await newBucket('Enabled');
    const x1 = await put(Bucket, 'dir/x', '1');
    const x2 = await put(Bucket, 'dir/x', '2');
    await put(Bucket, 'top a', 't');
    const rolled = await listVersions(Bucket, { Delimiter: '/', EncodingType: 'url' });
    // The SDK passes a single CommonPrefixes element through as an object, not a list.
    assert.deepEqual([rolled.CommonPrefixes].flat().map((p) => p.Prefix), ['dir/']);
    assert.deepEqual(rolled.Versions.map((v) => v.Key), ['top%20a']);
    // One entry per page: newest first within a key, markers carry on inside a key's history.
    const first = await listVersions(Bucket, { MaxKeys: 1 });
    assert.equal(String(first.IsTruncated), 'true');
    assert.deepEqual([first.Versions[0]?.VersionId, first.NextKeyMarker, first.NextVersionIdMarker], [x2, 'dir/x', x2]);
    const second = await listVersions(Bucket, { MaxKeys: 1, KeyMarker: 'dir/x', VersionIdMarker: x2 });
    assert.equal(second.Versions[0]?.VersionId, x1);
    assert.equal(String(second.Versions[0]?.IsLatest), 'false');
    const afterKey = await listVersions(Bucket, { KeyMarker: 'dir/x' });
    assert.deepEqual(afterKey.Versions.map((v) => v.Key), ['top a']);
    assert.equal(String(afterKey.IsTruncated), 'false');
    const other = server.sdk(OTHER);
    assert.equal((await errorCode(listVersions(Bucket, {}, other))).code, 'AccessDenied');
  });

  it('pages through 10 000 versions without loss or duplication', async () => {
    const Bucket = await newBucket('Enabled');
    // 2 500 keys x 4 versions: pages end both between keys and inside a key's history.
    const keys = Array.from({ length: 2500 }, (_, i) => `obj/${String(i).padStart(5, '0')}`);
    const jobs = keys.flatMap((key) => [0, 1, 2, 3].map((n) => ({ key, n })));
    const written = new Map<string, string[]>();
    // Each key's versions are written in order by one worker so "newest first" is well defined.
    const byKey = new Map<string, number[]>();
    for (const { key, n } of jobs) byKey.set(key, [...(byKey.get(key) ?? []), n]);
    const queue = [...byKey.keys()];
    const worker = async (): Promise<void> => {
      for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
        for (const n of byKey.get(key) ?? []) {
          const res = await raw('PUT', `/${Bucket}/${key}`, { body: `${key}#${n}` });
          assert.equal(res.status, 200);
          const id = res.headers['x-cos-version-id'];
          assert.ok(typeof id === 'string');
          written.set(key, [id, ...(written.get(key) ?? [])]);
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));

    const seen: string[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await listVersions(Bucket, { MaxKeys: 333, KeyMarker, VersionIdMarker });
      pages++;
      assert.ok(page.Versions.length <= 333);
      for (const v of page.Versions) seen.push(`${v.Key}@${v.VersionId}`);
      if (String(page.IsTruncated) !== 'true') break;
      KeyMarker = page.NextKeyMarker;
      VersionIdMarker = page.NextVersionIdMarker;
    }
    assert.equal(pages, Math.ceil(10_000 / 333));
    const expected = [...keys].sort().flatMap((key) => (written.get(key) ?? []).map((id) => `${key}@${id}`));
    assert.equal(seen.length, 10_000);
    assert.equal(new Set(seen).size, 10_000, 'no duplicates');
    assert.deepEqual(seen, expected, 'key order, newest first');
  });
});
