// S3 request headers read as their COS twins (x-amz-acl -> x-cos-acl ...), and an aws-chunked body's headers as the decoded body's.

type Headers = Readonly<Record<string, string | undefined>>;

/** x-amz-* headers whose meaning is exactly that of an x-cos-* header (the COS API documents both spellings on its S3 endpoint). */
const TWINS: ReadonlyMap<string, string> = new Map(
  [
    'acl',
    'grant-read',
    'grant-write',
    'grant-read-acp',
    'grant-write-acp',
    'grant-full-control',
    'copy-source',
    'copy-source-if-match',
    'copy-source-if-none-match',
    'copy-source-if-modified-since',
    'copy-source-if-unmodified-since',
    'copy-source-range',
    'storage-class',
    'metadata-directive',
    'tagging',
    'tagging-directive',
    'object-lock-mode',
    'object-lock-retain-until-date',
    'server-side-encryption',
    'server-side-encryption-customer-algorithm',
    'server-side-encryption-customer-key',
    'server-side-encryption-customer-key-md5',
    'copy-source-server-side-encryption-customer-algorithm',
    'copy-source-server-side-encryption-customer-key',
    'copy-source-server-side-encryption-customer-key-md5',
  ].map((rest) => [`x-amz-${rest}`, `x-cos-${rest}`]),
);

/** S3 spells the copy directives (metadata, tagging) COPY/REPLACE, COS Copy/Replaced. */
const DIRECTIVES: Readonly<Record<string, string>> = { COPY: 'Copy', REPLACE: 'Replaced' };

/** The x-cos-* twin of an x-amz-* header name, if it has one. */
const twinOf = (name: string): string | undefined => TWINS.get(name) ?? (name.startsWith('x-amz-meta-') ? `x-cos-${name.slice('x-amz-'.length)}` : undefined);

/**
 * The headers operations read. Signatures are verified over the raw headers; this view only adds
 * x-cos-* twins (a client's own x-cos-* header wins) and, for aws-chunked bodies, describes the
 * decoded body: Content-Length is x-amz-decoded-content-length and `aws-chunked` leaves
 * Content-Encoding, so it is never stored as the object's encoding (S3 does the same).
 */
export function operationHeaders(raw: Headers, awsChunked: boolean): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...raw };
  // for-in, not Object.entries(): every request passes here, and the pairs were garbage at once.
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined || !name.startsWith('x-amz-')) continue;
    const twin = twinOf(name);
    if (twin === undefined || out[twin] !== undefined) continue;
    out[twin] = twin.endsWith('-directive') ? (DIRECTIVES[value.toUpperCase()] ?? value) : value;
  }
  if (awsChunked) {
    out['content-length'] = raw['x-amz-decoded-content-length'];
    const encodings = (raw['content-encoding'] ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
    out['content-encoding'] = encodings.length > 0 ? encodings.join(', ') : undefined;
  }
  return out;
}

/** Response twin of each stored x-cos-meta-* header: S3 clients read x-amz-meta-*, COS clients x-cos-meta-*. */
export function withAmzMetaTwins(headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-cos-meta-')) headers[`x-amz-meta-${name.slice('x-cos-meta-'.length)}`] = value;
  }
  return headers;
}

/** Response headers whose S3 twin S3 clients read (the AWS SDK reads VersionId only from x-amz-version-id). */
const RESPONSE_TWINS = [
  'version-id',
  'delete-marker',
  'copy-source-version-id',
  'tagging-count',
  'restore',
  'server-side-encryption',
  'server-side-encryption-customer-algorithm',
  'server-side-encryption-customer-key-md5',
  'replication-status',
];

/** Adds the x-amz-* twin of each x-cos-* response header in RESPONSE_TWINS (COS's S3 endpoint sends both). */
export function withAmzResponseTwins(headers: Record<string, string | number>): Record<string, string | number> {
  for (const rest of RESPONSE_TWINS) {
    const value = headers[`x-cos-${rest}`];
    if (value !== undefined) headers[`x-amz-${rest}`] ??= value;
  }
  return headers;
}

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Puts S3's namespace on a reply document's root element (S3 writes it on every result document). */
export function withS3Namespace(xml: string): string {
  return xml.replace(/^(<\?xml[^>]*\?>\s*<[A-Za-z]+)(?=[\s>/])(?![^>]*\sxmlns=)/, `$1 xmlns="${S3_NS}"`);
}
