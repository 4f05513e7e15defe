// Numbered schema migrations for the SQLite metadata store; PRAGMA user_version records how far a database is.

export const MIGRATIONS: readonly string[] = [
  // 1: identities, buckets, objects
  `
  CREATE TABLE accounts (
    uin   TEXT PRIMARY KEY,
    appid TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL
  );
  CREATE TABLE sub_accounts (
    uin       TEXT PRIMARY KEY,
    owner_uin TEXT NOT NULL REFERENCES accounts(uin),
    name      TEXT NOT NULL
  );
  CREATE TABLE credentials (
    secret_id  TEXT PRIMARY KEY,
    secret_key TEXT NOT NULL,
    owner_uin  TEXT NOT NULL REFERENCES accounts(uin),
    uin        TEXT NOT NULL
  );
  CREATE INDEX credentials_uin ON credentials(uin);
  CREATE TABLE buckets (
    name       TEXT PRIMARY KEY,
    owner_uin  TEXT NOT NULL REFERENCES accounts(uin),
    region     TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX buckets_owner ON buckets(owner_uin);
  -- key uses the BINARY collation: memcmp over UTF-8, the byte order COS lists keys in.
  CREATE TABLE objects (
    bucket        TEXT NOT NULL REFERENCES buckets(name),
    key           TEXT NOT NULL,
    size          INTEGER NOT NULL,
    etag          TEXT NOT NULL,
    crc64         TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    blob          TEXT NOT NULL,
    headers       TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    PRIMARY KEY (bucket, key)
  ) WITHOUT ROWID;
  CREATE INDEX objects_blob ON objects(blob);
  `,
  // 2: ACLs (JSON). NULL on a bucket means private; NULL on an object means "default" (inherit the bucket's).
  `
  ALTER TABLE buckets ADD COLUMN acl TEXT;
  ALTER TABLE objects ADD COLUMN acl TEXT;
  `,
  // 3: bucket policies, kept as the text the owner wrote (GET returns it; compiled forms are cached above storage).
  `
  ALTER TABLE buckets ADD COLUMN policy TEXT;
  `,
  // 4: ACL documents move to their own table, referenced by id (see document-table.ts).
  `
  CREATE TABLE acls (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE);
  INSERT OR IGNORE INTO acls (body) SELECT acl FROM buckets WHERE acl IS NOT NULL;
  INSERT OR IGNORE INTO acls (body) SELECT acl FROM objects WHERE acl IS NOT NULL;
  ALTER TABLE buckets ADD COLUMN acl_id INTEGER REFERENCES acls(id);
  ALTER TABLE objects ADD COLUMN acl_id INTEGER REFERENCES acls(id);
  UPDATE buckets SET acl_id = (SELECT id FROM acls WHERE body = buckets.acl) WHERE acl IS NOT NULL;
  UPDATE objects SET acl_id = (SELECT id FROM acls WHERE body = objects.acl) WHERE acl IS NOT NULL;
  ALTER TABLE buckets DROP COLUMN acl;
  ALTER TABLE objects DROP COLUMN acl;
  `,
  // 5: user policies of sub-accounts, and temporary keys (token, expiry, session policy) beside permanent ones.
  `
  CREATE TABLE user_policies (
    uin      TEXT NOT NULL REFERENCES sub_accounts(uin),
    name     TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (uin, name)
  ) WITHOUT ROWID;
  ALTER TABLE credentials ADD COLUMN token TEXT;
  ALTER TABLE credentials ADD COLUMN expires_at INTEGER;
  ALTER TABLE credentials ADD COLUMN session_policy TEXT;
  `,
  // 6: bucket CORS configurations (validated rules as JSON; NULL: none).
  `
  ALTER TABLE buckets ADD COLUMN cors TEXT;
  `,
  // 7: versioning. Objects become versions: every existing object is its key's current `null` version.
  // seq orders a key's versions (newest = highest); is_latest marks the current one so plain listings
  // walk a partial index of current objects; delete markers have no blob.
  `
  ALTER TABLE buckets ADD COLUMN versioning TEXT;
  CREATE TABLE versions (
    bucket        TEXT NOT NULL REFERENCES buckets(name),
    key           TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    version_id    TEXT NOT NULL,
    is_latest     INTEGER NOT NULL,
    delete_marker INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    etag          TEXT NOT NULL,
    crc64         TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    blob          TEXT,
    headers       TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    acl_id        INTEGER REFERENCES acls(id),
    PRIMARY KEY (bucket, key, seq DESC)
  ) WITHOUT ROWID;
  INSERT INTO versions (bucket, key, seq, version_id, is_latest, delete_marker, size, etag, crc64, last_modified, blob, headers, storage_class, acl_id)
    SELECT bucket, key, 1, 'null', 1, 0, size, etag, crc64, last_modified, blob, headers, storage_class, acl_id FROM objects;
  DROP TABLE objects;
  CREATE UNIQUE INDEX versions_id ON versions(bucket, key, version_id);
  CREATE INDEX versions_current ON versions(bucket, key) WHERE is_latest = 1 AND delete_marker = 0;
  CREATE INDEX versions_blob ON versions(blob) WHERE blob IS NOT NULL;
  `,
  // 8: multipart uploads in progress and their parts. A completed upload leaves these tables in the
  // same transaction that writes its object version; upload ids are globally unique. Parts refer to
  // blobs only: the objects table is gone since 7, and nothing here refers to versions.
  `
  CREATE TABLE uploads (
    upload_id     TEXT PRIMARY KEY,
    bucket        TEXT NOT NULL REFERENCES buckets(name),
    key           TEXT NOT NULL,
    initiated     INTEGER NOT NULL,
    initiator     TEXT NOT NULL,
    headers       TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    acl_id        INTEGER REFERENCES acls(id)
  );
  CREATE UNIQUE INDEX uploads_by_key ON uploads(bucket, key, upload_id);
  CREATE TABLE parts (
    upload_id     TEXT NOT NULL REFERENCES uploads(upload_id) ON DELETE CASCADE,
    part_number   INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    etag          TEXT NOT NULL,
    crc64         TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    blob          TEXT NOT NULL,
    PRIMARY KEY (upload_id, part_number)
  ) WITHOUT ROWID;
  CREATE INDEX parts_blob ON parts(blob);
  `,
  // 9: small objects' bytes kept in the database (storage/object-content.ts), blob NULL for them. They get
  // a table of their own so versions rows stay small: listings walk versions and never touch the bytes.
  // No foreign key: deleting a content row would then scan versions for references (as blob refs, the
  // code keeps the invariant: a content row goes in the transaction that removes its version).
  `
  CREATE TABLE inline_contents (
    id    INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL
  );
  ALTER TABLE versions ADD COLUMN inline_id INTEGER;
  `,
  // 10: bucket policies move to their own table, referenced by id, as ACLs did in 4 (see document-table.ts): a
  // request reads the id, not the ~20 KB text of a 100-statement policy.
  `
  CREATE TABLE policies (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE);
  INSERT OR IGNORE INTO policies (body) SELECT policy FROM buckets WHERE policy IS NOT NULL;
  ALTER TABLE buckets ADD COLUMN policy_id INTEGER REFERENCES policies(id);
  UPDATE buckets SET policy_id = (SELECT id FROM policies WHERE body = buckets.policy) WHERE policy IS NOT NULL;
  ALTER TABLE buckets DROP COLUMN policy;
  `,
  // 11: a counter that every removed or changed key bumps, so that a server's key cache notices a key
  // revoked by another process (the CLI) with one cheap read (auth/store-keyring.ts).
  `
  CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO counters (name, value) VALUES ('credentials', 0);
  CREATE TRIGGER credentials_deleted AFTER DELETE ON credentials
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'credentials'; END;
  CREATE TRIGGER credentials_updated AFTER UPDATE ON credentials
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'credentials'; END;
  `,
  // 12: the multipart upload a version was completed from (NULL for any other write), so that a retried
  // Complete of that upload is answered with the object again.
  `
  ALTER TABLE versions ADD COLUMN upload_id TEXT;
  `,
  // 13: the index of current objects carries the columns a listing reads, so a 1000-key page is one walk
  // of the index instead of a primary-key lookup per key (~40% of the page's query time).
  `
  DROP INDEX versions_current;
  CREATE INDEX versions_current ON versions(bucket, key, size, etag, last_modified, storage_class) WHERE is_latest = 1 AND delete_marker = 0;
  `,
  // 14: bucket settings become documents by kind (domain/bucket-config.ts) instead of a column each, so a new
  // setting needs no migration. Documents are content-addressed per kind and decoded once per id, as ACLs
  // are (document-table.ts); the bodies move unchanged, each already in its codec's text.
  `
  CREATE TABLE config_documents (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (kind, body));
  CREATE TABLE bucket_configs (
    bucket      TEXT NOT NULL REFERENCES buckets(name),
    kind        TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES config_documents(id),
    PRIMARY KEY (bucket, kind)
  ) WITHOUT ROWID;
  CREATE TEMP TABLE old_configs AS
              SELECT b.name AS bucket, 'acl' AS kind, a.body FROM buckets b JOIN acls a ON a.id = b.acl_id
    UNION ALL SELECT b.name, 'policy', p.body FROM buckets b JOIN policies p ON p.id = b.policy_id
    UNION ALL SELECT name, 'cors', cors FROM buckets WHERE cors IS NOT NULL
    UNION ALL SELECT name, 'versioning', versioning FROM buckets WHERE versioning IS NOT NULL;
  INSERT OR IGNORE INTO config_documents (kind, body) SELECT kind, body FROM old_configs;
  INSERT INTO bucket_configs (bucket, kind, document_id)
    SELECT o.bucket, o.kind, d.id FROM old_configs o JOIN config_documents d ON d.kind = o.kind AND d.body = o.body;
  DROP TABLE old_configs;
  ALTER TABLE buckets DROP COLUMN acl_id;
  ALTER TABLE buckets DROP COLUMN policy_id;
  ALTER TABLE buckets DROP COLUMN cors;
  ALTER TABLE buckets DROP COLUMN versioning;
  DROP TABLE policies;
  `,
  // 15: blob reservations (storage/blob-keeper.ts): a blob is reserved before its bytes are written and
  // handed back here once nothing refers to it, so one collector frees exactly the blobs recorded here and
  // no start-up sweep has to guess from the files which ones are garbage.
  `
  CREATE TABLE blob_reservations (
    ref        TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    collecting INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE INDEX blob_reservations_lapse ON blob_reservations(expires_at) WHERE collecting = 0;
  `,
  // 16: object tags and archive restores, per version (JSON, NULL for none), and the tags an upload gives
  // the object Complete makes.
  `
  ALTER TABLE versions ADD COLUMN tags TEXT;
  ALTER TABLE versions ADD COLUMN restore TEXT;
  ALTER TABLE uploads ADD COLUMN tags TEXT;
  `,
  // 17: background jobs' state (jobs/runner.ts), one JSON document per job, read and written whole inside
  // a transaction, so a lease taken by one process is seen by every other sharing the store.
  `
  CREATE TABLE jobs (name TEXT PRIMARY KEY, state TEXT NOT NULL) WITHOUT ROWID;
  `,
  // 18: a version's object lock retain-until, epoch ms (NULL: not locked).
  `
  ALTER TABLE versions ADD COLUMN retain_until INTEGER;
  `,
  // 19: the object's type ('normal', 'appendable' or 'symlink') and a symlink's target get columns of their
  // own. Append Object had marked its objects with a ':object-type' entry in headers, which every reader of
  // headers then had to strip; it moves here.
  `
  ALTER TABLE versions ADD COLUMN object_type TEXT NOT NULL DEFAULT 'normal';
  ALTER TABLE versions ADD COLUMN symlink_target TEXT;
  UPDATE versions SET object_type = 'appendable', headers = json_remove(headers, '$.":object-type"')
    WHERE delete_marker = 0 AND json_extract(headers, '$.":object-type"') = 'appendable';
  `,
  // 20: server-side encryption (domain/encryption.ts), JSON, NULL for bytes stored as sent: a version's
  // scheme and cipher segments, the scheme an upload asked for, and each part's segment.
  `
  ALTER TABLE versions ADD COLUMN encryption TEXT;
  ALTER TABLE uploads ADD COLUMN encryption TEXT;
  ALTER TABLE parts ADD COLUMN encryption TEXT;
  `,
  // The 21st entry (the next free slot when replication was rebased onto the above): bucket replication
  // (jobs/replication.ts): each version's x-cos-replication-status (NULL: not selected by a rule), and the
  // queue of versions still to copy as a partial index, so the job finds them without a scan and a write
  // enqueues in the transaction that commits it.
  `
  ALTER TABLE versions ADD COLUMN replication TEXT;
  CREATE INDEX versions_replication_pending ON versions(bucket, key, seq) WHERE replication = 'PENDING';
  `,
  // 22: access-log lines of buckets with logging on, waiting for the logging job (jobs/logging.ts) to
  // deliver them; seq is the order they were added in, and the job consumes them in the transaction that
  // commits their log file.
  `
  CREATE TABLE access_logs (
    seq    INTEGER PRIMARY KEY,
    bucket TEXT NOT NULL,
    at     INTEGER NOT NULL,
    line   TEXT NOT NULL
  );
  CREATE INDEX access_logs_bucket ON access_logs(bucket, seq);
  `,
  // 23 (issue #21): the store's deployment id, made once (MetadataReader.deploymentId), for the data-dir
  // lock of nodes sharing it; claims, like reservations, lapse (a claim's expires_at is its collector's
  // lease), so the index of what may lapse covers both; used single-use signatures, so that each is
  // accepted once by all the processes sharing the store.
  `
  CREATE TABLE used_signatures (signature TEXT PRIMARY KEY, until INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX used_signatures_until ON used_signatures(until);
  CREATE TABLE deployment (id TEXT NOT NULL);
  INSERT INTO deployment (id) VALUES (lower(hex(randomblob(16))));
  DROP INDEX blob_reservations_lapse;
  CREATE INDEX blob_reservations_expiry ON blob_reservations(expires_at);
  `,
];
