// CRC-64/ECMA-182 as COS reports it in x-cos-hash-crc64ecma (same as CRC-64/XZ: reflected, init and xorout all ones).
//
// Pure TypeScript, slicing-by-16. The 64-bit register is kept as two uint32 halves
// because BigInt arithmetic in the per-byte loop is two orders of magnitude slower.
// The `!` on typed-array reads only satisfies noUncheckedIndexedAccess: every index is in range.

// Reflected polynomial 0xC96C5795D7870F42, split into halves.
const POLY_LO = 0xd7870f42;
const POLY_HI = 0xc96c5795;

// Table k holds the CRC of byte n followed by k zero bytes, at [k * 256 + n],
// so 16 input bytes can be folded with 16 independent lookups.
const SLICES = 16;
const T_LO = new Uint32Array(SLICES * 256);
const T_HI = new Uint32Array(SLICES * 256);

for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let bit = 0; bit < 8; bit++) {
    const mask = -(lo & 1); // all ones when the low bit is set
    lo = ((lo >>> 1) | (hi << 31)) ^ (POLY_LO & mask);
    hi = (hi >>> 1) ^ (POLY_HI & mask);
  }
  T_LO[n] = lo;
  T_HI[n] = hi;
}
for (let k = 1; k < SLICES; k++) {
  for (let n = 0; n < 256; n++) {
    const lo = T_LO[(k - 1) * 256 + n]!;
    const hi = T_HI[(k - 1) * 256 + n]!;
    const x = lo & 0xff;
    T_LO[k * 256 + n] = ((lo >>> 8) | (hi << 24)) ^ T_LO[x]!;
    T_HI[k * 256 + n] = (hi >>> 8) ^ T_HI[x]!;
  }
}

export class Crc64 {
  // Register before the final xor; starts as all ones.
  #lo = 0xffffffff;
  #hi = 0xffffffff;

  update(chunk: Uint8Array): void {
    let lo = this.#lo;
    let hi = this.#hi;
    const d = chunk;
    const len = d.length;
    const bulkEnd = len - (len & 15);
    let i = 0;

    for (; i < bulkEnd; i += 16) {
      // Bytes are assembled little-endian by hand (not via a Uint32Array view) so the
      // result does not depend on host byte order or on the chunk's byteOffset alignment.
      const a = lo ^ (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24));
      const b = hi ^ (d[i + 4]! | (d[i + 5]! << 8) | (d[i + 6]! << 16) | (d[i + 7]! << 24));
      const c = d[i + 8]! | (d[i + 9]! << 8) | (d[i + 10]! << 16) | (d[i + 11]! << 24);
      const e = d[i + 12]! | (d[i + 13]! << 8) | (d[i + 14]! << 16) | (d[i + 15]! << 24);

      // The earliest byte is followed by 15 more, so it uses table 15; the last uses table 0.
      const j0 = 15 * 256 + (a & 0xff);
      const j1 = 14 * 256 + ((a >>> 8) & 0xff);
      const j2 = 13 * 256 + ((a >>> 16) & 0xff);
      const j3 = 12 * 256 + (a >>> 24);
      const j4 = 11 * 256 + (b & 0xff);
      const j5 = 10 * 256 + ((b >>> 8) & 0xff);
      const j6 = 9 * 256 + ((b >>> 16) & 0xff);
      const j7 = 8 * 256 + (b >>> 24);
      const j8 = 7 * 256 + (c & 0xff);
      const j9 = 6 * 256 + ((c >>> 8) & 0xff);
      const j10 = 5 * 256 + ((c >>> 16) & 0xff);
      const j11 = 4 * 256 + (c >>> 24);
      const j12 = 3 * 256 + (e & 0xff);
      const j13 = 2 * 256 + ((e >>> 8) & 0xff);
      const j14 = 1 * 256 + ((e >>> 16) & 0xff);
      const j15 = e >>> 24;

      lo =
        T_LO[j0]! ^ T_LO[j1]! ^ T_LO[j2]! ^ T_LO[j3]! ^ T_LO[j4]! ^ T_LO[j5]! ^ T_LO[j6]! ^ T_LO[j7]! ^
        T_LO[j8]! ^ T_LO[j9]! ^ T_LO[j10]! ^ T_LO[j11]! ^ T_LO[j12]! ^ T_LO[j13]! ^ T_LO[j14]! ^ T_LO[j15]!;
      hi =
        T_HI[j0]! ^ T_HI[j1]! ^ T_HI[j2]! ^ T_HI[j3]! ^ T_HI[j4]! ^ T_HI[j5]! ^ T_HI[j6]! ^ T_HI[j7]! ^
        T_HI[j8]! ^ T_HI[j9]! ^ T_HI[j10]! ^ T_HI[j11]! ^ T_HI[j12]! ^ T_HI[j13]! ^ T_HI[j14]! ^ T_HI[j15]!;
    }

    // Remaining 0..15 bytes, one at a time.
    for (; i < len; i++) {
      const x = (lo ^ d[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T_LO[x]!;
      hi = (hi >>> 8) ^ T_HI[x]!;
    }

    this.#lo = lo;
    this.#hi = hi;
  }

  /** Unsigned decimal string, as COS sends it. Does not reset; more updates may follow. */
  digest(): string {
    // The value can exceed 2^53, so compose it as a BigInt (once, outside the hot loop).
    const lo = ~this.#lo >>> 0;
    const hi = ~this.#hi >>> 0;
    return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  }
}

export function crc64(data: Uint8Array): string {
  const c = new Crc64();
  c.update(data);
  return c.digest();
}

// Combining CRCs (zlib's crc32_combine, for this polynomial): the CRC of A‖B from crc(A), crc(B) and
// len(B). Appending a zero bit to the register is a linear map over GF(2), a 64x64 bit matrix (one
// bigint per column); appending 2^k zero bytes is that matrix squared 3+k times. The powers are
// computed once and shared, so one combine costs at most ~43 matrix-vector products however long B is.

const MASK64 = 0xffffffffffffffffn;

function gf2Times(matrix: readonly bigint[], vector: bigint): bigint {
  let sum = 0n;
  for (let i = 0; vector !== 0n; i++, vector >>= 1n) if (vector & 1n) sum ^= matrix[i]!;
  return sum;
}

const gf2Square = (matrix: readonly bigint[]): bigint[] => matrix.map((column) => gf2Times(matrix, column));

/** ZERO_BYTES[k] appends 2^k zero bytes to a (finalized) CRC register. */
const ZERO_BYTES: bigint[][] = [];

function zeroBytesOperator(k: number): readonly bigint[] {
  if (ZERO_BYTES.length === 0) {
    // One zero bit: shift right, folding in the reflected polynomial when the low bit falls out.
    let op: bigint[] = [(BigInt(POLY_HI) << 32n) | BigInt(POLY_LO)];
    for (let n = 1; n < 64; n++) op.push(1n << BigInt(n - 1));
    for (let bits = 0; bits < 3; bits++) op = gf2Square(op); // 8 zero bits
    ZERO_BYTES.push(op);
  }
  while (ZERO_BYTES.length <= k) ZERO_BYTES.push(gf2Square(ZERO_BYTES[ZERO_BYTES.length - 1]!));
  return ZERO_BYTES[k]!;
}

/** crc64(A‖B) given crc64(A), crc64(B) (decimal strings, as Crc64.digest gives them) and B's length in bytes. */
export function crc64Combine(crcA: string, crcB: string, lengthB: number): string {
  let crc = BigInt(crcA) & MASK64;
  // lengthB can pass 2^32 (parts are up to 5 GB), so walk its bits arithmetically, not with >>>.
  for (let k = 0, rest = lengthB; rest > 0; k++, rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) crc = gf2Times(zeroBytesOperator(k), crc);
  }
  return (crc ^ (BigInt(crcB) & MASK64)).toString();
}
