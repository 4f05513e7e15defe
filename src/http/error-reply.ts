// The one writer of COS error documents: Code, Message, extra fields, Resource, RequestId, TraceId.
import type { CosError } from '../errors/cos-error.ts';
import { XML_TYPE, type Reply } from './respond.ts';
import { renderXml } from './xml.ts';

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
