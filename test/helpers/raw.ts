// A raw HTTP client for hand-made (optionally signed) requests, returning status, headers and the body text.
import { request } from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { authorization } from './sign.ts';
import type { TestIdentity } from './server.ts';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Header names exactly as the server wrote them (their case included), in order. */
  headerNames: string[];
  body: Buffer;
  text: string;
  /** The parsed XML body (root element included), or undefined when the body is not XML. */
  xml: Record<string, unknown> | undefined;
}

export interface RawRequest {
  method: string;
  /** Path on the wire (percent-encoded), with the query if any. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sign with this identity over these headers (names lower-cased), `host` included automatically. */
  signAs?: TestIdentity;
  /** Decoded path to sign; defaults to the decoded URL path. */
  signPath?: string;
  signWindow?: { start: number; end: number };
  /** Override the Host header. */
  host?: string;
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false });

const isXml = (type: string | undefined): boolean => type === undefined || /xml/i.test(type);

export function send(hostPort: string, r: RawRequest): Promise<RawResponse> {
  const [hostname = '127.0.0.1', port = '80'] = hostPort.split(':');
  const headers: Record<string, string> = { host: r.host ?? hostPort, ...r.headers };
  if (r.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
  if (r.signAs) {
    const [rawPath = '/', rawQuery = ''] = r.url.split('?', 2);
    const query = new URLSearchParams(rawQuery);
    headers['authorization'] = authorization({
      secretId: r.signAs.secretId,
      secretKey: r.signAs.secretKey,
      method: r.method,
      path: r.signPath ?? decodeURIComponent(rawPath),
      query: [...query.entries()],
      headers: Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'authorization')),
      ...(r.signWindow && { start: r.signWindow.start, end: r.signWindow.end }),
    });
  }
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: Number(port), method: r.method, path: r.url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          headerNames: res.rawHeaders.filter((_, i) => i % 2 === 0),
          body,
          text,
          // Only XML replies are parsed: an object's bytes may happen to start with '<'.
          xml: isXml(res.headers['content-type']) && text.startsWith('<') ? (parser.parse(text) as Record<string, unknown>) : undefined,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/**
 * Sends an absolute URL (a presigned URL names the bucket's real COS host) to coslocal with that host
 * as the Host header, as a DNS entry pointing the name at coslocal would.
 */
export function sendUrl(hostPort: string, url: string, r: Omit<RawRequest, 'url' | 'host'> = { method: 'GET' }): Promise<RawResponse> {
  const { host, pathname, search } = new URL(url);
  return send(hostPort, { ...r, url: `${pathname}${search}`, host });
}

/** The <Error> element of an error response, as strings. */
export function errorOf(res: RawResponse): Record<string, string> {
  const error = res.xml?.['Error'];
  if (!error || typeof error !== 'object') throw new Error(`not an error document (${res.status}): ${res.text}`);
  return error as Record<string, string>;
}
