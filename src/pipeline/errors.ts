// The reply to a failed request: its COS error document (none on HEAD or 304), or a cut connection mid-body.
import type { ServerResponse } from 'node:http';
import type { ApiDialect } from '../domain/api-dialect.ts';
import { CosError, cosError } from '../errors/cos-error.ts';
import { errorPage, errorReply } from '../http/error-reply.ts';
import { logFailure } from '../http/log.ts';
import { emptyReply, sendReply, type Reply, type ResponseIds } from '../http/respond.ts';
import type { OperationId } from '../routing/operations.ts';
import type { HandlerDeps } from './deps.ts';

export interface FailedRequest {
  ids: ResponseIds;
  host: string;
  rawPath: string;
  isHead: boolean;
  op: OperationId | undefined;
  dialect: ApiDialect;
  /** A request to a static website endpoint: browsers get an HTML page. */
  website: boolean;
  cors?: Record<string, string>;
}

export async function sendError(deps: Pick<HandlerDeps, 'log' | 'outOfDescriptors'>, res: ServerResponse, error: unknown, c: FailedRequest): Promise<void> {
  logFailure(deps.log, error, { reqId: c.ids.requestId, op: c.op }, res.req.socket.destroyed, deps.outOfDescriptors);
  if (res.headersSent) {
    // Mid-body failure: the only honest signal left is to cut the connection.
    res.destroy();
    return;
  }
  // Anything not a CosError is ours: the caller learns no more than InternalError, the log has the rest.
  const failure = error instanceof CosError ? error : cosError('InternalError');
  const plain: Reply =
    failure.status === 304 || c.isHead
      ? emptyReply(failure.status, { ...failure.headers })
      : c.website
        ? errorPage(failure, c.ids.requestId)
        : errorReply(failure, `${c.host}${c.rawPath}`, c.ids.requestId, c.ids.traceId);
  const reply: Reply = c.cors ? { ...plain, headers: { ...plain.headers, ...c.cors } } : plain;
  try {
    await sendReply(res, reply, c.ids, c.isHead, c.dialect);
  } catch {
    res.destroy();
  }
}
