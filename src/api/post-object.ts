// POST Object: a browser form upload (multipart/form-data), signed by a form policy instead of an Authorization header.
import { Transform } from 'node:stream';
import { checkConditions, checkExpiration, lengthRange, parsePostPolicy, postSignature, signatureMatches, sigV2PostSignatureMatches, type PostPolicy } from '../auth/post-policy.ts';
import { checkToken, type Caller } from '../auth/authenticate.ts';
import type { KeyEntry } from '../auth/keyring.ts';
import { ANONYMOUS } from '../domain/identity.ts';
import { checkKey, storedHeadersFrom, type ObjectRecord } from '../domain/object.ts';
import { CosError, cosError } from '../errors/cos-error.ts';
import { readFormUntilFile, type FormFile } from '../http/multipart-form.ts';
import { emptyReply, xmlReply, type Reply } from '../http/respond.ts';
import { renderXml } from '../http/xml.ts';
import { operationHeaders } from '../http/s3-headers.ts';
import { requestedStorageClass } from '../domain/storage-class.ts';
import { aclFromHeaders } from './common/acl-io.ts';
import { requestedTags } from './common/object-tags.ts';
import { parseTaggingHeader, tagConditionValues } from '../domain/tagging.ts';
import { MAX_OBJECT_SIZE, storeObject } from './common/store-object.ts';
import { defineOperation, type RequestContext } from './operation.ts';
import type { RequestedSse } from '../domain/encryption.ts';
import { sealFor, sseReplyHeaders, writeSse } from './common/sse.ts';

type Fields = ReadonlyMap<string, string>;

const SIGNATURE_FIELDS = ['q-sign-algorithm', 'q-ak', 'q-key-time', 'q-signature'] as const;
/** S3's form fields for AWS Signature Version 2, as S3 names them in its errors. */
const SIGV2_FIELDS = ['AWSAccessKeyId', 'policy', 'signature'] as const;

/**
 * Who signed the form: nobody (no signature fields: an anonymous upload, which the bucket's ACL
 * and policy judge), the owner of q-ak when q-signature is COS's signature of the policy, or the
 * owner of AWSAccessKeyId when signature is S3's SigV2 one. A temporary key needs its security-token
 * field, as its header would be checked elsewhere.
 */
async function formCaller(ctx: RequestContext, fields: Fields, policy: PostPolicy | undefined): Promise<Caller> {
  if (fields.has('awsaccesskeyid')) return sigV2FormCaller(ctx, fields);
  if (!SIGNATURE_FIELDS.some((f) => fields.has(f))) return { principal: ANONYMOUS };
  const missing = SIGNATURE_FIELDS.filter((f) => !fields.get(f));
  // Undocumented in COS; AccessDenied as for a malformed Authorization (spec/signature.md §6) [recommended].
  if (missing.length > 0) throw cosError('AccessDenied', { message: `Invalid Authorization: missing ${missing.join(', ')}` });
  if ((fields.get('q-sign-algorithm') ?? '').toLowerCase() !== 'sha1') throw cosError('AccessDenied', { message: 'Invalid Authorization: unsupported q-sign-algorithm' });
  if (!policy) throw cosError('InvalidPolicyDocument', { message: 'Invalid Policy: a signed form upload must carry a policy.' });
  const entry = await ctx.keyring.find(fields.get('q-ak') ?? '');
  if (!entry) throw cosError('InvalidAccessKeyId', { detail: `unknown q-ak ${fields.get('q-ak') ?? ''}` });
  const expected = postSignature(entry.secretKey, fields.get('q-key-time') ?? '', policy.text);
  if (!signatureMatches(expected, fields.get('q-signature') ?? '')) throw cosError('SignatureDoesNotMatch');
  return verifiedCaller(ctx, entry, fields);
}

/** S3's SigV2 form [https://docs.aws.amazon.com/AmazonS3/latest/userguide/HTTPPOSTForms.html]: a missing field is S3's InvalidArgument. */
async function sigV2FormCaller(ctx: RequestContext, fields: Fields): Promise<Caller> {
  const missing = SIGV2_FIELDS.find((f) => !fields.get(f.toLowerCase()));
  if (missing) throw cosError('InvalidArgument', { message: `Bucket POST must contain a field named '${missing}'.  If it is specified, please check the order of the fields.` });
  const accessKeyId = fields.get('awsaccesskeyid') ?? '';
  const entry = await ctx.keyring.find(accessKeyId);
  if (!entry) throw cosError('InvalidAccessKeyId', { fields: [['AWSAccessKeyId', accessKeyId]] });
  if (!sigV2PostSignatureMatches(entry.secretKey, fields.get('policy') ?? '', fields.get('signature') ?? '')) throw cosError('SignatureDoesNotMatch');
  return verifiedCaller(ctx, entry, fields);
}

function verifiedCaller(ctx: RequestContext, entry: KeyEntry, fields: Fields): Caller {
  const token = fields.get('x-cos-security-token') ?? fields.get('x-amz-security-token');
  checkToken(entry, { method: 'POST', paths: [], query: [], headers: token === undefined ? {} : { 'x-cos-security-token': token }, now: Math.floor(ctx.now / 1000) });
  const sessionPolicy = entry.temporary?.sessionPolicy;
  return sessionPolicy ? { principal: entry.principal, sessionPolicy } : { principal: entry.principal };
}

/**
 * The object key: `${filename}` stands for the uploaded file's name [doc: POST Object, key field].
 * Browsers send a bare name; a path some clients prepend is dropped, so it never leaks a local path.
 */
function objectKey(fields: Fields, file: FormFile): string {
  const key = fields.get('key');
  if (key === undefined || key === '') throw cosError('InvalidArgument', { message: "Bucket POST must contain a field named 'key'." });
  const name = file.filename.replace(/^.*[\\/]/, '');
  return key.replaceAll('${filename}', name);
}

/** Counts the file's bytes as they flow: over the limit fails at once, under the minimum fails at the end, before any commit. */
function sizeGuard(min: number, max: number): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > max) return done(cosError('EntityTooLarge', { detail: `over ${max} bytes` }));
      done(null, chunk);
    },
    flush(done) {
      done(size < min ? cosError('EntityTooSmall', { detail: `${size} < ${min} bytes` }) : null);
    },
  });
}

/**
 * The form's fields as request headers: S3 forms name them x-amz-meta-*, x-amz-acl ..., read as
 * their x-cos-* twins like an S3 request's headers; `acl` is the older name of `x-cos-acl`.
 */
function formHeaders(fields: Fields): Record<string, string | undefined> {
  const out = operationHeaders(Object.fromEntries(fields), false);
  out['x-cos-acl'] ??= fields.get('acl');
  return out;
}

/** Condition keys a bucket policy may test, from the form rather than the multipart request's headers. */
function formConditionKeys(fields: Fields): Map<string, readonly string[]> {
  const keys = new Map<string, readonly string[]>();
  const acl = fields.get('x-cos-acl') ?? fields.get('acl');
  if (acl !== undefined) keys.set('cos:x-cos-acl', [acl]);
  const type = fields.get('content-type');
  if (type !== undefined) keys.set('cos:content-type', [type]);
  const storageClass = fields.get('x-cos-storage-class');
  if (storageClass !== undefined) keys.set('cos:x-cos-storage-class', [storageClass]);
  const tagging = fields.get('x-cos-tagging');
  if (tagging !== undefined) keys.set('qcs:request_tag', tagConditionValues(parseTaggingHeader(tagging)));
  return keys;
}

function objectUrl(ctx: RequestContext, bucket: string, key: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  const host = ctx.headers['host'] ?? '';
  return ctx.route.style === 'virtual' ? `http://${host}/${path}` : `http://${host}/${bucket}/${path}`;
}

/** success_action_redirect (303, with bucket/key/etag appended), else success_action_status 200/201/204 (default 204) [doc]. */
function successReply(ctx: RequestContext, fields: Fields, record: ObjectRecord, sse: RequestedSse | undefined): Reply {
  const { bucket, key, etag } = record;
  const location = objectUrl(ctx, bucket, key);
  const headers = { etag, location, 'x-cos-hash-crc64ecma': record.crc64, ...sseReplyHeaders(record.encryption?.scheme, sse) };
  const redirect = fields.get('success_action_redirect');
  if (redirect) {
    const query = new URLSearchParams({ bucket, key, etag }).toString();
    return emptyReply(303, { ...headers, location: `${redirect}${redirect.includes('?') ? '&' : '?'}${query}` });
  }
  const status = fields.get('success_action_status');
  if (status === '201') return xmlReply(renderXml('PostResponse', { Location: location, Bucket: bucket, Key: key, ETag: etag }), 201, headers);
  // Any other value is ignored, as S3 does [recommended].
  return emptyReply(status === '200' ? 200 : 204, headers);
}

export const postObject = defineOperation({
  id: 'PostObject',
  // The caller is known only once the form's signature fields are read, so this operation both
  // authenticates and authorizes itself; an Authorization header plays no part.
  authenticate: 'self',
  authorize: 'self',
  needs: { bucket: 'optional' },
  async run(ctx, { bucket }) {
    const name = ctx.route.bucket ?? '';
    const form = await readFormUntilFile(ctx.body, ctx.req.headers, MAX_OBJECT_SIZE);
    try {
      const { fields, file } = form;
      if (!file) throw cosError('IncorrectNumberOfFilesInPostRequest', { detail: 'no part named file' });
      const policyField = fields.get('policy');
      const policy = policyField ? parsePostPolicy(policyField) : undefined;
      const caller = await formCaller(ctx, fields, policy);
      const identity = await ctx.identityOf(caller);
      const key = objectKey(fields, file);
      checkKey(key);
      if (policy) {
        checkExpiration(policy, ctx.now);
        // The demo policies of COS pin q-sign-time to the form's q-key-time, which is what the form sends.
        checkConditions(policy, (field) =>
          field === 'bucket' ? name : field === 'key' ? key : field === 'q-sign-time' ? (fields.get(field) ?? fields.get('q-key-time')) : fields.get(field),
        );
      }
      const allowedBy = ctx.authorize({
        action: 'name/cos:PostObject',
        bucket: ctx.bucketFacts(name, bucket),
        key,
        principal: caller.principal,
        conditions: formConditionKeys(fields),
        ...(identity && { identity }),
      });
      if (!bucket) throw cosError('NoSuchBucket');
      const headers = formHeaders(fields);
      const choice = aclFromHeaders(headers, 'object', bucket.ownerUin, ctx.dialect);
      const storageClass = requestedStorageClass(headers['x-cos-storage-class']);
      // The x-cos-tagging field, as PUT Object's header [doc: POST Object].
      const tags = requestedTags(headers);
      // The x-cos-server-side-encryption field (and the SSE-C ones), as PUT Object's headers [doc: POST Object].
      const sse = writeSse(headers, bucket);
      const range = policy && lengthRange(policy);
      const guard = sizeGuard(range?.min ?? 0, Math.min(range?.max ?? MAX_OBJECT_SIZE, MAX_OBJECT_SIZE));
      // busboy ends the file stream with an error when the body is cut short; the guard carries it
      // into the blob write, which then leaves nothing behind.
      file.stream.on('error', (error) => guard.destroy(error instanceof CosError ? error : cosError('MalformedPOSTRequest', { detail: error.message })));
      file.stream.on('limit', () => guard.destroy(cosError('EntityTooLarge')));
      // COS keeps the Content-Type field, not the MIME type the browser puts on the file part [doc].
      const record = await storeObject(
        ctx,
        { bucket: bucket.name, key, headers: storedHeadersFrom(headers, key), acl: choice?.kind === 'acl' ? choice.acl : undefined, storageClass, tags, seal: sealFor(ctx, sse) },
        file.stream.pipe(guard),
        {},
      );
      return { ...successReply(ctx, fields, record, sse), allowedBy };
    } catch (error) {
      form.discard();
      throw error;
    }
  },
});
