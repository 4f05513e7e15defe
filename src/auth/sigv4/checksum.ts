// The x-amz-checksum-* algorithms S3 clients send (headers or aws-chunked trailers), computed while the body streams.
import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
/** Each algorithm with the name of its header: looked up by name, not found by scanning every request header. */
export const CHECKSUM_HEADERS: ReadonlyArray<readonly [ChecksumAlgorithm, string]> = CHECKSUM_ALGORITHMS.map((a) => [a, `x-amz-checksum-${a}`]);

export interface Checksum {
  update(chunk: Buffer): void;
  /** Base64 of the big-endian digest, as the x-amz-checksum-* header carries it. */
  digest(): Promise<string>;
}

const crc32Bytes = (n: number): string => {
  // allocUnsafe: a slice of Node's shared pool, not an ArrayBuffer of its own for 4 bytes.
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(n >>> 0);
  return out.toString('base64');
};

/** CRC-32C has no native implementation in Node; @aws-crypto/crc32c is the AWS SDKs' own. */
function crc32cChecksum(): Checksum {
  const crc = new Crc32c();
  return { update: (c) => void crc.update(c), digest: async () => crc32Bytes(crc.digest()) };
}

/** zlib's native CRC-32 (Node >= 20.15; the polynomial of x-amz-checksum-crc32), ~40x faster than JavaScript's. */
function crc32Checksum(): Checksum {
  let value = 0;
  return { update: (c) => void (value = crc32(c, value)), digest: async () => crc32Bytes(value) };
}

export function newChecksum(algorithm: ChecksumAlgorithm): Checksum {
  switch (algorithm) {
    case 'crc32':
      return crc32Checksum();
    case 'crc32c':
      return crc32cChecksum();
    case 'crc64nvme': {
      const crc = new Crc64Nvme();
      return { update: (c) => crc.update(c), digest: async () => Buffer.from(await crc.digest()).toString('base64') };
    }
    default: {
      const hash = createHash(algorithm);
      return { update: (c) => void hash.update(c), digest: async () => hash.digest('base64') };
    }
  }
}

/** `x-amz-checksum-crc32` -> `crc32`; undefined for any other name. */
export function checksumAlgorithmOf(headerName: string): ChecksumAlgorithm | undefined {
  const name = headerName.trim().toLowerCase();
  if (!name.startsWith('x-amz-checksum-')) return undefined;
  const algorithm = name.slice('x-amz-checksum-'.length);
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm) ? (algorithm as ChecksumAlgorithm) : undefined;
}
