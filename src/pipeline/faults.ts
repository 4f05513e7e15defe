// Where an injected fault (admin/faults.ts, --test-controls) meets a request: after routing and
// authentication, before anything is loaded or run, so a faulted request changes nothing.
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultEffect } from '../admin/faults.ts';
import { cosError } from '../errors/cos-error.ts';

/**
 * Throws the fault's COS error (rendered like any other, RequestId included), cuts the connection, or
 * waits. Resolves true when the request goes on, false when there is no one left to answer.
 */
export async function injectFault(effect: FaultEffect, req: IncomingMessage): Promise<boolean> {
  switch (effect.kind) {
    case 'error':
      throw cosError(effect.code, { status: effect.status, detail: 'injected fault (--test-controls)' });
    case 'drop':
      req.socket.destroy();
      return false;
    case 'delay':
      await sleep(effect.ms);
      return !req.socket.destroyed;
  }
}
