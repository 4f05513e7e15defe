// Request and trace ids in COS's shape: base64 of `<hex>_<hex>_<hex>_<hex>` (spec/api-common.md §2.2).
import { randomBytes } from 'node:crypto';

let counter = 0;
const instance = randomBytes(4).toString('hex');

export function newRequestId(now: number): string {
  counter = (counter + 1) % 0x1000000;
  const raw = `${Math.floor(now / 1000).toString(16)}_${instance}_${counter.toString(16)}_${randomBytes(3).toString('hex')}`;
  return Buffer.from(raw).toString('base64');
}

export function newTraceId(): string {
  return Buffer.from(randomBytes(24).toString('hex')).toString('base64');
}
