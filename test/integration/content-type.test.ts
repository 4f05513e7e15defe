// An object written without a Content-Type (or an empty one) gets the type its key's extension names, as on COS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { multipartBody, signPolicy } from '../helpers/post-form.ts';
import { send } from '../helpers/raw.ts';
import { OWNER, startTestServerWithBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cos: COS;
let Bucket: string;
const Region = (): string => server.region;

const typeOf = async (Key: string): Promise<string | undefined> => (await cos.headObject({ Bucket, Region: Region(), Key })).headers?.['content-type'];

before(async () => {
  ({ server, bucket: Bucket } = await startTestServerWithBucket());
  cos = server.sdk();
});
after(() => server.close());

describe('Content-Type from the key', () => {
  it('PUT Object with no Content-Type header, or an empty one', async () => {
    const put = await send(server.hostPort, { method: 'PUT', url: `/${Bucket}/1.zip`, body: 'PK', signAs: OWNER });
    assert.equal(put.status, 200, put.text);
    assert.equal(await typeOf('1.zip'), 'application/zip');
    await cos.putObject({ Bucket, Region: Region(), Key: 'notes/readme.txt', Body: Buffer.from('hi'), ContentType: '' });
    assert.equal(await typeOf('notes/readme.txt'), 'text/plain');
    await cos.putObject({ Bucket, Region: Region(), Key: 'data.unknownext', Body: Buffer.from('?'), ContentType: '' });
    assert.equal(await typeOf('data.unknownext'), 'application/octet-stream');
  });

  it('keeps the Content-Type a request sends', async () => {
    await cos.putObject({ Bucket, Region: Region(), Key: 'typed.zip', Body: Buffer.from('x'), ContentType: 'text/csv' });
    assert.equal(await typeOf('typed.zip'), 'text/csv');
  });

  it('multipart upload: the completed object', async () => {
    const Key = 'video.mp4';
    const { UploadId } = await cos.multipartInit({ Bucket, Region: Region(), Key, ContentType: '' });
    const { ETag } = await cos.multipartUpload({ Bucket, Region: Region(), Key, UploadId, PartNumber: 1, Body: Buffer.from('frames') });
    await cos.multipartComplete({ Bucket, Region: Region(), Key, UploadId, Parts: [{ PartNumber: 1, ETag }] });
    assert.equal(await typeOf(Key), 'video/mp4');
  });

  it('copy with Replaced metadata: the destination key names the type', async () => {
    await cos.putObject({ Bucket, Region: Region(), Key: 'src.bin', Body: Buffer.from('{}'), ContentType: 'application/octet-stream' });
    const CopySource = `${Bucket}.cos.${Region()}.myqcloud.com/src.bin`;
    await cos.putObjectCopy({ Bucket, Region: Region(), Key: 'dst.json', CopySource, MetadataDirective: 'Replaced' });
    assert.equal(await typeOf('dst.json'), 'application/json');
  });

  it('POST Object without a Content-Type field', async () => {
    const signed = signPolicy(OWNER, [{ bucket: Bucket }]);
    const { body, contentType } = multipartBody({ key: 'form/page.html', ...signed.fields }, { filename: 'page.html', content: '<p>hi</p>', type: 'application/x-browser-guess' });
    const res = await send(server.hostPort, { method: 'POST', url: `/${Bucket}/`, body, headers: { 'content-type': contentType } });
    assert.equal(res.status, 204, res.text);
    assert.equal(await typeOf('form/page.html'), 'text/html');
  });
});
