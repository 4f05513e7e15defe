// --in-memory: the whole API works with nothing written under --data-dir (not even the directory or its
// lock), and two such servers may name the same directory.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { seededBytes } from '../helpers/seeded-bytes.ts';
import { startTestServer, uniqueBucket } from '../helpers/server.ts';

it('a server started with --in-memory on a data directory that does not exist never creates it, whatever it stores', async () => {
  const server = await startTestServer({ args: ['--in-memory'] });
  // Given as --data-dir by startTestServer, and not there: nothing created it at start.
  const dataDir = join(server.dataDir, 'data');
  const second = await startTestServer({ args: ['--in-memory', '--data-dir', dataDir] });
  try {
    assert.equal(existsSync(dataDir), false);
    assert.match(server.app.storage, /memory/);
    const cos = server.sdk();
    const Bucket = uniqueBucket();
    const Region = server.region;
    await cos.putBucket({ Bucket, Region });
    await cos.putBucketVersioning({ Bucket, Region, VersioningConfiguration: { Status: 'Enabled' } });
    const small = seededBytes(1000, 1);
    const large = seededBytes(3 * 1024 * 1024 + 1, 2);
    await cos.putObject({ Bucket, Region, Key: 'small', Body: small });
    await cos.putObject({ Bucket, Region, Key: 'large', Body: large });
    await cos.putObject({ Bucket, Region, Key: 'large', Body: small });
    const { UploadId } = await cos.multipartInit({ Bucket, Region, Key: 'multi' });
    const parts = [large, small];
    const etags = [];
    for (const [i, Body] of parts.entries()) etags.push((await cos.multipartUpload({ Bucket, Region, Key: 'multi', UploadId, PartNumber: i + 1, Body })).ETag);
    await cos.multipartComplete({ Bucket, Region, Key: 'multi', UploadId, Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) });

    assert.ok((await cos.getObject({ Bucket, Region, Key: 'small' })).Body.equals(small));
    assert.ok((await cos.getObject({ Bucket, Region, Key: 'multi' })).Body.equals(Buffer.concat(parts)));
    const history = await cos.listObjectVersions({ Bucket, Region, Prefix: 'large' });
    assert.equal(history.Versions.length, 2);
    assert.ok((await cos.getObject({ Bucket, Region, Key: 'large', VersionId: history.Versions[1]?.VersionId ?? '' })).Body.equals(large));
    assert.equal((await second.sdk().headBucket({ Bucket, Region }).catch((error: { statusCode?: number }) => error)).statusCode, 404, 'each server has stores of its own');
    assert.equal(existsSync(dataDir), false, 'still nothing under --data-dir');
  } finally {
    await second.close();
    await server.close();
  }
});
