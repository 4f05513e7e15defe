// The tables of a child server's store (child-server.ts), read directly while it is stopped or busy: SQLite's
// meta.db in its data directory, or its PostgreSQL database. Both engines have the same tables, so a test's
// SQL runs on either.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { metadataUrlOf } from './child-server.ts';

export interface StoredTables {
  /** The rows the query finds; `?` marks a parameter. Counts come back as numbers. */
  rows<R>(sql: string, ...params: unknown[]): Promise<R[]>;
  /** The first column of the first row. */
  value<T>(sql: string, ...params: unknown[]): Promise<T>;
  close(): Promise<void>;
}

/** bigint (count(*)) as a number, as the engine reads it. */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export async function openStoredTables(dataDir: string): Promise<StoredTables> {
  const url = await metadataUrlOf(dataDir);
  let rows: <R>(sql: string, params: unknown[]) => Promise<R[]>;
  let close: () => Promise<void>;
  if (url === undefined) {
    const db = new Database(join(dataDir, 'meta.db'), { readonly: true });
    rows = async <R>(sql: string, params: unknown[]) => db.prepare(sql).all(...params) as R[];
    close = async () => void db.close();
  } else {
    const client = new pg.Client({ connectionString: url, types: TYPES });
    await client.connect();
    rows = async <R>(sql: string, params: unknown[]) => {
      let n = 0;
      return (await client.query({ text: sql.replace(/\?/g, () => `$${++n}`), values: params })).rows as R[];
    };
    close = () => client.end();
  }
  return {
    rows: (sql, ...params) => rows(sql, params),
    value: async <T>(sql: string, ...params: unknown[]) => Object.values((await rows<object>(sql, params))[0] ?? {})[0] as T,
    close,
  };
}
