// The PostgreSQL engine's SQL, one named statement each (db.ts): the twins of storage/sqlite's statements.
import { LISTED, LISTED_VERSION, VERSION_WITH_BYTES } from '../sql/rows.ts';
import type { Statement } from './db.ts';

/** A versions row with its inline bytes and its ACL's text (documents.ts decodes the text only once per id). */
const VERSION_ROW = `a.body AS acl_body, ${VERSION_WITH_BYTES} LEFT JOIN acls a ON a.id = v.acl_id`;
const UPLOAD_ROW = 'u.*, a.body AS acl_body FROM uploads u LEFT JOIN acls a ON a.id = u.acl_id';

const SQL = {
  getCredential: 'SELECT * FROM credentials WHERE secret_id = $1',
  credentialsVersion: "SELECT value FROM counters WHERE name = 'credentials'",
  listCredentials: 'SELECT * FROM credentials WHERE uin = $1 AND token IS NULL ORDER BY secret_id',
  getSubAccount: 'SELECT uin, owner_uin, name FROM sub_accounts WHERE uin = $1',
  listUserPolicies: 'SELECT uin, name, document FROM user_policies WHERE uin = $1 ORDER BY name',
  putUserPolicy: 'INSERT INTO user_policies (uin, name, document) VALUES ($1, $2, $3) ON CONFLICT (uin, name) DO UPDATE SET document = excluded.document',
  deleteUserPolicy: 'DELETE FROM user_policies WHERE uin = $1 AND name = $2',
  getAccount: 'SELECT uin, appid, name FROM accounts WHERE uin = $1',
  listAccounts: 'SELECT uin, appid, name FROM accounts ORDER BY uin',
  listSubAccounts: 'SELECT uin, owner_uin, name FROM sub_accounts WHERE owner_uin = $1 ORDER BY uin',
  putAccount: 'INSERT INTO accounts (uin, appid, name) VALUES ($1, $2, $3) ON CONFLICT (uin) DO UPDATE SET name = excluded.name',
  putSubAccount: 'INSERT INTO sub_accounts (uin, owner_uin, name) VALUES ($1, $2, $3) ON CONFLICT (uin) DO UPDATE SET name = excluded.name',
  putCredential: `INSERT INTO credentials (secret_id, secret_key, owner_uin, uin, token, expires_at, session_policy) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (secret_id) DO UPDATE SET secret_key = excluded.secret_key`,
  deleteCredential: 'DELETE FROM credentials WHERE secret_id = $1',
  deleteExpiredCredentials: 'DELETE FROM credentials WHERE token IS NOT NULL AND expires_at < $1',
  // The bucket and each of its settings' [kind, id, text] in one row: getBucket is one round trip.
  getBucket: `SELECT b.name, b.owner_uin, b.region, b.created_at,
      (SELECT json_agg(json_build_array(c.kind, c.document_id, d.body)) FROM bucket_configs c JOIN config_documents d ON d.id = c.document_id WHERE c.bucket = b.name) AS configs
    FROM buckets b WHERE b.name = $1`,
  getBucketConfig: 'SELECT d.body FROM bucket_configs c JOIN config_documents d ON d.id = c.document_id WHERE c.bucket = $1 AND c.kind = $2',
  listBuckets: 'SELECT name, owner_uin, region, created_at FROM buckets WHERE owner_uin = $1 ORDER BY name',
  countBuckets: 'SELECT count(*) AS n FROM buckets WHERE owner_uin = $1',
  insertBucket: 'INSERT INTO buckets (name, owner_uin, region, created_at) VALUES ($1, $2, $3, $4)',
  // Only for an existing bucket: the select yields no row otherwise (0 changes).
  putBucketConfig: `INSERT INTO bucket_configs (bucket, kind, document_id) SELECT name, $2, $3 FROM buckets WHERE name = $1
    ON CONFLICT (bucket, kind) DO UPDATE SET document_id = excluded.document_id`,
  deleteBucketConfig: 'DELETE FROM bucket_configs WHERE bucket = $1 AND kind = $2',
  deleteBucketConfigs: 'DELETE FROM bucket_configs WHERE bucket = $1',
  deleteBucket: 'DELETE FROM buckets WHERE name = $1',
  setObjectAcl: 'UPDATE versions SET acl_id = $1 WHERE bucket = $2 AND key = $3 AND version_id = $4 AND delete_marker = 0',
  setObjectTags: 'UPDATE versions SET tags = $1 WHERE bucket = $2 AND key = $3 AND version_id = $4 AND delete_marker = 0',
  setObjectRestore: 'UPDATE versions SET restore = $1 WHERE bucket = $2 AND key = $3 AND version_id = $4 AND delete_marker = 0',
  setObjectStorageClass: 'UPDATE versions SET storage_class = $1 WHERE bucket = $2 AND key = $3 AND version_id = $4 AND delete_marker = 0',
  setObjectRetention: 'UPDATE versions SET retain_until = $1 WHERE bucket = $2 AND key = $3 AND version_id = $4 AND delete_marker = 0',
  setReplicationStatus: 'UPDATE versions SET replication = $1 WHERE bucket = $2 AND key = $3 AND version_id = $4',
  listPendingReplication: "SELECT bucket, key, version_id FROM versions WHERE replication = 'PENDING' ORDER BY bucket, key, seq LIMIT $1",
  getJob: 'SELECT state FROM jobs WHERE name = $1',
  listJobs: 'SELECT state FROM jobs ORDER BY name',
  putJob: 'INSERT INTO jobs (name, state) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET state = excluded.state',
  deploymentId: 'SELECT id FROM deployment',
  forgetUsedSignatures: 'DELETE FROM used_signatures WHERE until < $1',
  useSignature: 'INSERT INTO used_signatures (signature, until) VALUES ($1, $2) ON CONFLICT (signature) DO NOTHING',
  accessLogBuckets: 'SELECT DISTINCT bucket FROM access_logs ORDER BY bucket',
  listAccessLogs: 'SELECT seq, bucket, at, line FROM access_logs WHERE bucket = $1 ORDER BY seq LIMIT $2',
  appendAccessLog: 'INSERT INTO access_logs (bucket, at, line) VALUES ($1, $2, $3)',
  deleteAccessLogs: 'DELETE FROM access_logs WHERE seq = ANY($1::bigint[])',
  anyVersion: 'SELECT 1 FROM versions WHERE bucket = $1 LIMIT 1',
  anyUpload: 'SELECT 1 FROM uploads WHERE bucket = $1 LIMIT 1',
  getLatest: `SELECT ${VERSION_ROW} WHERE v.bucket = $1 AND v.key = $2 ORDER BY v.seq DESC LIMIT 1`,
  getVersion: `SELECT ${VERSION_ROW} WHERE v.bucket = $1 AND v.key = $2 AND v.version_id = $3`,
  // Listings: keys after the marker ($2) within the prefix ($3), as a key range ($4 the prefix's end) when it has one.
  listRange: `SELECT ${LISTED} FROM versions WHERE bucket = $1 AND key > $2 AND key >= $3 AND key < $4 AND is_latest = 1 AND delete_marker = 0 ORDER BY key LIMIT $5`,
  listFrom: `SELECT ${LISTED} FROM versions WHERE bucket = $1 AND key > $2 AND starts_with(key, $3) AND is_latest = 1 AND delete_marker = 0 ORDER BY key LIMIT $4`,
  versionSeq: 'SELECT seq FROM versions WHERE bucket = $1 AND key = $2 AND version_id = $3',
  olderVersions: `SELECT ${LISTED_VERSION} FROM versions WHERE bucket = $1 AND key = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4`,
  versionsRange: `SELECT ${LISTED_VERSION} FROM versions WHERE bucket = $1 AND key > $2 AND key >= $3 AND key < $4 ORDER BY key, seq DESC LIMIT $5`,
  versionsFrom: `SELECT ${LISTED_VERSION} FROM versions WHERE bucket = $1 AND key > $2 AND starts_with(key, $3) ORDER BY key, seq DESC LIMIT $4`,
  // The current version is always the one with the highest seq, so setLatest touches one row, not a key's whole history.
  setLatest: 'UPDATE versions SET is_latest = 1 WHERE bucket = $1 AND key = $2 AND seq = (SELECT max(seq) FROM versions WHERE bucket = $1 AND key = $2)',
  // One round trip stacks a version ($1 bucket, $2 key, $3 version id): the next seq, the previous newest row
  // unmarked, the inline bytes ($10, null for a blob or a delete marker) stored, the row inserted. Every part
  // sees the snapshot from before the statement, so the unmarked row (seq - 1) and the new one never meet.
  // max(seq) + 1 is safe because tx() is serializable: two transactions stacking on one key conflict. A row a
  // concurrent transaction inserted at the same seq makes ON CONFLICT raise a serialization failure (it is not
  // in this one's snapshot), which tx() retries; a plain INSERT would fail with a unique violation.
  insertLatest: `WITH next AS (SELECT coalesce(max(seq), 0) + 1 AS seq FROM versions WHERE bucket = $1 AND key = $2),
      unset AS (UPDATE versions SET is_latest = 0 WHERE bucket = $1 AND key = $2 AND seq = (SELECT seq - 1 FROM next)),
      inline AS (INSERT INTO inline_contents (bytes) SELECT $10::bytea WHERE $10::bytea IS NOT NULL RETURNING id)
    INSERT INTO versions (bucket, key, seq, version_id, is_latest, delete_marker, size, etag, crc64, last_modified, blob, inline_id, headers,
      storage_class, acl_id, upload_id, tags, restore, retain_until, object_type, symlink_target, encryption, replication)
    VALUES ($1, $2, (SELECT seq FROM next), $3, 1, $4, $5, $6, $7, $8, $9, (SELECT id FROM inline), $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
    ON CONFLICT DO NOTHING`,
  deleteInline: 'DELETE FROM inline_contents WHERE id = $1',
  deleteVersion: 'DELETE FROM versions WHERE bucket = $1 AND key = $2 AND version_id = $3 RETURNING *',
  // A blob is in use while a version or an upload's part refers to it.
  blobInUse: 'SELECT 1 FROM versions WHERE blob = $1 UNION ALL SELECT 1 FROM parts WHERE blob = $1 LIMIT 1',
  reserveBlob: `INSERT INTO blob_reservations (ref, holder, expires_at) VALUES ($1, $2, $3)
    ON CONFLICT (ref) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at WHERE blob_reservations.collecting = 0`,
  // A removed reference's blob, or a write given up: lapsed at once (expires_at 0), to be claimed by the next collection.
  releaseBlob: `INSERT INTO blob_reservations (ref, holder, expires_at) VALUES ($1, '', 0)
    ON CONFLICT (ref) DO UPDATE SET expires_at = 0 WHERE blob_reservations.collecting = 0`,
  consumeReservation: 'DELETE FROM blob_reservations WHERE ref = $1 AND collecting = 0',
  lapseReservations: 'UPDATE blob_reservations SET expires_at = 0, collecting = 0 WHERE holder != $1',
  // Not a released one (expires_at 0): a heartbeat racing its writer's release must not revive it.
  renewReservation: 'UPDATE blob_reservations SET expires_at = $1 WHERE ref = $2 AND collecting = 0 AND expires_at > 0',
  // Lapsed reservations and lapsed claims alike: a claim's expires_at is its collector's lease.
  lapsedReservations: 'SELECT ref FROM blob_reservations WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2',
  claimReservation: 'UPDATE blob_reservations SET holder = $1, collecting = 1, expires_at = $2 WHERE ref = $3',
  forgetBlob: 'DELETE FROM blob_reservations WHERE ref = $1 AND collecting = 1',
  usage: 'SELECT count(*) AS objects, coalesce(sum(size), 0)::bigint AS bytes FROM versions WHERE delete_marker = 0',
  getUpload: `SELECT ${UPLOAD_ROW} WHERE u.bucket = $1 AND u.key = $2 AND u.upload_id = $3`,
  // (key, upload_id) > (after key, after id) within the prefix; the row comparison uses the index.
  listUploadsAfterId: `SELECT ${UPLOAD_ROW} WHERE u.bucket = $1 AND (u.key, u.upload_id) > ($2, $3) AND starts_with(u.key, $4) ORDER BY u.key, u.upload_id LIMIT $5`,
  listUploadsAfterKey: `SELECT ${UPLOAD_ROW} WHERE u.bucket = $1 AND u.key > $2 AND starts_with(u.key, $3) ORDER BY u.key, u.upload_id LIMIT $4`,
  insertUpload: `INSERT INTO uploads (upload_id, bucket, key, initiated, initiator, headers, storage_class, acl_id, tags, encryption)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  deleteUpload: 'DELETE FROM uploads WHERE upload_id = $1',
  uploadIdsOf: 'SELECT upload_id FROM uploads WHERE bucket = $1',
  getPart: 'SELECT blob FROM parts WHERE upload_id = $1 AND part_number = $2',
  putPart: `INSERT INTO parts (upload_id, part_number, size, etag, crc64, last_modified, blob, encryption) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag,
      crc64 = excluded.crc64, last_modified = excluded.last_modified, blob = excluded.blob, encryption = excluded.encryption`,
  listParts: 'SELECT * FROM parts WHERE upload_id = $1 AND part_number > $2 ORDER BY part_number LIMIT $3',
  partBlobs: 'SELECT blob FROM parts WHERE upload_id = $1',
  referencedBlobs: 'SELECT blob FROM versions WHERE blob IS NOT NULL UNION SELECT blob FROM parts',
} as const;

export type StatementName = keyof typeof SQL;

/** Every statement, named after its key ("coslocal_" first, so they stand out in pg_prepared_statements). */
export const STATEMENTS = Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, { name: `coslocal_${name}`, text }])) as {
  readonly [N in StatementName]: Statement;
};
