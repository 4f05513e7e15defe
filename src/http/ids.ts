// Request and trace ids in COS's shape: base64 of `<hex>_<hex>_<hex>_<hex>` (spec/api-common.md §2.2).
import { randomBytes, randomUUID } from 'node:crypto';

let counter = 0;
const instance = randomBytes(4).toString('hex');

/** Unique per process by its counter and per server start by its random instance part; no entropy drawn per request. */
export function newRequestId(now: number): string {
  counter = (counter + 1) % 0x100000000;
  return Buffer.from(`${Math.floor(now / 1000).toString(16)}_${instance}_${counter.toString(16)}_${process.pid.toString(16)}`).toString('base64');
}

/** randomUUID draws from a cached entropy pool, far cheaper than randomBytes per request. */
export function newTraceId(): string {
  return Buffer.from(randomUUID().replaceAll('-', '')).toString('base64');
}
