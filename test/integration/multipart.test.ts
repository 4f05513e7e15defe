// Multipart upload through cos-nodejs-sdk-v5 and raw requests: SDK uploads of a 100 MB file, each API's
// happy path, every Complete error, Upload Part - Copy, versioned buckets, listing pages, ACLs fixed at Initiate,
// kill -9 during Complete.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { catalogue } from '../../src/errors/catalogue.ts';
import { Crc64, crc64 } from '../../src/util/crc64.ts';
import { blobFiles } from '../helpers/blob-files.ts';
import { freePort, startServer } from '../helpers/child-server.ts';
import { eventually } from '../helpers/eventually.ts';
import { errorOf, send, type RawResponse } from '../helpers/raw.ts';
import { onDiskOnly, OTHER, OWNER, startTestServer, codeOf, uniqueBucket, type TestServer } from '../helpers/server.ts';
import { authorization } from '../helpers/sign.ts';

const MiB = 1024 * 1024;
let server: TestServer;
let cos: COS;
let region: string;
let workDir: string;

before(async () => {
  server = await startTestServer();
  cos = server.sdk();
  region = server.region;
  workDir = await mkdtemp(join(tmpdir(), 'coslocal-multipart-'));
});
after(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

const newBucket = (): Promise<string> => server.newBucket();


const md5Hex = (data: Buffer): string => createHash('md5').update(data).digest('hex');

/** Asserts a raw response is this COS error, with the catalogue's status and message. */
function assertCosError(res: RawResponse, code: keyof typeof catalogue): void {
  const error = errorOf(res);
  assert.equal(error['Code'], code, res.text);
  assert.equal(res.status, catalogue[code].status);
  assert.equal(error['Message'], catalogue[code].message);
  assert.ok(error['RequestId']);
}

/** A file of `size` random bytes, written in 1 MiB chunks; returns its MD5 and CRC64. */
async function randomFile(path: string, size: number): Promise<{ md5: string; crc64: string }> {
  const md5 = createHash('md5');
  const crc = new Crc64();
  const out = createWriteStream(path);
  for (let written = 0; written < size; written += MiB) {
    const chunk = randomBytes(Math.min(MiB, size - written));
    md5.update(chunk);
    crc.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { md5: md5.digest('hex'), crc64: crc.digest() };
}

/** Downloads an object through the SDK into a hash, never holding it whole. */
async function downloadedMd5(Bucket: string, Key: string): Promise<string> {
  const md5 = createHash('md5');
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      md5.update(chunk);
      done();
    },
  });
  await cos.getObject({ Bucket, Region: region, Key, Output: sink });
  return md5.digest('hex');
}

async function init(Bucket: string, Key: string, extra: Partial<COS.MultipartInitParams> = {}): Promise<string> {
  const result = await cos.multipartInit({ Bucket, Region: region, Key, ...extra });
  assert.equal(result.statusCode, 200);
  return result.UploadId;
}

async function part(Bucket: string, Key: string, UploadId: string, PartNumber: number, Body: Buffer): Promise<string> {
  const result = await cos.multipartUpload({ Bucket, Region: region, Key, UploadId, PartNumber, Body });
  return result.ETag;
}

/** A raw signed Complete with this body. */
function rawComplete(Bucket: string, Key: string, uploadId: string, body: string): Promise<RawResponse> {
  return send(server.hostPort, { method: 'POST', url: `/${Bucket}/${Key}?uploadId=${uploadId}`, body, signAs: OWNER });
}

const completeXml = (parts: ReadonlyArray<{ n: number; etag: string }>): string =>
  `<CompleteMultipartUpload>${parts.map((p) => `<Part><PartNumber>${p.n}</PartNumber><ETag>${p.etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;

describe('SDK uploads of a 100 MB file', () => {
  const size = 100 * MiB;
  let path: string;
  let expected: { md5: string; crc64: string };
  before(async () => {
    path = join(workDir, 'big.bin');
    expected = await randomFile(path, size);
  });

  it('sliceUploadFile stores the exact bytes, with the multipart ETag and the whole-object CRC64', async () => {
    const Bucket = await newBucket();
    const result = await cos.sliceUploadFile({ Bucket, Region: region, Key: 'slice.bin', FilePath: path, ChunkSize: 8 * MiB });
    assert.equal(result.statusCode, 200);
    assert.match(result.ETag, /^"[0-9a-f]{32}-13"$/);
    const head = await cos.headObject({ Bucket, Region: region, Key: 'slice.bin' });
    assert.equal(head.headers?.['content-length'], String(size));
    assert.equal(head.headers?.['x-cos-hash-crc64ecma'], expected.crc64);
    assert.equal(await downloadedMd5(Bucket, 'slice.bin'), expected.md5);
  });

  it('uploadFile (which slices files above SliceSize) stores the exact bytes', async () => {
    const Bucket = await newBucket();
    const result = await cos.uploadFile({ Bucket, Region: region, Key: 'upload.bin', FilePath: path, SliceSize: 10 * MiB });
    assert.equal(result.statusCode, 200);
    const list = await cos.multipartList({ Bucket, Region: region, Prefix: '', Delimiter: '' });
    assert.deepEqual(list.Upload, [], 'no upload left behind');
    assert.equal(await downloadedMd5(Bucket, 'upload.bin'), expected.md5);
  });
});

describe('multipart API happy paths', () => {
  it('init, upload, list parts, complete; GET, Range across parts, HEAD and DELETE of the object', async () => {
    const Bucket = await newBucket();
    const Key = 'dir/obj.bin';
    const one = randomBytes(MiB);
    const two = randomBytes(MiB + 17);
    const three = randomBytes(10);
    const UploadId = await init(Bucket, Key, { ContentType: 'text/plain', 'x-cos-meta-color': 'blue' } as Partial<COS.MultipartInitParams>);
    const etags = [await part(Bucket, Key, UploadId, 1, one), await part(Bucket, Key, UploadId, 2, two), await part(Bucket, Key, UploadId, 3, three)];
    assert.deepEqual(etags, [one, two, three].map((b) => `"${md5Hex(b)}"`));

    const listed = await cos.multipartListPart({ Bucket, Region: region, Key, UploadId });
    assert.deepEqual(listed.Part.map((p) => [Number(p.PartNumber), p.ETag, Number(p.Size)]), [[1, etags[0], MiB], [2, etags[1], MiB + 17], [3, etags[2], 10]]);
    assert.equal(listed.Initiator.ID, `qcs::cam::uin/${OWNER.uin}:uin/${OWNER.uin}`);
    assert.equal(listed.IsTruncated, 'false');
    const paged = await cos.multipartListPart({ Bucket, Region: region, Key, UploadId, MaxParts: 2, PartNumberMarker: '1' });
    assert.deepEqual(paged.Part.map((p) => Number(p.PartNumber)), [2, 3]);
    const first = await cos.multipartListPart({ Bucket, Region: region, Key, UploadId, MaxParts: 1 });
    assert.equal(first.IsTruncated, 'true');
    assert.equal(Number(first.NextPartNumberMarker), 1);

    const done = await cos.multipartComplete({ Bucket, Region: region, Key, UploadId, Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) });
    const whole = Buffer.concat([one, two, three]);
    const binaryMd5s = Buffer.concat([one, two, three].map((b) => createHash('md5').update(b).digest()));
    const expectedEtag = `"${createHash('md5').update(binaryMd5s).digest('hex')}-3"`;
    assert.equal(done.ETag, expectedEtag);
    assert.equal(done.headers?.['x-cos-hash-crc64ecma'], crc64(whole));

    const got = await cos.getObject({ Bucket, Region: region, Key });
    assert.equal(md5Hex(got.Body as Buffer), md5Hex(whole));
    assert.equal(got.headers?.['etag'], expectedEtag);
    assert.equal(got.headers?.['content-type'], 'text/plain');
    assert.equal(got.headers?.['x-cos-meta-color'], 'blue');
    const start = MiB - 5;
    const end = 2 * MiB + 20; // part 1's tail, all of part 2, part 3's head
    const ranged = await cos.getObject({ Bucket, Region: region, Key, Range: `bytes=${start}-${end}` });
    assert.equal(ranged.statusCode, 206);
    assert.ok((ranged.Body as Buffer).equals(whole.subarray(start, end + 1)));
    const tail = await cos.getObject({ Bucket, Region: region, Key, Range: 'bytes=-4' });
    assert.ok((tail.Body as Buffer).equals(whole.subarray(whole.length - 4)));

    assert.equal(await codeOf(cos.multipartListPart({ Bucket, Region: region, Key, UploadId })), 'NoSuchUpload', 'completed uploads are gone');
    const copy = await cos.putObjectCopy({ Bucket, Region: region, Key: 'copy.bin', CopySource: `${Bucket}.cos.${region}.myqcloud.com/${Key}` });
    assert.equal(copy.statusCode, 200);
    assert.equal(md5Hex((await cos.getObject({ Bucket, Region: region, Key: 'copy.bin' })).Body as Buffer), md5Hex(whole));
    await cos.deleteObject({ Bucket, Region: region, Key });
    assert.equal(await codeOf(cos.headObject({ Bucket, Region: region, Key })), '404');
  });

  it('re-uploading a part number replaces it; parts not listed in Complete are dropped', async () => {
    const Bucket = await newBucket();
    const UploadId = await init(Bucket, 'k');
    await part(Bucket, 'k', UploadId, 1, Buffer.from('old'));
    const etag = await part(Bucket, 'k', UploadId, 1, Buffer.from('new'));
    await part(Bucket, 'k', UploadId, 2, Buffer.from('unlisted'));
    await cos.multipartComplete({ Bucket, Region: region, Key: 'k', UploadId, Parts: [{ PartNumber: 1, ETag: etag }] });
    assert.equal(String((await cos.getObject({ Bucket, Region: region, Key: 'k' })).Body), 'new');
  });

  it('abort removes the upload (204), then NoSuchUpload; DELETE Bucket waits for uploads to go', async () => {
    const Bucket = await newBucket();
    const UploadId = await init(Bucket, 'k');
    await part(Bucket, 'k', UploadId, 1, Buffer.from('x'));
    assert.equal(await codeOf(cos.deleteBucket({ Bucket, Region: region })), 'BucketNotEmpty');
    const aborted = await cos.multipartAbort({ Bucket, Region: region, Key: 'k', UploadId });
    assert.equal(aborted.statusCode, 204);
    assert.equal(await codeOf(cos.multipartListPart({ Bucket, Region: region, Key: 'k', UploadId })), 'NoSuchUpload');
    assertCosError(await send(server.hostPort, { method: 'DELETE', url: `/${Bucket}/k?uploadId=${UploadId}`, signAs: OWNER }), 'NoSuchUpload');
    await cos.deleteBucket({ Bucket, Region: region });
  });

  it('Upload Part checks partNumber, Content-MD5 and the upload', async () => {
    const Bucket = await newBucket();
    const UploadId = await init(Bucket, 'k');
    const put = (query: string, headers: Record<string, string> = {}): Promise<RawResponse> =>
      send(server.hostPort, { method: 'PUT', url: `/${Bucket}/k?${query}`, body: 'data', headers, signAs: OWNER });
    for (const n of ['0', '10001', 'x']) assert.equal(errorOf(await put(`partNumber=${n}&uploadId=${UploadId}`))['Code'], 'InvalidArgument');
    assertCosError(await put(`partNumber=1&uploadId=${UploadId}`, { 'content-md5': createHash('md5').update('other').digest('base64') }), 'BadDigest');
    assertCosError(await put('partNumber=1&uploadId=nosuch'), 'NoSuchUpload');
    const ok = await put(`partNumber=10000&uploadId=${UploadId}`, { 'content-md5': createHash('md5').update('data').digest('base64') });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['etag'], `"${md5Hex(Buffer.from('data'))}"`);
    const listed = await cos.multipartListPart({ Bucket, Region: region, Key: 'k', UploadId });
    assert.deepEqual(listed.Part.map((p) => Number(p.PartNumber)), [10000], 'failed parts left nothing');
  });
});

describe('Complete Multipart Upload errors', () => {
  let Bucket: string;
  let UploadId: string;
  let etags: string[];
  before(async () => {
    Bucket = await newBucket();
    UploadId = await init(Bucket, 'k');
    etags = [await part(Bucket, 'k', UploadId, 1, randomBytes(MiB)), await part(Bucket, 'k', UploadId, 2, Buffer.from('small')), await part(Bucket, 'k', UploadId, 3, Buffer.from('end'))];
  });

  it('InvalidPartOrder for descending or repeated part numbers', async () => {
    assertCosError(await rawComplete(Bucket, 'k', UploadId, completeXml([{ n: 2, etag: etags[1]! }, { n: 1, etag: etags[0]! }])), 'InvalidPartOrder');
    assertCosError(await rawComplete(Bucket, 'k', UploadId, completeXml([{ n: 1, etag: etags[0]! }, { n: 1, etag: etags[0]! }])), 'InvalidPartOrder');
  });

  it('InvalidPart for an unknown part or an ETag that does not match', async () => {
    assertCosError(await rawComplete(Bucket, 'k', UploadId, completeXml([{ n: 1, etag: etags[0]! }, { n: 7, etag: etags[1]! }])), 'InvalidPart');
    assertCosError(await rawComplete(Bucket, 'k', UploadId, completeXml([{ n: 1, etag: etags[1]! }])), 'InvalidPart');
  });

  it('EntityTooSmall when a part other than the last is under 1 MB', async () => {
    assertCosError(await rawComplete(Bucket, 'k', UploadId, completeXml([{ n: 1, etag: etags[0]! }, { n: 2, etag: etags[1]! }, { n: 3, etag: etags[2]! }])), 'EntityTooSmall');
  });

  it('MalformedXML, XMLSizeLimit, BadDigest', async () => {
    for (const body of ['<CompleteMultipartUpload><Part>', '<CompleteMultipartUpload></CompleteMultipartUpload>', '<Other/>', completeXml([{ n: 1, etag: '' }]).replace('<ETag></ETag>', '')]) {
      assertCosError(await rawComplete(Bucket, 'k', UploadId, body), 'MalformedXML');
    }
    assertCosError(await rawComplete(Bucket, 'k', UploadId, completeXml(Array.from({ length: 20_000 }, (_, i) => ({ n: i + 1, etag: etags[0]! })))), 'XMLSizeLimit');
    const body = completeXml([{ n: 1, etag: etags[0]! }]);
    const res = await send(server.hostPort, {
      method: 'POST',
      url: `/${Bucket}/k?uploadId=${UploadId}`,
      body,
      headers: { 'content-md5': createHash('md5').update('x').digest('base64') },
      signAs: OWNER,
    });
    assertCosError(res, 'BadDigest');
  });

  it('NoSuchUpload for an unknown upload id, and the failed attempts left the upload intact', async () => {
    assertCosError(await rawComplete(Bucket, 'k', 'nosuchupload', completeXml([{ n: 1, etag: etags[0]! }])), 'NoSuchUpload');
    const listed = await cos.multipartListPart({ Bucket, Region: region, Key: 'k', UploadId });
    assert.equal(listed.Part.length, 3);
    const done = await cos.multipartComplete({ Bucket, Region: region, Key: 'k', UploadId, Parts: [{ PartNumber: 1, ETag: etags[0]! }, { PartNumber: 3, ETag: etags[2]! }] });
    assert.equal(done.statusCode, 200);
    assert.equal(Number((await cos.headObject({ Bucket, Region: region, Key: 'k' })).headers?.['content-length']), MiB + 3);
  });
});

describe('Upload Part - Copy', () => {
  it('copies a byte range of another object as a part, honouring the copy-source conditions', async () => {
    const Bucket = await newBucket();
    const source = randomBytes(3 * MiB);
    await cos.putObject({ Bucket, Region: region, Key: 'src', Body: source });
    const CopySource = `${Bucket}.cos.${region}.myqcloud.com/src`;
    const UploadId = await init(Bucket, 'dst');
    const p1 = await cos.uploadPartCopy({ Bucket, Region: region, Key: 'dst', UploadId, PartNumber: 1, CopySource, CopySourceRange: `bytes=${MiB}-${2 * MiB + 99}` } as COS.UploadPartCopyParams);
    assert.equal(p1.ETag, `"${md5Hex(source.subarray(MiB, 2 * MiB + 100))}"`);
    const p2 = await cos.uploadPartCopy({ Bucket, Region: region, Key: 'dst', UploadId, PartNumber: 2, CopySource });
    assert.equal(
      await codeOf(cos.uploadPartCopy({ Bucket, Region: region, Key: 'dst', UploadId, PartNumber: 3, CopySource, CopySourceIfMatch: '"nope"' } as COS.UploadPartCopyParams)),
      'PreconditionFailed',
    );
    const bad = await send(server.hostPort, {
      method: 'PUT',
      url: `/${Bucket}/dst?partNumber=3&uploadId=${UploadId}`,
      headers: { 'x-cos-copy-source': CopySource, 'x-cos-copy-source-range': `bytes=0-${3 * MiB}` },
      signAs: OWNER,
    });
    assert.equal(errorOf(bad)['Code'], 'InvalidRange');
    await cos.multipartComplete({ Bucket, Region: region, Key: 'dst', UploadId, Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] });
    const got = await cos.getObject({ Bucket, Region: region, Key: 'dst' });
    assert.ok((got.Body as Buffer).equals(Buffer.concat([source.subarray(MiB, 2 * MiB + 100), source])));
  });

  it('needs GetObject on the source: a caller who may write here but not read there is denied', async () => {
    const Bucket = await newBucket();
    await cos.putObject({ Bucket, Region: region, Key: 'src', Body: 'secret' });
    const other = server.sdk(OTHER);
    const OtherBucket = uniqueBucket(OTHER.appid);
    await other.putBucket({ Bucket: OtherBucket, Region: region });
    const UploadId = (await other.multipartInit({ Bucket: OtherBucket, Region: region, Key: 'dst' })).UploadId;
    const CopySource = `${Bucket}.cos.${region}.myqcloud.com/src`;
    assert.equal(await codeOf(other.uploadPartCopy({ Bucket: OtherBucket, Region: region, Key: 'dst', UploadId, PartNumber: 1, CopySource })), 'AccessDenied');
  });
});

describe('multipart with versioning', () => {
  async function versionedBucket(Status: 'Enabled' | 'Suspended'): Promise<string> {
    const Bucket = await newBucket();
    await cos.putBucketVersioning({ Bucket, Region: region, VersioningConfiguration: { Status } });
    return Bucket;
  }

  /** Initiate, one part per buffer, Complete; returns the Complete result. */
  async function upload(Bucket: string, Key: string, bodies: readonly Buffer[]): Promise<COS.MultipartCompleteResult> {
    const UploadId = await init(Bucket, Key);
    const Parts = [];
    for (const [i, body] of bodies.entries()) Parts.push({ PartNumber: i + 1, ETag: await part(Bucket, Key, UploadId, i + 1, body) });
    return cos.multipartComplete({ Bucket, Region: region, Key, UploadId, Parts });
  }

  const read = async (Bucket: string, Key: string, VersionId?: string): Promise<Buffer> =>
    (await cos.getObject({ Bucket, Region: region, Key, ...(VersionId !== undefined && { VersionId }) })).Body as Buffer;

  it('Complete in an Enabled bucket adds a version with its id; the older versions stay readable', async () => {
    const Bucket = await versionedBucket('Enabled');
    const v1 = (await cos.putObject({ Bucket, Region: region, Key: 'k', Body: 'plain put' })).headers?.['x-cos-version-id'];
    assert.ok(v1);
    const first = [randomBytes(MiB), randomBytes(5)];
    const done = await upload(Bucket, 'k', first);
    const v2 = done.headers?.['x-cos-version-id'];
    assert.ok(v2, 'Complete answers x-cos-version-id');
    assert.notEqual(v2, v1);
    const second = [randomBytes(MiB + 1), randomBytes(MiB), randomBytes(3)];
    const v3 = (await upload(Bucket, 'k', second)).headers?.['x-cos-version-id'];
    assert.ok(v3);

    assert.ok((await read(Bucket, 'k')).equals(Buffer.concat(second)), 'the newest Complete is current');
    assert.equal(String(await read(Bucket, 'k', v1)), 'plain put');
    assert.ok((await read(Bucket, 'k', v2)).equals(Buffer.concat(first)));
    const head = await cos.headObject({ Bucket, Region: region, Key: 'k', VersionId: v2 } as COS.HeadObjectParams);
    assert.equal(head.headers?.['etag'], done.ETag);
    assert.equal(head.headers?.['x-cos-version-id'], v2);
    const listed = await cos.listObjectVersions({ Bucket, Region: region, Prefix: 'k' });
    assert.deepEqual(listed.Versions.map((v) => [v.VersionId, String(v.IsLatest)]), [[v3, 'true'], [v2, 'false'], [v1, 'false']]);
  });

  it('deleting versions frees composed blobs only when no version refers to them any more', { skip: onDiskOnly('blob files') }, async () => {
    const Bucket = await versionedBucket('Enabled');
    const before = (await server.blobFiles()).length;
    const first = [randomBytes(MiB), randomBytes(7)];
    const v1 = (await upload(Bucket, 'k', first)).headers?.['x-cos-version-id'];
    // A manifest and its own link to each part; the upload's names for the parts are gone.
    assert.equal((await server.blobFiles()).length, before + 3);
    const second = [randomBytes(MiB), randomBytes(MiB), randomBytes(9)];
    const v2 = (await upload(Bucket, 'k', second)).headers?.['x-cos-version-id'];
    assert.ok(v1 && v2);
    assert.equal((await server.blobFiles()).length, before + 3 + 4);
    // A delete marker frees nothing: both versions stay readable by id.
    await cos.deleteObject({ Bucket, Region: region, Key: 'k' });
    assert.equal((await server.blobFiles()).length, before + 7);
    await cos.deleteObject({ Bucket, Region: region, Key: 'k', VersionId: v2 } as COS.DeleteObjectParams);
    assert.equal((await server.blobFiles()).length, before + 3, "v2's manifest and links are freed");
    assert.ok((await read(Bucket, 'k', v1)).equals(Buffer.concat(first)), 'v1 keeps its own links');
    await cos.deleteObject({ Bucket, Region: region, Key: 'k', VersionId: v1 } as COS.DeleteObjectParams);
    assert.equal((await server.blobFiles()).length, before);
  });

  it('Complete in a Suspended bucket replaces the null version (freeing its composed blob) and keeps older ids', { skip: onDiskOnly('blob files') }, async () => {
    const Bucket = await newBucket();
    await cos.putBucketVersioning({ Bucket, Region: region, VersioningConfiguration: { Status: 'Enabled' } });
    const kept = (await cos.putObject({ Bucket, Region: region, Key: 'k', Body: 'versioned' })).headers?.['x-cos-version-id'];
    await cos.putBucketVersioning({ Bucket, Region: region, VersioningConfiguration: { Status: 'Suspended' } });
    const before = (await server.blobFiles()).length;
    assert.equal((await upload(Bucket, 'k', [randomBytes(MiB), randomBytes(1)])).headers?.['x-cos-version-id'], 'null');
    const latest = [randomBytes(MiB), randomBytes(2)];
    assert.equal((await upload(Bucket, 'k', latest)).headers?.['x-cos-version-id'], 'null');
    assert.equal((await server.blobFiles()).length, before + 3, 'the replaced null version left no files');
    assert.ok((await read(Bucket, 'k')).equals(Buffer.concat(latest)));
    assert.ok((await read(Bucket, 'k', 'null')).equals(Buffer.concat(latest)));
    assert.equal(String(await read(Bucket, 'k', kept)), 'versioned');
  });

  it('Upload Part - Copy reads the version ?versionId= names in x-cos-copy-source', async () => {
    const Bucket = await versionedBucket('Enabled');
    const old = randomBytes(MiB + 100);
    const v1 = (await cos.putObject({ Bucket, Region: region, Key: 'src', Body: old })).headers?.['x-cos-version-id'];
    await cos.putObject({ Bucket, Region: region, Key: 'src', Body: 'newer' });
    assert.ok(v1);
    const UploadId = await init(Bucket, 'dst');
    const CopySource = `${Bucket}.cos.${region}.myqcloud.com/src?versionId=${v1}`;
    const copied = await cos.uploadPartCopy({ Bucket, Region: region, Key: 'dst', UploadId, PartNumber: 1, CopySource });
    assert.equal(copied.ETag, `"${md5Hex(old)}"`);
    assert.equal(copied.headers?.['x-cos-copy-source-version-id'], v1);
    const unknown = await send(server.hostPort, {
      method: 'PUT',
      url: `/${Bucket}/dst?partNumber=2&uploadId=${UploadId}`,
      headers: { 'x-cos-copy-source': `${Bucket}.cos.${region}.myqcloud.com/src?versionId=nosuchversion` },
      signAs: OWNER,
    });
    assertCosError(unknown, 'NoSuchVersion');
    const done = await cos.multipartComplete({ Bucket, Region: region, Key: 'dst', UploadId, Parts: [{ PartNumber: 1, ETag: copied.ETag }] });
    assert.ok(done.headers?.['x-cos-version-id']);
    assert.ok((await read(Bucket, 'dst')).equals(old));
  });
});

describe('List Multipart Uploads', () => {
  it('pages by key-marker/upload-id-marker, rolls up CommonPrefixes, filters by prefix', async () => {
    const Bucket = await newBucket();
    const ids = new Map<string, string>();
    for (const key of ['a', 'b', 'b', 'c/1', 'c/2', 'd']) ids.set(`${key}#${ids.size}`, await init(Bucket, key));
    const seen: string[] = [];
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 10);
      const page = await cos.multipartList({ Bucket, Region: region, Prefix: '', Delimiter: '', MaxUploads: 2, ...(KeyMarker && { KeyMarker }), ...(UploadIdMarker && { UploadIdMarker }) } as COS.MultipartListParams);
      seen.push(...page.Upload.map((u) => `${u.Key}:${u.UploadId}`));
      if (page.IsTruncated !== 'true') break;
      KeyMarker = page.NextKeyMarker;
      UploadIdMarker = page.NextUploadIdMarker;
    }
    const expected = [...ids.entries()].map(([k, id]) => `${k.split('#')[0]}:${id}`).sort();
    assert.deepEqual([...seen].sort(), expected);
    assert.equal(new Set(seen).size, 6, 'every upload once, both uploads of b included');

    const rolled = await cos.multipartList({ Bucket, Region: region, Prefix: '', Delimiter: '/' });
    assert.deepEqual(rolled.Upload.map((u) => u.Key), ['a', 'b', 'b', 'd']);
    assert.deepEqual((rolled as unknown as { CommonPrefixes: { Prefix: string } | { Prefix: string }[] }).CommonPrefixes, { Prefix: 'c/' });
    const prefixed = await cos.multipartList({ Bucket, Region: region, Prefix: 'c/', Delimiter: '' });
    assert.deepEqual(prefixed.Upload.map((u) => u.Key), ['c/1', 'c/2']);
    const bad = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/?uploads&max-uploads=x`, signAs: OWNER });
    assert.equal(errorOf(bad)['Code'], 'InvalidArgument');
  });
});

describe('ACLs and authorization', () => {
  it('ACL and grant headers at Initiate end up on the completed object', async () => {
    const Bucket = await newBucket();
    const UploadId = await init(Bucket, 'pub', { ACL: 'public-read', GrantReadAcp: `id="${OTHER.uin}"` });
    const etag = await part(Bucket, 'pub', UploadId, 1, Buffer.from('hello'));
    await cos.multipartComplete({ Bucket, Region: region, Key: 'pub', UploadId, Parts: [{ PartNumber: 1, ETag: etag }] });
    const anonymous = await send(server.hostPort, { method: 'GET', url: `/${Bucket}/pub` });
    assert.equal(anonymous.status, 200);
    assert.equal(anonymous.text, 'hello');
    const acl = await server.sdk(OTHER).getObjectAcl({ Bucket, Region: region, Key: 'pub' });
    assert.equal(acl.ACL, 'public-read');
    assert.ok(String(acl.GrantReadAcp).includes(OTHER.uin), String(acl.GrantReadAcp));
  });

  it('a caller without bucket permissions can neither start, list, complete nor abort uploads; READ lists them', async () => {
    const Bucket = await newBucket();
    const UploadId = await init(Bucket, 'k');
    const other = server.sdk(OTHER);
    assert.equal(await codeOf(other.multipartInit({ Bucket, Region: region, Key: 'k' })), 'AccessDenied');
    assert.equal(await codeOf(other.multipartList({ Bucket, Region: region, Prefix: '', Delimiter: '' })), 'AccessDenied');
    assert.equal(await codeOf(other.multipartListPart({ Bucket, Region: region, Key: 'k', UploadId })), 'AccessDenied');
    assert.equal(await codeOf(other.multipartAbort({ Bucket, Region: region, Key: 'k', UploadId })), 'AccessDenied');
    assert.equal(await codeOf(other.multipartComplete({ Bucket, Region: region, Key: 'k', UploadId, Parts: [{ PartNumber: 1, ETag: '"x"' }] })), 'AccessDenied');
    // Denied callers learn nothing about which uploads exist: the same answer for a made-up id.
    assert.equal(await codeOf(other.multipartAbort({ Bucket, Region: region, Key: 'k', UploadId: 'made-up' })), 'AccessDenied');
    await cos.putBucketAcl({ Bucket, Region: region, GrantRead: `id="${OTHER.uin}"` });
    const listed = await other.multipartList({ Bucket, Region: region, Prefix: '', Delimiter: '' });
    assert.deepEqual(listed.Upload.map((u) => u.UploadId), [UploadId]);
  });
});

describe('kill -9 during Complete', { skip: onDiskOnly('restarts after kill -9') }, () => {
  it('leaves the upload either completed or not, never half an object, and no debris', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-mpcrash-'));
    const port = await freePort();
    const hostPort = `127.0.0.1:${port}`;
    const bucket = `mpcrash-${OWNER.appid}`;
    let child = await startServer(port, dataDir);
    try {
      assert.equal((await send(hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
      const source = randomBytes(2 * MiB);
      assert.equal((await send(hostPort, { method: 'PUT', url: `/${bucket}/src`, body: source, signAs: OWNER })).status, 200);
      const PARTS = 48;
      const whole = Buffer.concat(Array.from({ length: PARTS }, () => source.subarray(0, MiB)));
      // Each round kills the server a little later after Complete is sent; over the rounds it lands before,
      // during and after the commit. Whatever the moment, the state after restart must be one of the two.
      const outcomes: string[] = [];
      for (const delayMs of [0, 2, 5, 10, 25, 60]) {
        const key = `obj-${delayMs}`;
        const initiated = await send(hostPort, { method: 'POST', url: `/${bucket}/${key}?uploads`, signAs: OWNER });
        const uploadId = String((initiated.xml?.['InitiateMultipartUploadResult'] as Record<string, unknown>)['UploadId']);
        const etags: string[] = [];
        for (let n = 1; n <= PARTS; n++) {
          const res = await send(hostPort, {
            method: 'PUT',
            url: `/${bucket}/${key}?partNumber=${n}&uploadId=${uploadId}`,
            headers: { 'x-cos-copy-source': `${bucket}.cos.ap-guangzhou.myqcloud.com/src`, 'x-cos-copy-source-range': `bytes=0-${MiB - 1}` },
            signAs: OWNER,
          });
          assert.equal(res.status, 200, res.text);
          etags.push(String((res.xml?.['CopyPartResult'] as Record<string, unknown>)['ETag']));
        }
        const body = completeXml(etags.map((etag, i) => ({ n: i + 1, etag })));
        const path = `/${bucket}/${key}`;
        const auth = authorization({ secretId: OWNER.secretId, secretKey: OWNER.secretKey, method: 'POST', path, query: [['uploadId', uploadId]], headers: { host: hostPort } });
        const complete = request({ host: '127.0.0.1', port, method: 'POST', path: `${path}?uploadId=${uploadId}`, headers: { host: hostPort, authorization: auth, 'content-length': Buffer.byteLength(body) } });
        complete.on('error', () => undefined);
        complete.end(body);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        child.kill('SIGKILL');
        await once(child, 'exit');
        child = await startServer(port, dataDir);

        const object = await send(hostPort, { method: 'GET', url: path, signAs: OWNER });
        const parts = await send(hostPort, { method: 'GET', url: `${path}?uploadId=${uploadId}`, signAs: OWNER });
        if (object.status === 200) {
          assert.equal(md5Hex(object.body), md5Hex(whole), 'a completed object is whole');
          assert.equal(object.headers['x-cos-hash-crc64ecma'], crc64(whole));
          assertCosError(parts, 'NoSuchUpload');
          outcomes.push('completed');
        } else {
          assert.equal(object.status, 404);
          assert.equal(parts.status, 200, 'an upload not completed is still there, whole');
          const listed = parts.xml?.['ListPartsResult'] as { Part: unknown[] };
          assert.equal(listed.Part.length, PARTS);
          // It can still be completed after the restart.
          const done = await send(hostPort, { method: 'POST', url: `${path}?uploadId=${uploadId}`, body, signAs: OWNER });
          assert.equal(done.status, 200, done.text);
          outcomes.push('not completed');
        }
        // No debris: the source object, and per completed object its manifest plus one link per part.
        // (The upload's own names for its parts go in the background, after Complete's reply.)
        const want = 1 + outcomes.length * (PARTS + 1);
        await eventually(`${want} blob files`, async () => (await blobFiles(dataDir)).length === want);
      }
      assert.ok(outcomes.length === 6);
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
