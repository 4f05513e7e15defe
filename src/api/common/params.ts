// Typed readers for query parameters, headers and small request documents shared by several operations.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { cosError } from '../../errors/cos-error.ts';
import { readSmallBody } from '../../http/small-body.ts';
import { isXmlText } from '../../http/xml.ts';
import { urlEncodeName } from './xml-shapes.ts';

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

/**
 * Content-MD5 must be base64 of 16 bytes (spec/signature.md §5 step 9); an empty one is not absent but
 * InvalidDigest, as S3 answers (ceph s3-tests test_object_create_bad_md5_empty).
 */
export function contentMd5(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = headers['content-md5'];
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9+/]{22}==$/.test(value)) throw cosError('InvalidDigest', { detail: `Content-MD5 ${value}` });
  return value;
}

/**
 * Checks a small in-memory body against its Content-MD5: BadDigest on mismatch; when `required`
 * (PUT Bucket cors documents the header as part of the request), MissingContentMD5 without one.
 */
export function checkBodyMd5(headers: Readonly<Record<string, string | undefined>>, body: Buffer, required: boolean): void {
  const md5 = contentMd5(headers);
  if (md5 === undefined) {
    if (required) throw cosError('MissingContentMD5');
    return;
  }
  if (createHash('md5').update(body).digest('base64') !== md5) throw cosError('BadDigest');
}

/** Content-Length as a number, or undefined for chunked bodies. */
export function contentLength(headers: Readonly<Record<string, string | undefined>>): number | undefined {
  const value = headers['content-length'];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw cosError('InvalidArgument', { message: 'Invalid Content-Length' });
  return Number(value);
}

/**
 * A small request document, capped at limit and checked against Content-MD5 when one is sent (or
 * required: MissingContentMD5 without one).
 */
export async function readCheckedBody(
  body: Readable,
  headers: Readonly<Record<string, string | undefined>>,
  limit: number,
  md5Required = false,
): Promise<Buffer> {
  const document = await readSmallBody(body, headers, limit);
  checkBodyMd5(headers, document, md5Required);
  return document;
}

/** The parameters every listing shares: prefix, one-character delimiter, a page limit, encoding-type. */
export interface ListingParams {
  prefix: string;
  delimiter: string;
  limit: number;
  /** What encoding-type asked for; nameEncoding decides what a page uses. */
  encoding: 'url' | undefined;
}

export interface NameEncoding {
  /** The listing's EncodingType element. */
  encoding: 'url' | undefined;
  /** Renders a key, prefix or marker. */
  name: (s: string) => string;
}

const URL_NAMES: NameEncoding = { encoding: 'url', name: urlEncodeName };
const PLAIN_NAMES: NameEncoding = { encoding: undefined, name: (s) => s };

/**
 * How a listing renders the names it carries. As encoding-type asks; without it, a name holding a
 * character XML 1.0 cannot carry at all (U+0001: not even as `&#1;`) would make the whole document
 * unparseable (Python's expat refuses it). S3 sends such invalid XML, which is why boto3 and
 * cos-python-sdk-v5 always ask for encoding-type=url; coslocal url-encodes that page's names instead
 * and says so in EncodingType, so a client that did not ask still gets XML it can parse, and can tell.
 */
export function nameEncoding(requested: 'url' | undefined, names: Iterable<string>): NameEncoding {
  if (requested === 'url') return URL_NAMES;
  for (const name of names) if (!isXmlText(name)) return URL_NAMES;
  return PLAIN_NAMES;
}

export function listingParams(params: ReadonlyMap<string, string>, limit: { name: string; max: number; min: number }): ListingParams {
  const delimiter = params.get('delimiter') ?? '';
  if ([...delimiter].length > 1) throw cosError('InvalidDelimiter');
  return {
    prefix: params.get('prefix') ?? '',
    delimiter,
    limit: intParam(params, limit.name, limit.max, limit.min, limit.max),
    encoding: encodingType(params),
  };
}
