// The values a Select expression computes with, and COS Select's (S3 Select's, PartiQL's) rules for them:
// MISSING (undefined) and NULL, numbers out of CSV's strings, comparisons that are unknown across types.
import { cosError } from '../errors/cos-error.ts';

export type Json = string | number | boolean | null | Json[] | { [name: string]: Json };
/** undefined is MISSING: a CSV column past the record's end, a JSON member it does not have. */
export type SqlValue = Json | undefined;

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A number, or a CSV field that spells one (CSV has no types); null and MISSING stay unknown (null). */
export function asNumber(value: SqlValue, what: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  throw cosError('IncorrectSqlFunctionArgumentType', { message: `${what} needs a number, not ${JSON.stringify(value)}.` });
}

export function asString(value: SqlValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * <0, 0, >0, or null when the two cannot be ordered (NULL, MISSING, different types). A number meets a
 * CSV field as a number when the field spells one: `WHERE _2 > 30` works on CSV as users write it.
 */
export function compareValues(left: SqlValue, right: SqlValue): number | null {
  if (left === null || left === undefined || right === null || right === undefined) return null;
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'number' && typeof right === 'string') return NUMERIC.test(right) ? left - Number(right) : null;
  if (typeof left === 'string' && typeof right === 'number') return NUMERIC.test(left) ? Number(left) - right : null;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  return null;
}

/** Three-valued logic: true, false, or null (unknown). */
export function asLogical(value: SqlValue): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw cosError('IncorrectSqlFunctionArgumentType', { message: `${JSON.stringify(value)} is not a boolean.` });
}

const castFailed = (value: SqlValue, type: string) => cosError('CastFailed', { message: `Cannot CAST ${JSON.stringify(value)} AS ${type}.` });

/** The CAST targets COS Select documents, by the names SQL spells them. */
type Cast = (value: Json, type: string) => Json;
const CASTS: ReadonlyMap<string, Cast> = new Map<string, Cast>([
  ...['INT', 'INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT'].map((name): [string, Cast] => [name, toInteger]),
  ...['FLOAT', 'DOUBLE', 'REAL', 'DECIMAL', 'NUMERIC'].map((name): [string, Cast] => [name, toFloat]),
  ...['STRING', 'VARCHAR', 'CHAR', 'TEXT'].map((name): [string, Cast] => [name, (value) => asString(value)]),
  ...['BOOL', 'BOOLEAN'].map((name): [string, Cast] => [name, toBoolean]),
]);

function toFloat(value: Json, type: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  throw castFailed(value, type);
}

function toInteger(value: Json, type: string): number {
  return Math.trunc(toFloat(value, type));
}

function toBoolean(value: Json, type: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw castFailed(value, type);
}

/** The cast for a type name, or undefined for a type COS Select does not cast to. */
export function castTo(type: string): ((value: SqlValue) => SqlValue) | undefined {
  const upper = type.toUpperCase();
  const cast = CASTS.get(upper);
  if (!cast) return undefined;
  return (value) => (value === null || value === undefined ? value : cast(value, upper));
}
