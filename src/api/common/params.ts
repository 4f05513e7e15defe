// Typed readers for query parameters, headers and small request documents shared by several operations.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { cosError } from '../../errors/cos-error.ts';
import { readSmallBody } from '../../http/small-body.ts';

/** An integer query parameter within [min, max]; absent gives the default, too large is clamped to max. */
export function intParam(params: ReadonlyMap<string, string>, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw cosError('InvalidArgument', { message: `Invalid ${name}: ${raw}` });
  const value = Number(raw);
  if (value < min) throw cosError('InvalidArgument', { message: `Invalid ${name}: ${raw}` });
  return Math.min(value, max);
}

/** encoding-type accepts only `url`. */
export function encodingType(params: ReadonlyMap<string, string>): 'url' | undefined {
  const value = params.get('encoding-type');
  if (value === undefined || value === '') return undefined;
  if (value !== 'url') throw cosError('InvalidArgument', { message: `Invalid encoding-type: ${value}` });
  return 'url';
}

/** Content-MD5 must be base64 of 16 bytes (spec/signature.md §5 step 9). */
export function contentMd5(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = headers['content-md5'];
  if (value === undefined || value === '') return undefined;
  if (!/^[A-Za-z0-9+/]{22}==$/.test(value)) throw cosError('InvalidDigest', { detail: `Content-MD5 ${value}` });
  return value;
}

/** Content-Length as a number, or undefined for chunked bodies. */
export function contentLength(headers: Readonly<Record<string, string | undefined>>): number | undefined {
  const value = headers['content-length'];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw cosError('InvalidArgument', { message: 'Invalid Content-Length' });
  return Number(value);
}

/** A small request document, capped at limit and checked against Content-MD5 when one is sent. */
export async function readCheckedBody(req: IncomingMessage, headers: Readonly<Record<string, string | undefined>>, limit: number): Promise<Buffer> {
  const body = await readSmallBody(req, limit);
  const md5 = contentMd5(headers);
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) throw cosError('BadDigest');
  return body;
}
