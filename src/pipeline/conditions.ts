// The condition keys a policy may test (spec/policy.md §6.1), read from the request once.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { cidrContains, parseIp, type Cidr } from '../authz/policy/ip.ts';
import { parseTaggingHeader, tagConditionValues } from '../domain/tagging.ts';

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; policies name them as a.b.c.d. */
const plainIp = (address: string): string => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

const isTrusted = (address: string, trusted: readonly Cidr[]): boolean => {
  const ip = parseIp(address);
  return ip !== undefined && trusted.some((cidr) => cidrContains(cidr, ip));
};

/** Where the request came from and whether it came over TLS, believing X-Forwarded-* from trusted proxies only. */
export function requestOrigin(
  req: IncomingMessage,
  headers: Readonly<Record<string, string | undefined>>,
  trusted: readonly Cidr[],
): { ip: string; secure: boolean } {
  const peer = plainIp(req.socket.remoteAddress ?? '');
  const tls = (req.socket as Partial<TLSSocket>).encrypted === true;
  if (!isTrusted(peer, trusted)) return { ip: peer, secure: tls };
  // Each proxy appends the address it was connected from: the client is the right-most one no trusted proxy holds.
  const chain = (headers['x-forwarded-for'] ?? '').split(',').map((a) => plainIp(a.trim())).filter(Boolean);
  let ip = peer;
  // How many entries from the right the client's is: proxies append to both headers alike, so the
  // client's protocol sits as far from the right of X-Forwarded-Proto. Entries further left are the
  // client's own to forge (an https it never used), so the left-most is never believed.
  let fromRight = 0;
  for (let i = chain.length - 1; i >= 0; i--) {
    ip = chain[i] ?? ip;
    fromRight = chain.length - 1 - i;
    if (!isTrusted(ip, trusted)) break;
  }
  const protos = headers['x-forwarded-proto']?.split(',').map((p) => p.trim().toLowerCase());
  const proto = protos?.[protos.length - 1 - fromRight];
  return { ip, secure: proto === undefined ? tls : proto === 'https' };
}

export function conditionKeys(
  origin: { ip: string; secure: boolean },
  headers: Readonly<Record<string, string | undefined>>,
  params: ReadonlyMap<string, string>,
): ReadonlyMap<string, readonly string[]> {
  const keys = new Map<string, readonly string[]>([
    ['qcs:ip', [origin.ip]],
    ['cos:secure-transport', [String(origin.secure)]],
  ]);
  const add = (key: string, value: string | undefined): void => {
    if (value !== undefined) keys.set(key, [value]);
  };
  add('cos:prefix', params.get('prefix'));
  add('cos:versionid', params.get('versionId'));
  add('cos:x-cos-acl', headers['x-cos-acl']);
  add('cos:content-type', headers['content-type']);
  add('cos:content-length', headers['content-length']);
  add('cos:x-cos-storage-class', headers['x-cos-storage-class']);
  // The tags a write asks for (PutBucket, PutObject, copies, Initiate Multipart Upload), one value per tag.
  const tagging = headers['x-cos-tagging'];
  if (tagging !== undefined) keys.set('qcs:request_tag', tagConditionValues(parseTaggingHeader(tagging)));
  return keys;
}
