// The one writer of COS error documents (Code, Message, extra fields, Resource, RequestId, TraceId), and of the website endpoint's error pages.
import { STATUS_CODES } from 'node:http';
import type { CosError } from '../errors/cos-error.ts';
import { XML_TYPE, type Reply } from './respond.ts';
import { escapeXml, renderXml } from './xml.ts';

/**
 * Every element is non-empty: the Python SDK's error digest fails as a whole if Code, Message,
 * Resource or RequestId is missing or empty (spec/api-common.md §3.1). Extra fields (ServerTime,
 * StringToSign, FormatString) sit between Message and Resource, as real COS writes them.
 */
export function errorReply(error: CosError, resource: string, requestId: string, traceId: string): Reply {
  const body: Record<string, string> = { Code: error.code, Message: error.message };
  for (const [name, value] of error.fields) body[name] = value;
  Object.assign(body, { Resource: resource || '/', RequestId: requestId, TraceId: traceId });
  return {
    status: error.status,
    headers: { 'content-type': XML_TYPE, ...error.headers },
    body: renderXml('Error', body),
  };
}

/**
 * The same error as a page, for the static website endpoint, whose callers are browsers: S3's website
 * endpoint answers with this shape of HTML (a heading, then Code, Message and RequestId as a list).
 */
export function errorPage(error: CosError, requestId: string): Reply {
  const title = `${error.status} ${STATUS_CODES[error.status] ?? ''}`.trim();
  const items = [`Code: ${error.code}`, `Message: ${error.message}`, `RequestId: ${requestId}`].map((item) => `<li>${escapeXml(item)}</li>`);
  return {
    status: error.status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...error.headers },
    body: `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n${items.join('\n')}\n</ul>\n<hr/>\n</body>\n</html>\n`,
  };
}
