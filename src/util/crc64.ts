// CRC-64/ECMA-182 as COS reports it in x-cos-hash-crc64ecma (same as CRC-64/XZ: reflected, init and xorout all ones).
//
// Slicing-by-16 in a small WebAssembly function assembled below: WebAssembly has native 64-bit
// integers and unchecked table loads, so it runs well ahead of the same algorithm in JavaScript
// (~1.1 GB/s of CPU time here); with the byte extraction and xor order below it reaches ~3.2 GB/s
// (was ~1.9 GB/s), and a large PUT computes this for every byte. No compiler or third-party binary is
// involved: the module is the ~50 instructions below.

const POLY = 0xc96c5795d7870f42n; // reflected polynomial
const SLICES = 16;
const TABLE_BYTES = SLICES * 256 * 8;
const PAGE = 65536;
/** Input is copied into linear memory after the tables, at most this much per call. */
const DATA_AT = TABLE_BYTES;
const PAGES = 5;
const ROOM = PAGES * PAGE - DATA_AT;

// --- A minimal WebAssembly encoder, just what one function needs. ---
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => [...uleb(text.length), ...Buffer.from(text, 'latin1')];

const I32 = 0x7f;
const I64 = 0x7e;
/** Signed LEB128, as i32.const takes its operand. */
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (local: number) => [0x20, local],
  set: (local: number) => [0x21, local],
  i32: (value: number) => [0x41, ...sleb(value)],
  i64: (value: number) => [0x42, ...sleb(value)],
  i32Load: (offset: number) => [0x28, 2, ...uleb(offset)],
  i64Load: (offset: number) => [0x29, 3, ...uleb(offset)],
  i32Load8u: [0x2d, 0, 0],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  i32And: [0x71],
  i32Xor: [0x73],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  i64Xor: [0x85],
  i64ShrU: [0x88],
  wrap: [0xa7],
};

// update(crc: i64, at: i32, length: i32) -> i64, crc being the register before the final xor.
const CRC = 0;
const AT = 1;
const LENGTH = 2;
const BULK_END = 3;
const END = 4;
/** The 16 bytes of a step as four little-endian i32 words, the first two xored with the register. */
const W = [5, 6, 7, 8];

/**
 * Table `table`'s entry for byte `k` (0..3) of the i32 in `local`: i64.load(table*2048 + byte*8).
 * The byte offset comes out of one shift and one mask (the byte lands directly at bits 3..10), which
 * is what makes this kernel ~1.6x the speed of extracting each byte from an i64.
 */
const lookup = (local: number, k: number, table: number): number[] => [
  ...op.get(local),
  ...(k === 0 ? [...op.i32(3), ...op.i32Shl] : [...op.i32(8 * k - 3), ...op.i32ShrU]),
  ...op.i32(0x7f8),
  ...op.i32And,
  ...op.i64Load(table * 2048),
];

// Byte j of the 16 is followed by 15 - j more, so it uses table 15 - j. Bytes 8..15 do not depend on the
// register: their lookups are xored first, in a chain the CPU runs ahead of time. Bytes 0..7 wait for
// the previous step's register, so they are xored as a tree (depth 3, not 8) to keep the step-to-step
// dependency chain short: it, not the number of instructions, bounds the speed.
const byte = (j: number): number[] => lookup(W[j >> 2]!, j & 3, 15 - j);
const fold16: number[] = [];
for (let j = 8; j < 16; j++) fold16.push(...byte(j), ...(j > 8 ? op.i64Xor : []));
const tree = (from: number, count: number): number[] =>
  count === 1 ? byte(from) : [...tree(from, count / 2), ...tree(from + count / 2, count / 2), ...op.i64Xor];
fold16.push(...tree(0, 8), ...op.i64Xor);

const body = [
  ...vec([[6, I32]]), // BULK_END, END, W0..W3
  // END = at + length; BULK_END = at + (length & ~15)
  ...op.get(AT), ...op.get(LENGTH), ...op.i32Add, ...op.set(END),
  ...op.get(AT), ...op.get(LENGTH), ...op.i32(-16), ...op.i32And, ...op.i32Add, ...op.set(BULK_END),
  ...op.block, ...op.loop,
  ...op.get(AT), ...op.get(BULK_END), ...op.i32GeU, ...op.brIf(1),
  // W0..W1 = the register ^ the first 8 bytes (little-endian), W2..W3 = the next 8
  ...op.get(CRC), ...op.wrap, ...op.get(AT), ...op.i32Load(0), ...op.i32Xor, ...op.set(W[0]!),
  ...op.get(CRC), ...op.i64(32), ...op.i64ShrU, ...op.wrap, ...op.get(AT), ...op.i32Load(4), ...op.i32Xor, ...op.set(W[1]!),
  ...op.get(AT), ...op.i32Load(8), ...op.set(W[2]!),
  ...op.get(AT), ...op.i32Load(12), ...op.set(W[3]!),
  ...fold16, ...op.set(CRC),
  ...op.get(AT), ...op.i32(16), ...op.i32Add, ...op.set(AT),
  ...op.br(0), ...op.end, ...op.end,
  // The remaining 0..15 bytes one at a time: crc = T0[(crc ^ byte) & 0xff] ^ (crc >> 8)
  ...op.block, ...op.loop,
  ...op.get(AT), ...op.get(END), ...op.i32GeU, ...op.brIf(1),
  ...op.get(CRC), ...op.wrap, ...op.get(AT), ...op.i32Load8u, ...op.i32Xor, ...op.set(W[0]!),
  ...lookup(W[0]!, 0, 0), ...op.get(CRC), ...op.i64(8), ...op.i64ShrU, ...op.i64Xor, ...op.set(CRC),
  ...op.get(AT), ...op.i32(1), ...op.i32Add, ...op.set(AT),
  ...op.br(0), ...op.end, ...op.end,
  ...op.get(CRC),
  ...op.end,
];

const moduleBytes = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, vec([[0x60, ...vec([[I64], [I32], [I32]]), ...vec([[I64]])]])), // type: (i64, i32, i32) -> i64
  ...section(3, vec([[0]])), // function 0 has type 0
  ...section(5, vec([[0x00, PAGES]])), // memory: PAGES pages, fixed
  ...section(7, vec([[...name('update'), 0x00, 0], [...name('memory'), 0x02, 0]])),
  ...section(10, vec([[...uleb(body.length), ...body]])),
]);

const kernelModule = new WebAssembly.Module(moduleBytes);
const instance = new WebAssembly.Instance(kernelModule);
const wasmUpdate = instance.exports['update'] as (crc: bigint, at: number, length: number) => bigint;
const memory = new Uint8Array((instance.exports['memory'] as WebAssembly.Memory).buffer);

// Table k holds the CRC of byte n followed by k zero bytes, as little-endian u64 at (k * 256 + n) * 8.
{
  const view = new DataView(memory.buffer);
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let bit = 0; bit < 8; bit++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
    view.setBigUint64(n * 8, c, true);
  }
  for (let k = 1; k < SLICES; k++) {
    for (let n = 0; n < 256; n++) {
      const previous = view.getBigUint64(((k - 1) * 256 + n) * 8, true);
      const folded = view.getBigUint64(Number(previous & 0xffn) * 8, true) ^ (previous >> 8n);
      view.setBigUint64((k * 256 + n) * 8, folded, true);
    }
  }
}

/**
 * What another thread needs to run this kernel itself (hash workers, storage/hash/hash-pool.ts): the
 * compiled module (it can be posted to a worker) and the tables to copy into its memory at 0. Such a
 * thread updates as Crc64.update does: input copied to `dataAt`, at most `room` bytes per call.
 */
export interface Crc64Kernel {
  module: WebAssembly.Module;
  tables: Uint8Array;
  dataAt: number;
  room: number;
}

export const crc64Kernel = (): Crc64Kernel => ({ module: kernelModule, tables: memory.slice(0, TABLE_BYTES), dataAt: DATA_AT, room: ROOM });

export class Crc64 {
  // Register before the final xor; starts as all ones (-1 as a signed i64).
  #crc = -1n;

  update(chunk: Uint8Array): void {
    // Each call copies into the module's memory; updates are synchronous, so instances never interleave.
    for (let at = 0; at < chunk.length; at += ROOM) {
      const part = chunk.subarray(at, at + ROOM);
      memory.set(part, DATA_AT);
      this.#crc = wasmUpdate(this.#crc, DATA_AT, part.length);
    }
  }

  /** Unsigned decimal string, as COS sends it. Does not reset; more updates may follow. */
  digest(): string {
    return BigInt.asUintN(64, ~this.#crc).toString();
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
    let op: bigint[] = [POLY];
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
