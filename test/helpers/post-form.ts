// Builds browser-style POST Object forms: a COS form policy signed as COS documents, and the multipart/form-data body.
import { createHmac, randomBytes } from 'node:crypto';
import { postSignature } from '../../src/auth/post-policy.ts';
import type { TestIdentity } from './server.ts';

export interface SignedPolicy {
  /** Form fields: policy (base64) and COS's q-sign-algorithm, q-ak, q-key-time, q-signature, or S3's AWSAccessKeyId, signature. */
  fields: Record<string, string>;
  /** The JSON text that was signed. */
  text: string;
}

/**
 * Signs a policy the way COS's demo server does (cos-js-sdk-v5 server/sts.js): the conditions pin
 * q-sign-algorithm, q-ak and q-sign-time (= the form's q-key-time) before the caller's own.
 */
export function signPolicy(identity: TestIdentity, conditions: unknown[], options: { expiresInSeconds?: number; now?: number } = {}): SignedPolicy {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const end = now + (options.expiresInSeconds ?? 900);
  const keyTime = `${now};${end}`;
  const text = JSON.stringify({
    expiration: new Date(end * 1000).toISOString(),
    conditions: [{ 'q-sign-algorithm': 'sha1' }, { 'q-ak': identity.secretId }, { 'q-sign-time': keyTime }, ...conditions],
  });
  return {
    text,
    fields: {
      policy: Buffer.from(text).toString('base64'),
      'q-sign-algorithm': 'sha1',
      'q-ak': identity.secretId,
      'q-key-time': keyTime,
      'q-signature': postSignature(identity.secretKey, keyTime, text),
    },
  };
}

/**
 * Signs a policy as S3 clients do with AWS Signature Version 2 (boto, s3-tests): fields AWSAccessKeyId,
 * policy (base64 JSON) and signature = base64 HMAC-SHA1(SecretKey, policy field).
 */
export function signPolicyV2(identity: TestIdentity, conditions: unknown[], expiration = new Date(Date.now() + 900_000).toISOString()): SignedPolicy {
  const text = JSON.stringify({ expiration, conditions });
  const policy = Buffer.from(text).toString('base64');
  const signature = createHmac('sha1', identity.secretKey).update(policy).digest('base64');
  return { text, fields: { AWSAccessKeyId: identity.secretId, policy, signature } };
}

export interface FormFileSpec {
  filename: string;
  content: Buffer | string;
  /** The MIME type a browser puts on the part (COS ignores it for the object's Content-Type). */
  type?: string;
}

/** A multipart/form-data body with the fields in order and the file last, as browsers send a COS form. */
export function multipartBody(fields: Record<string, string>, file?: FormFileSpec, after: Record<string, string> = {}): { body: Buffer; contentType: string } {
  const boundary = `----coslocalFormBoundary${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  const field = (name: string, value: string) =>
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const [name, value] of Object.entries(fields)) field(name, value);
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  for (const [name, value] of Object.entries(after)) field(name, value);
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
