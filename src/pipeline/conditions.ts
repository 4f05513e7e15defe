// The condition keys a policy may test (spec/policy.md §6.1), read from the request once.
import type { IncomingMessage } from 'node:http';

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; policies name them as a.b.c.d. */
const clientIp = (req: IncomingMessage): string => (req.socket.remoteAddress ?? '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

export function conditionKeys(
  req: IncomingMessage,
  headers: Readonly<Record<string, string | undefined>>,
  params: ReadonlyMap<string, string>,
): ReadonlyMap<string, readonly string[]> {
  const keys = new Map<string, readonly string[]>([
    ['qcs:ip', [clientIp(req)]],
    // coslocal speaks plain HTTP; a TLS-terminating proxy in front would have to say otherwise.
    ['cos:secure-transport', ['false']],
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
  return keys;
}
