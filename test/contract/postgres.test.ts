// The PostgreSQL engine runs the MetadataStore contract, each test on a new database; then what is its own:
// migrating (once, by nodes starting together; refusing a newer schema), key order, NUL-free text.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import pg from 'pg';
import { PostgresMetadata } from '../../src/storage/postgres/postgres-metadata.ts';
import { MIGRATIONS } from '../../src/storage/postgres/schema.ts';
import { freshDatabase, postgresUnavailable } from '../helpers/postgres.ts';
import { describeMetadataStore } from './metadata-store.contract.ts';

const skip = postgresUnavailable();

describe('postgres', { skip }, () => {
  describeMetadataStore('postgres', async () => PostgresMetadata.open(await freshDatabase(), { poolSize: 4 }));

  const BUCKET = 'pg-1250000000';
  async function storeWithBucket(url: string): Promise<PostgresMetadata> {
    const meta = await PostgresMetadata.open(url);
    await meta.tx(async (tx) => {
      await tx.putAccount({ uin: '1', appid: '1250000000', name: 'owner' });
      await tx.insertBucket({ name: BUCKET, ownerUin: '1', region: 'ap-guangzhou', createdAt: 1 });
    });
    return meta;
  }

  async function schemaVersion(url: string): Promise<number[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ version: number }>('SELECT version FROM coslocal_schema')).rows.map((row) => row.version);
    } finally {
      await client.end();
    }
  }

  it('nodes opening a new database together migrate it once; reopening changes nothing', async () => {
    const url = await freshDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresMetadata.open(url)));
    await Promise.all(stores.map((store) => store.close()));
    assert.deepEqual(await schemaVersion(url), [MIGRATIONS.length]);
    const again = await storeWithBucket(url);
    assert.equal((await again.getBucket(BUCKET))?.name, BUCKET);
    await again.close();
  });

  it('refuses a database a newer coslocal has migrated further', async () => {
    const url = await freshDatabase();
    await (await PostgresMetadata.open(url)).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('UPDATE coslocal_schema SET version = version + 1');
    await client.end();
    await assert.rejects(PostgresMetadata.open(url), /newer than this coslocal knows/);
  });

  it('lists keys in UTF-8 byte order, markers with a NUL included, and finds nothing by a NUL', async () => {
    const meta = await storeWithBucket(await freshDatabase());
    // UTF-16 order would put U+FF5E before U+1F600 (a surrogate pair); UTF-8 bytes put it after. 'Z' < 'a' < 'é'.
    const keys = ['a', 'Z', 'é', '\u{1F600}', '\uFF5E', 'ab'];
    await meta.tx(async (tx) => {
      for (const [n, key] of keys.entries()) {
        await tx.putObject({ bucket: BUCKET, key, versionId: 'null', size: 1, etag: '"e"', crc64: '0', lastModified: n, content: { inline: Buffer.from('x') }, headers: {}, storageClass: 'STANDARD', acl: undefined });
      }
    });
    const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    const list = async (after: string, prefix = ''): Promise<string[]> => (await meta.listObjects({ bucket: BUCKET, prefix, after, limit: 100 })).map((o) => o.key);
    assert.deepEqual(await list(''), sorted);
    assert.deepEqual(await list('a\u0000b'), sorted.slice(sorted.indexOf('a') + 1), 'after "a\\0b" is after "a"');
    assert.deepEqual(await list('', 'a\u0000'), []);
    assert.deepEqual(await meta.listVersions({ bucket: BUCKET, prefix: '', after: { key: 'a\u0000' }, limit: 100 }).then((v) => v.map((x) => x.key)), sorted.slice(sorted.indexOf('a') + 1));
    assert.equal(await meta.getVersion(BUCKET, 'a', 'nu\u0000ll'), undefined);
    assert.equal(await meta.getCredential('AKID\u0000'), undefined);
    await assert.rejects(meta.tx((tx) => tx.putUserPolicy({ uin: '1', name: 'n\u0000', document: '{}' })), /U\+0000/);
    await meta.close();
  });

  it('stacks a small object in one statement: a PUT of a new key is BEGIN, the replaced-version delete, the insert, COMMIT', async () => {
    // Transactions of one process run one at a time (postgres-metadata.ts), so each round trip in one bounds writes per second.
    const meta = await storeWithBucket(await freshDatabase());
    const queries = mock.method(pg.Client.prototype, 'query');
    try {
      await meta.tx((tx) => tx.putObject({ bucket: BUCKET, key: 'new', versionId: 'null', size: 5, etag: '"e"', crc64: '0', lastModified: 1, content: { inline: Buffer.from('small') }, headers: {}, storageClass: 'STANDARD', acl: undefined }));
      assert.equal(queries.mock.callCount(), 4);
    } finally {
      queries.mock.restore();
    }
    const stored = await meta.getObject(BUCKET, 'new');
    assert.deepEqual(stored?.content, { inline: Buffer.from('small') });
    await meta.close();
  });

  it('nodes stacking versions on one key at once: the losers of a serialization conflict run again, and each saw the one before', async () => {
    const url = await freshDatabase();
    const nodes = [await storeWithBucket(url), ...(await Promise.all(Array.from({ length: 3 }, () => PostgresMetadata.open(url))))];
    const perNode = 4;
    await Promise.all(
      nodes.flatMap((meta, node) =>
        Array.from({ length: perNode }, (_, n) =>
          meta.tx(async (tx) => {
            const current = await tx.getVersion(BUCKET, 'k', undefined);
            const lastModified = current ? current.lastModified + 1 : 0;
            await tx.putObject({ bucket: BUCKET, key: 'k', versionId: `v${node}-${n}`, size: 1, etag: '"e"', crc64: '0', lastModified, content: { inline: Buffer.from('x') }, headers: {}, storageClass: 'STANDARD', acl: undefined });
          }),
        ),
      ),
    );
    const writes = nodes.length * perNode;
    const versions = await nodes[0]?.listVersions({ bucket: BUCKET, prefix: '', after: { key: '' }, limit: 100 });
    // Newest first, each one more than the one it stacked on: no two read the same current version.
    assert.deepEqual(versions?.map((v) => v.lastModified), Array.from({ length: writes }, (_, n) => writes - 1 - n));
    assert.deepEqual(versions?.map((v) => v.isLatest), [true, ...Array<boolean>(writes - 1).fill(false)]);
    await Promise.all(nodes.map((meta) => meta.close()));
  });
});
