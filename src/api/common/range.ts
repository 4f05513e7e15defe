// Parses a single-range `Range: bytes=...` header against an object size (RFC 7233).
import { cosError } from '../../errors/cos-error.ts';
import type { ByteRange } from '../../storage/blobs.ts';

/**
 * Undefined means "send the whole object": no header, a syntax we do not understand, or several
 * ranges (RFC 7233 lets a server ignore Range). A well-formed range that misses the object is 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1] ?? '', match[2] ?? ''];
  const unsatisfiable = () => cosError('InvalidRange', { headers: { 'content-range': `bytes */${size}` } });
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) throw unsatisfiable();
  return { start, end };
}
