// `host:port` for URLs and the SDKs' `Ip` option; an IPv6 address goes in brackets (RFC 3986 §3.2.2).
import { isIPv6 } from 'node:net';

export function hostPort(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}
