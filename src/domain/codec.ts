// How a stored document (a bucket setting, an ACL) becomes its typed value and back.

/** encode(decode(text)) need not return text byte for byte, but decode(encode(value)) is value. */
export interface DocumentCodec<T> {
  encode(value: T): string;
  /** Throws on text it cannot read (a store refuses to keep such a document). */
  decode(text: string): T;
}

/** Text kept as written (a bucket policy: GET Bucket policy returns what its owner wrote). */
export const TEXT_CODEC: DocumentCodec<string> = { encode: (text) => text, decode: (text) => text };

/** JSON of a value validated before it was encoded; frozen, since a decoded document is shared by every reader. */
export function jsonCodec<T>(): DocumentCodec<T> {
  return { encode: (value) => JSON.stringify(value), decode: (text) => Object.freeze(JSON.parse(text) as T) };
}
