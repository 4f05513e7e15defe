// Numbered schema migrations for the PostgreSQL metadata store, applied at open by whichever node gets there first.
import type pg from 'pg';

/**
 * The tables of storage/sqlite/migrations.ts as they stand after its 23rd migration (this engine starts there).
 *
 * - Keys and every other column a listing orders by are `COLLATE "C"`: in a UTF8 database (open() refuses any
 *   other) that compares bytes, which is UTF-8 byte order, the order COS lists keys in.
 * - Document ids (acls, config_documents) and inline content ids are identity columns: a sequence never hands
 *   out a value twice, even after a rollback, so an id names one document for good and every node's decoded
 *   copy stays right (decoded-documents.ts). Documents are unique by a SHA-256 of their text, since a
 *   20 KB policy exceeds what a btree index entry may hold.
 * - JSON stays `text`, not `jsonb`: jsonb refuses "\u0000" escapes, which JSON.stringify writes for a NUL in a header.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: everything, as SQLite's migrations 1-23 left it.
  `
  CREATE TABLE accounts (
    uin   text COLLATE "C" PRIMARY KEY,
    appid text NOT NULL UNIQUE,
    name  text NOT NULL
  );
  CREATE TABLE sub_accounts (
    uin       text COLLATE "C" PRIMARY KEY,
    owner_uin text COLLATE "C" NOT NULL REFERENCES accounts(uin),
    name      text NOT NULL
  );
  CREATE TABLE credentials (
    secret_id      text COLLATE "C" PRIMARY KEY,
    secret_key     text NOT NULL,
    owner_uin      text COLLATE "C" NOT NULL REFERENCES accounts(uin),
    uin            text COLLATE "C" NOT NULL,
    token          text,
    expires_at     bigint,
    session_policy text
  );
  CREATE INDEX credentials_uin ON credentials(uin);
  CREATE TABLE user_policies (
    uin      text COLLATE "C" NOT NULL REFERENCES sub_accounts(uin),
    name     text COLLATE "C" NOT NULL,
    document text NOT NULL,
    PRIMARY KEY (uin, name)
  );
  -- Bumped by every removed or changed key: a node's key cache polls it (auth/store-keyring.ts).
  CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
  INSERT INTO counters (name, value) VALUES ('credentials', 0);
  CREATE FUNCTION bump_credentials_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'credentials'; RETURN NULL; END $$;
  CREATE TRIGGER credentials_changed AFTER DELETE OR UPDATE ON credentials FOR EACH ROW EXECUTE FUNCTION bump_credentials_version();

  CREATE TABLE acls (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    digest bytea NOT NULL UNIQUE,
    body   text NOT NULL
  );
  CREATE TABLE config_documents (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind   text NOT NULL,
    digest bytea NOT NULL,
    body   text NOT NULL,
    UNIQUE (kind, digest)
  );
  CREATE TABLE buckets (
    name       text COLLATE "C" PRIMARY KEY,
    owner_uin  text COLLATE "C" NOT NULL REFERENCES accounts(uin),
    region     text NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE INDEX buckets_owner ON buckets(owner_uin, name);
  CREATE TABLE bucket_configs (
    bucket      text COLLATE "C" NOT NULL REFERENCES buckets(name),
    kind        text NOT NULL,
    document_id bigint NOT NULL REFERENCES config_documents(id),
    PRIMARY KEY (bucket, kind)
  );

  CREATE TABLE inline_contents (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bytes bytea NOT NULL
  );
  CREATE TABLE versions (
    bucket         text COLLATE "C" NOT NULL REFERENCES buckets(name),
    key            text COLLATE "C" NOT NULL,
    seq            integer NOT NULL,
    version_id     text COLLATE "C" NOT NULL,
    is_latest      smallint NOT NULL,
    delete_marker  smallint NOT NULL,
    size           bigint NOT NULL,
    etag           text NOT NULL,
    crc64          text NOT NULL,
    last_modified  bigint NOT NULL,
    blob           text,
    inline_id      bigint,
    headers        text NOT NULL,
    storage_class  text NOT NULL,
    acl_id         bigint REFERENCES acls(id),
    upload_id      text,
    tags           text,
    restore        text,
    retain_until   bigint,
    object_type    text NOT NULL DEFAULT 'normal',
    symlink_target text,
    encryption     text,
    replication    text,
    PRIMARY KEY (bucket, key, seq)
  );
  CREATE UNIQUE INDEX versions_id ON versions(bucket, key, version_id);
  CREATE INDEX versions_current ON versions(bucket, key) INCLUDE (size, etag, last_modified, storage_class) WHERE is_latest = 1 AND delete_marker = 0;
  CREATE INDEX versions_blob ON versions(blob) WHERE blob IS NOT NULL;
  CREATE INDEX versions_replication_pending ON versions(bucket, key, seq) WHERE replication = 'PENDING';

  CREATE TABLE uploads (
    upload_id     text COLLATE "C" PRIMARY KEY,
    bucket        text COLLATE "C" NOT NULL REFERENCES buckets(name),
    key           text COLLATE "C" NOT NULL,
    initiated     bigint NOT NULL,
    initiator     text NOT NULL,
    headers       text NOT NULL,
    storage_class text NOT NULL,
    acl_id        bigint REFERENCES acls(id),
    tags          text,
    encryption    text
  );
  CREATE UNIQUE INDEX uploads_by_key ON uploads(bucket, key, upload_id);
  CREATE TABLE parts (
    upload_id     text COLLATE "C" NOT NULL REFERENCES uploads(upload_id) ON DELETE CASCADE,
    part_number   integer NOT NULL,
    size          bigint NOT NULL,
    etag          text NOT NULL,
    crc64         text NOT NULL,
    last_modified bigint NOT NULL,
    blob          text NOT NULL,
    encryption    text,
    PRIMARY KEY (upload_id, part_number)
  );
  CREATE INDEX parts_blob ON parts(blob);

  CREATE TABLE blob_reservations (
    ref        text PRIMARY KEY,
    holder     text NOT NULL,
    expires_at bigint NOT NULL,
    collecting smallint NOT NULL DEFAULT 0
  );
  -- Reservations and claims alike lapse (a claim's expires_at is its collector's lease).
  CREATE INDEX blob_reservations_expiry ON blob_reservations(expires_at);
  CREATE TABLE used_signatures (signature text PRIMARY KEY, until bigint NOT NULL);
  CREATE INDEX used_signatures_until ON used_signatures(until);
  -- The store's identity, made once (MetadataReader.deploymentId).
  CREATE TABLE deployment (id text NOT NULL);
  INSERT INTO deployment (id) VALUES (md5(random()::text || clock_timestamp()::text));
  CREATE TABLE jobs (name text COLLATE "C" PRIMARY KEY, state text NOT NULL);
  CREATE TABLE access_logs (
    seq    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bucket text COLLATE "C" NOT NULL,
    at     bigint NOT NULL,
    line   text NOT NULL
  );
  CREATE INDEX access_logs_bucket ON access_logs(bucket, seq);
  `,
];

/** pg_advisory_xact_lock's key for migrating: any fixed number no other user of the database takes ("cosl"). */
const MIGRATION_LOCK = 0x636f736c;

/**
 * Brings the database's schema up to MIGRATIONS, in one transaction under an advisory lock, so nodes
 * starting together migrate once (the others wait, then find nothing to do). Refuses a database a newer
 * coslocal has migrated further: this code would misread its tables.
 */
export async function migrate(client: pg.ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS coslocal_schema (version integer NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM coslocal_schema');
    const current = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query('INSERT INTO coslocal_schema (version) VALUES (0)');
    if (current > MIGRATIONS.length) {
      throw new Error(`the metadata database's schema is at version ${current}, newer than this coslocal knows (${MIGRATIONS.length}): run a newer coslocal`);
    }
    for (let version = current; version < MIGRATIONS.length; version++) await client.query(MIGRATIONS[version] ?? '');
    await client.query('UPDATE coslocal_schema SET version = $1', [MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
