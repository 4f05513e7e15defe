// The admin endpoints of the test controls: reset (--allow-reset), fault rules and the clock (--test-controls).
// Each answers only when its switch was given at start: no caller can make a server that others rely on
// forget its data, fail on purpose or lie about the time.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { cosError, type CosError } from '../errors/cos-error.ts';
import type { Reply } from '../http/respond.ts';
import { invalid, jsonReply, readJson } from './admin-json.ts';
import { FaultRuleError, parseFaultRule, type FaultRules } from './faults.ts';
import { parseTime, type TestClock } from './test-clock.ts';

export interface TestControls {
  faults: FaultRules;
  clock: TestClock;
}

export interface TestControlDeps {
  /** Undefined unless the server was started with --allow-reset. */
  reset: (() => Promise<void>) | undefined;
  /** Undefined unless the server was started with --test-controls. */
  testControls: TestControls | undefined;
}

export interface ControlRequest {
  req: IncomingMessage;
  body: Readable;
  headers: Readonly<Record<string, string | undefined>>;
}

const off = (what: string, flag: string, env: string): CosError =>
  cosError('AccessDenied', { message: `${what} is off: start the server with --${flag} (or ${env}=1)` });

const methodNotAllowed = (allowed: string): CosError => cosError('MethodNotAllowed', { message: `this endpoint answers ${allowed}` });

/** `POST /_coslocal/v1/reset`: every bucket, object and upload gone, identities as the seed has them. */
export async function resetEndpoint(deps: TestControlDeps, r: ControlRequest): Promise<Reply> {
  if (r.req.method !== 'POST') throw methodNotAllowed('POST');
  if (!deps.reset) throw off('reset', 'allow-reset', 'COSLOCAL_ALLOW_RESET');
  await deps.reset();
  return jsonReply({ reset: true });
}

function controls(deps: TestControlDeps): TestControls {
  if (!deps.testControls) throw off('the test controls are', 'test-controls', 'COSLOCAL_TEST_CONTROLS');
  return deps.testControls;
}

/**
 * `/_coslocal/v1/faults`: GET lists the rules, POST adds one (the body is a rule) or several
 * (`{ "rules": [...] }`), DELETE removes them all.
 */
export async function faultsEndpoint(deps: TestControlDeps, r: ControlRequest): Promise<Reply> {
  const { faults } = controls(deps);
  switch (r.req.method) {
    case 'GET':
      return jsonReply({ rules: faults.list() });
    case 'DELETE':
      return jsonReply({ cleared: faults.clear() });
    case 'POST': {
      const body = await readJson(r);
      const docs = body['rules'] === undefined ? [body] : body['rules'];
      if (!Array.isArray(docs)) throw invalid('rules must be an array of rules');
      try {
        const specs = docs.map((doc, i) => parseFaultRule(doc, Array.isArray(body['rules']) ? `rules[${i}]` : 'rule'));
        return jsonReply({ added: faults.add(specs) });
      } catch (error) {
        if (error instanceof FaultRuleError) throw invalid(error.message);
        throw error;
      }
    }
    default:
      throw methodNotAllowed('GET, POST and DELETE');
  }
}

const clockReply = (clock: TestClock): Reply => {
  const { now, offsetMs, frozen } = clock.state();
  return jsonReply({ now: new Date(now).toISOString(), epochMs: now, offsetMs, frozen });
};

/**
 * `/_coslocal/v1/clock`: GET tells the time; POST `{ set?, advanceSeconds?, freeze?, restore? }` sets it
 * (ISO 8601 or epoch ms), moves it, stops or restarts it, or puts it back to the real time.
 */
export async function clockEndpoint(deps: TestControlDeps, r: ControlRequest): Promise<Reply> {
  const { clock } = controls(deps);
  if (r.req.method === 'GET') return clockReply(clock);
  if (r.req.method !== 'POST') throw methodNotAllowed('GET and POST');
  const body = await readJson(r);
  const { set, advanceSeconds, freeze, restore } = body;
  const known = new Set(['set', 'advanceSeconds', 'freeze', 'restore']);
  const unknown = Object.keys(body).filter((field) => !known.has(field));
  if (unknown.length > 0) throw invalid(`unknown fields ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  if (restore !== undefined && restore !== true) throw invalid('restore must be true');
  if (freeze !== undefined && typeof freeze !== 'boolean') throw invalid('freeze must be true or false');
  if (advanceSeconds !== undefined && (typeof advanceSeconds !== 'number' || !Number.isFinite(advanceSeconds))) throw invalid('advanceSeconds must be a number');
  const time = set === undefined ? undefined : parseTime(String(set));
  if (set !== undefined && (time === undefined || (typeof set !== 'string' && typeof set !== 'number'))) throw invalid('set must be an ISO 8601 time or epoch milliseconds');
  // In this order, so that one request can restore, freeze, then set or move the frozen clock.
  if (restore) clock.restore();
  if (freeze !== undefined) clock.freeze(freeze);
  if (time !== undefined) clock.set(time);
  if (typeof advanceSeconds === 'number') clock.advance(Math.round(advanceSeconds * 1000));
  return clockReply(clock);
}
