// JSON in and out for the admin endpoints (http-endpoint.ts, test-control-endpoints.ts).
import type { Readable } from 'node:stream';
import { cosError, type CosError } from '../errors/cos-error.ts';
import type { Reply } from '../http/respond.ts';
import { readSmallBody } from '../http/small-body.ts';

export type Json = Record<string, unknown>;

export const jsonReply = (value: unknown, status = 200): Reply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: `${JSON.stringify(value, null, 2)}\n`,
});

/** The admin API's callers read JSON, so its errors are JSON too: `{ code, message, requestId }`. */
export const jsonError = (status: number, code: string, message: string, requestId: string): Reply =>
  jsonReply({ code, message, requestId }, status);

export const invalid = (message: string): CosError => cosError('InvalidRequest', { message });

/** The body as a JSON object; an empty body is `{}`. */
export async function readJson(r: { body: Readable; headers: Readonly<Record<string, string | undefined>> }): Promise<Json> {
  const text = (await readSmallBody(r.body, r.headers)).toString('utf8');
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw invalid(`the body is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('the body must be a JSON object');
  return value as Json;
}

export function optionalText(body: Json, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be a string`);
  return value;
}
