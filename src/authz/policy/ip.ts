// IPv4/IPv6 addresses and CIDR blocks as bigints, for ip_equal / ip_not_equal (spec/policy.md §6). No RegExp.

export interface IpAddress {
  readonly v6: boolean;
  readonly value: bigint;
}

export interface Cidr {
  readonly v6: boolean;
  readonly network: bigint;
  readonly mask: bigint;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return undefined;
    for (const c of p) if (c < '0' || c > '9') return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out = (out << 8n) | BigInt(n);
  }
  return out;
}

const isHex = (c: string): boolean => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/** Hex groups (an embedded dotted IPv4 tail counts as two), or undefined if malformed. */
function groups(s: string): number[] | undefined {
  if (s === '') return [];
  const out: number[] = [];
  const parts = s.split(':');
  for (const [i, p] of parts.entries()) {
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseV4(p);
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      continue;
    }
    if (p.length === 0 || p.length > 4) return undefined;
    for (const c of p) if (!isHex(c)) return undefined;
    out.push(Number.parseInt(p, 16));
  }
  return out;
}

function parseV6(s: string): bigint | undefined {
  const zone = s.indexOf('%');
  const text = zone >= 0 ? s.slice(0, zone) : s;
  const gap = text.indexOf('::');
  let all: number[];
  if (gap >= 0) {
    if (text.indexOf('::', gap + 1) >= 0) return undefined;
    const left = groups(text.slice(0, gap));
    const right = groups(text.slice(gap + 2));
    if (!left || !right || left.length + right.length > 7) return undefined;
    all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    const g = groups(text);
    if (!g || g.length !== 8) return undefined;
    all = g;
  }
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Parses an address; IPv4-mapped IPv6 (`::ffff:a.b.c.d`, what dual-stack sockets report) becomes IPv4. */
export function parseIp(s: string): IpAddress | undefined {
  if (!s.includes(':')) {
    const v4 = parseV4(s);
    return v4 === undefined ? undefined : { v6: false, value: v4 };
  }
  const v6 = parseV6(s);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { v6: false, value: v6 & 0xffffffffn };
  return { v6: true, value: v6 };
}

/** `a.b.c.d/n`, `x::y/n`, or a single address (a /32 or /128). Host bits are ignored. */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  const addr = parseIp(slash >= 0 ? s.slice(0, slash) : s);
  if (!addr) return undefined;
  const mapped = s.includes(':') && !addr.v6;
  const width = addr.v6 ? 128 : 32;
  let bits = width;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (p.length === 0 || p.length > 3) return undefined;
    for (const c of p) if (c < '0' || c > '9') return undefined;
    // A mapped prefix is written against 128 bits (`::ffff:10.0.0.0/104`).
    bits = Number(p) - (mapped ? 96 : 0);
    if (bits < 0 || bits > width) return undefined;
  }
  const full = (1n << BigInt(width)) - 1n;
  const mask = full ^ ((1n << BigInt(width - bits)) - 1n);
  return { v6: addr.v6, network: addr.value & mask, mask };
}

export const cidrContains = (c: Cidr, a: IpAddress): boolean => c.v6 === a.v6 && (a.value & c.mask) === c.network;
