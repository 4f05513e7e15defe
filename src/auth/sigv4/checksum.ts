// The x-amz-checksum-* algorithms S3 clients send (headers or aws-chunked trailers), computed while the body streams.
import { Crc32 } from '@aws-crypto/crc32';
import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { createHash } from 'node:crypto';

export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface Checksum {
  update(chunk: Buffer): void;
  /** Base64 of the big-endian digest, as the x-amz-checksum-* header carries it. */
  digest(): Promise<string>;
}

const crc32Bytes = (n: number): string => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out.toString('base64');
};

export function newChecksum(algorithm: ChecksumAlgorithm): Checksum {
  switch (algorithm) {
    case 'crc32':
    case 'crc32c': {
      const crc = algorithm === 'crc32' ? new Crc32() : new Crc32c();
      return { update: (c) => void crc.update(c), digest: async () => crc32Bytes(crc.digest()) };
    }
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
